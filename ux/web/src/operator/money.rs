//! Money as the operator sees it: ledger verification and credits (Billing's; finance roles).

use axum::http::{HeaderMap, StatusCode};
use ingot_contracts::iam::Actor;
use ingot_kernel::problem::{Code, Problem};
use maud::{Markup, html};

use super::Pairs;
use crate::Web;
use crate::form::Posted;
use crate::page::{self, FormErrors, Input, Reply};
use crate::viewer::Viewer;

/// Idempotency for one rendered credit form: posting it twice credits once.
fn idempotency_key() -> String {
    let mut random = [0u8; 16];
    let _ = getrandom::fill(&mut random);
    format!("web-credit-{}", hex::encode(random))
}

async fn ledger_body(
    web: &Web,
    viewer: &Viewer,
    notice: Option<Markup>,
    posted: &Posted,
    errors: &FormErrors,
) -> Result<Markup, axum::response::Response> {
    let report = web
        .billing
        .ledger_verify(&viewer.actor)
        .await
        .map_err(|e| viewer.fail(e.into()))?;
    Ok(html! {
        @if let Some(notice) = notice { (notice) }
        div class=(if report.ok { "notice" } else { "alert" }) role="status" {
            p #ledger-verdict {
                @if report.ok { "The ledger balances." } @else { "The ledger does NOT balance." }
            }
            p { (report.accounts) " accounts, " (report.transactions) " transactions, " (report.transfers) " transfers checked." }
        }
        @if !report.breaches.is_empty() {
            h2 { "Breaches" }
            ul { @for breach in &report.breaches { li { (breach) } } }
        }
        h2 { "Credit a tenant" }
        (errors.summary())
        form.stack method="post" action="/admin/credits" novalidate {
            (page::csrf_field(&viewer.csrf.token))
            input type="hidden" name="idempotency_key" value=(idempotency_key());
            (Input::new("Tenant id", "tenant_id", "text").value(posted.get("tenant_id")).required().render(errors))
            (Input::new("Amount", "amount", "text").value(posted.get("amount")).required().render(errors))
            (Input::new("Reason", "reason", "text").value(posted.get("reason")).required()
                .hint("Kept with the ledger entry and in the audit log.").render(errors))
            div.field {
                div { input #f-promotional type="checkbox" name="promotional" value="true"; " " label for="f-promotional" { "Promotional credit (spent before cash, never refunded)" } }
            }
            button type="submit" { "Credit" }
        }
    })
}

pub async fn ledger_page(web: Web, actor: Actor, headers: HeaderMap) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/admin/ledger").await?;
    let body = ledger_body(&web, &viewer, None, &Posted::empty(), &FormErrors::default()).await?;
    Ok(viewer.page("Ledger", body))
}

/// A credit to a tenant (goodwill, an outage), with its reason; the ledger page again, saying
/// what was posted.
pub async fn credit_grant(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/admin/ledger").await?;
    let result = async {
        let tenant_id: ingot_kernel::id::TenantId = posted.get("tenant_id").parse().map_err(|_| {
            Problem::new(Code::ValidationFailed).field("tenant_id", "a tenant id such as ten_…")
        })?;
        let balance = web
            .billing
            .balance_get(&viewer.actor, tenant_id)
            .await
            .map_err(Problem::from)?;
        let amount =
            ingot_kernel::Money::parse(posted.get("amount"), balance.cash.currency()).map_err(|_| {
                Problem::new(Code::ValidationFailed).field("amount", "an amount such as 25 or 10.50")
            })?;
        let request = ingot_contracts::billing::CreditRequest {
            amount,
            reason: posted.get("reason").to_string(),
            promotional: posted.get("promotional") == "true",
        };
        web.billing
            .credit_grant(&viewer.actor, tenant_id, request, posted.opt("idempotency_key"))
            .await
            .map_err(Problem::from)
    }
    .await;
    let (notice, errors) = match result {
        Ok(entry) => (
            Some(
                html! { div.notice role="status" { p { "Credited " (page::money(&entry.amount)) " (transaction " code { (entry.transaction_id) } ")." } } },
            ),
            FormErrors::default(),
        ),
        Err(problem) => (
            None,
            FormErrors::new(&problem, &["tenant_id", "amount", "reason"]),
        ),
    };
    let status = if errors.general.is_empty() && errors.fields.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    // After a credit the form starts empty (with a fresh idempotency key): a second click must
    // not credit again with the same values.
    let shown = if status == StatusCode::OK {
        Posted::empty()
    } else {
        posted
    };
    let body = ledger_body(&web, &viewer, notice, &shown, &errors).await?;
    Ok(viewer.page_status(status, "Ledger", body))
}
