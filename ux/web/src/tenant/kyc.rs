//! Verification (KYC): the tenant's state as IAM keeps it, and the form that submits it.

use axum::http::HeaderMap;
use ingot_contracts::iam::{Actor, KYC_PERSONAL_FIELDS, KycState, KycSubmitRequest, KycView};
use ingot_kernel::problem::Problem;
use maud::{Markup, html};

use crate::Web;
use crate::form::Posted;
use crate::page::{self, FormErrors, Input, Reply};
use crate::viewer::Viewer;

type Pairs = Vec<(String, String)>;

/// The browser's autofill hint for one of IAM's published fields (an unknown one gets none).
fn autocomplete(name: &str) -> &'static str {
    match name {
        "legal_name" => "organization",
        "country" => "country",
        "address" => "street-address",
        _ => "off",
    }
}

fn kyc_body(viewer: &Viewer, kyc: &KycView, posted: Option<&Posted>, errors: &FormErrors) -> Markup {
    let may_submit = matches!(
        kyc.state,
        KycState::Unverified | KycState::Rejected | KycState::Revoked
    );
    html! {
        div.card {
            p { "State: " (page::badge(&kyc.state)) " · level " (page::label(&kyc.level)) }
            p { "Your tenant id (quote it to support): " code #tenant-id { (kyc.tenant_id) } }
            @if let Some(at) = kyc.submitted_at { p { "Submitted " (page::time(at)) } }
            @if let Some(at) = kyc.decided_at { p { "Decided " (page::time(at)) } }
            @if let Some(reason) = &kyc.reason { p { "Reason: " (reason) } }
            @if kyc.state == KycState::Submitted {
                p { "We are reviewing your submission; this page shows the decision as soon as it is made." }
            }
        }
        @if may_submit {
            h2 { "Submit your details" }
            (errors.summary())
            form.stack method="post" action="/kyc" novalidate {
                (page::csrf_field(&viewer.csrf.token))
                @for field in KYC_PERSONAL_FIELDS {
                    (Input::new(field.label, field.name, if field.multiline { "textarea" } else { "text" })
                        .value(posted.map(|p| p.get(field.name)).unwrap_or_default())
                        .required().autocomplete(autocomplete(field.name)).render(errors))
                }
                button type="submit" { "Submit for verification" }
            }
        }
    }
}

pub async fn kyc_page(web: Web, actor: Actor, headers: HeaderMap) -> Reply {
    let viewer = Viewer::load(&web, actor, &headers, "/kyc").await?;
    let (tenant, _) = viewer.workspace()?;
    let kyc = web
        .iam
        .kyc_get(&viewer.actor, tenant.tenant_id)
        .await
        .map_err(|err| viewer.fail(Problem::from(err)))?;
    Ok(viewer.page(
        "Verification",
        kyc_body(&viewer, &kyc, None, &FormErrors::default()),
    ))
}

pub async fn kyc_submit(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Pairs>,
) -> Reply {
    let posted = Posted::checked(&web, &headers, fields)?;
    let viewer = Viewer::load(&web, actor, &headers, "/kyc").await?;
    let (tenant, _) = viewer.workspace()?;
    // IAM decides what is required and whether each value will do; the form sends what the
    // person typed, as IAM's published fields name it.
    let personal: serde_json::Map<String, serde_json::Value> = KYC_PERSONAL_FIELDS
        .iter()
        .map(|field| (field.name.to_string(), posted.get(field.name).to_string().into()))
        .collect();
    let result = match serde_json::from_value(serde_json::Value::Object(personal)) {
        Ok(personal_data) => web
            .iam
            .kyc_submit(
                &viewer.actor,
                tenant.tenant_id,
                KycSubmitRequest {
                    provider_ref: None,
                    personal_data: Some(personal_data),
                },
            )
            .await
            .map_err(Problem::from),
        Err(_) => Err(Problem::new(ingot_kernel::problem::Code::Internal)),
    };
    match result {
        Ok(_) => Ok(page::see_other("/kyc")),
        Err(problem) => {
            let kyc = web
                .iam
                .kyc_get(&viewer.actor, tenant.tenant_id)
                .await
                .map_err(|err| viewer.fail(Problem::from(err)))?;
            // IAM names a refused field `personal_data.<name>`; the form's inputs are `<name>`.
            let mut problem = problem;
            for error in &mut problem.errors {
                if let Some(name) = error.field.strip_prefix("personal_data.") {
                    error.field = name.to_string();
                }
            }
            let errors = FormErrors::new(&problem, &KYC_PERSONAL_FIELDS.map(|field| field.name));
            Ok(viewer.page_status(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "Verification",
                kyc_body(&viewer, &kyc, Some(&posted), &errors),
            ))
        }
    }
}
