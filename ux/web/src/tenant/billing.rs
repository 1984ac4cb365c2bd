//! Money: the balance as Billing keeps it, a top-up (the test provider on the embedded default,
//! Stripe's checkout where configured), the ledger, and monthly statements as CSV.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ingot_contracts::billing::{BalanceView, TopUpRequest};
use ingot_contracts::iam::Actor;
use ingot_kernel::Money;
use ingot_kernel::page::PageRequest;
use ingot_kernel::problem::{Code, Problem};
use maud::{Markup, html};

use crate::Web;
use crate::form::Posted;
use crate::page::{self, FormErrors, Input, Reply};
use crate::viewer::Viewer;

type Pairs = Vec<(String, String)>;

/// A fresh key for one rendered top-up form: submitting it twice tops up once.
fn idempotency_key() -> String {
    let mut random = [0u8; 16];
    let _ = getrandom::fill(&mut random);
    format!("web-top-up-{}", hex::encode(random))
}

async fn billing_body(
    web: &Web,
    viewer: &Viewer,
    balance: &BalanceView,
    amount: &str,
    errors: &FormErrors,
) -> Result<Markup, Response> {
    let (tenant, _) = viewer.workspace()?;
    let ledger = web
        .billing
        .ledger_list(
            &viewer.actor,
            tenant.tenant_id,
            PageRequest {
                limit: Some(50),
                cursor: None,
            },
        )
        .await
        .map_err(|err| viewer.fail(Problem::from(err)))?;
    let now = web.clock.now().to_string();
    let year_now: i64 = now.get(0..4).and_then(|y| y.parse().ok()).unwrap_or(1970);
    let month_now: i64 = now.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let months: Vec<String> = (0..3)
        .map(|back| {
            let (mut year, mut month) = (year_now, month_now - back);
            while month < 1 {
                month += 12;
                year -= 1;
            }
            format!("{year:04}-{month:02}")
        })
        .collect();
    Ok(html! {
        div.grid {
            div.card { h2 { "Available" } p.figure { (page::money(&balance.available)) } }
            div.card { h2 { "Cash" } p.figure { (page::money(&balance.cash)) } }
            div.card { h2 { "Promotional credit" } p.figure { (page::money(&balance.promo)) } }
            div.card { h2 { "Held for running machines" } p.figure { (page::money(&balance.held)) } }
        }
        h2 #top-up { "Top up" }
        (errors.summary())
        form.stack method="post" action="/billing/top-up" novalidate {
            (page::csrf_field(&viewer.csrf.token))
            input type="hidden" name="idempotency_key" value=(idempotency_key());
            (Input::new(&format!("Amount ({})", balance.cash.currency()), "amount", "text").value(amount)
                .required().hint("For example 100 or 250.50.").render(errors))
            button type="submit" { "Top up" }
        }
        h2 { "Statements" }
        ul {
            @for month in &months {
                li { a href=(format!("/billing/statements/{month}")) download { "Statement " (month) " (CSV)" } }
            }
        }
        h2 { "Ledger" }
        @if ledger.items.is_empty() {
            (page::empty("No transactions yet. Your first top-up appears here.", None))
        } @else {
            (page::table("Latest ledger entries", &["When", "Kind", "Account", "Amount", "Memo"],
                ledger.items.iter().map(|entry| html! {
                    tr {
                        td { (page::time(entry.at)) }
                        td { (entry.kind) }
                        td { (entry.account) }
                        td.num { (page::money(&entry.amount)) }
                        td { (entry.memo) }
                    }
                }).collect()))
        }
    })
}

pub async fn billing_page(web: Web, actor: Actor, headers: HeaderMap) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/billing").await?;
    let (tenant, _) = viewer.workspace()?;
    let balance = web
        .billing
        .balance_get(&viewer.actor, tenant.tenant_id)
        .await
        .map_err(|err| viewer.fail(Problem::from(err)))?;
    let body = billing_body(&web, &viewer, &balance, "", &FormErrors::default()).await?;
    Ok(viewer.page("Billing", body))
}

pub async fn top_up(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/billing").await?;
    let (tenant, _) = viewer.workspace()?;
    let balance = web
        .billing
        .balance_get(&viewer.actor, tenant.tenant_id)
        .await
        .map_err(|err| viewer.fail(Problem::from(err)))?;
    let result = match Money::parse(posted.get("amount"), balance.cash.currency()) {
        Err(_) => {
            Err(Problem::new(Code::ValidationFailed).field("amount", "an amount such as 100 or 250.50"))
        }
        Ok(amount) => web
            .billing
            .top_up(
                &viewer.actor,
                tenant.tenant_id,
                TopUpRequest {
                    amount,
                    provider: None,
                },
                posted.opt("idempotency_key"),
            )
            .await
            .map_err(Problem::from),
    };
    match result {
        // A provider with a hosted checkout: the browser goes there by a link (a redirect
        // after a form post would be blocked by our own form-action policy).
        Ok(top_up) if top_up.checkout_url.is_some() => Ok(viewer.page(
            "Continue to payment",
            html! {
                p { "Your top-up of " (page::money(&top_up.amount)) " is waiting for payment." }
                p { a.button href=(top_up.checkout_url.unwrap_or_default()) { "Continue to payment" } }
            },
        )),
        Ok(_) => Ok(page::see_other("/billing")),
        Err(problem) => {
            let errors = FormErrors::new(&problem, &["amount"]);
            let body = billing_body(&web, &viewer, &balance, posted.get("amount"), &errors).await?;
            let status = StatusCode::from_u16(problem.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            Ok(viewer.page_status(status, "Billing", body))
        }
    }
}

/// The month's statement as a CSV download (Billing's own CSV, the same as the API's).
pub async fn statement_csv(web: Web, actor: Actor, headers: HeaderMap, Path(month): Path<String>) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/billing").await?;
    let (tenant, _) = viewer.workspace()?;
    let statement = web
        .billing
        .statement_get(&viewer.actor, tenant.tenant_id, &month)
        .await
        .map_err(|err| viewer.fail(Problem::from(err)))?;
    let mut response = statement.to_csv().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"statement-{month}.csv\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    Ok(response)
}
