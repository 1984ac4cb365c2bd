//! Verification (KYC): the tenant's state as IAM keeps it, and the form that submits it.

use axum::http::HeaderMap;
use ingot_contracts::iam::{Actor, KycState, KycSubmitRequest, KycView};
use ingot_kernel::problem::Problem;
use maud::{Markup, html};

use crate::Web;
use crate::form::Posted;
use crate::page::{self, FormErrors, Input, Reply};
use crate::viewer::Viewer;

type Pairs = Vec<(String, String)>;

const FIELDS: [(&str, &str, &str); 3] = [
    (
        "legal_name",
        "Legal name of the organisation or person",
        "organization",
    ),
    ("country", "Country (ISO code, e.g. DE)", "country"),
    ("address", "Registered address", "street-address"),
];

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
                @for (name, label, autocomplete) in FIELDS {
                    (Input::new(label, name, "text").value(posted.map(|p| p.get(name)).unwrap_or_default())
                        .required().autocomplete(autocomplete).render(errors))
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
    let mut missing = Problem::new(ingot_kernel::problem::Code::ValidationFailed);
    let mut personal = serde_json::Map::new();
    for (name, _, _) in FIELDS {
        match posted.opt(name) {
            Some(value) => {
                personal.insert(name.to_string(), serde_json::Value::String(value));
            }
            None => missing = missing.field(name, "required"),
        }
    }
    let result = if missing.errors.is_empty() {
        web.iam
            .kyc_submit(
                &viewer.actor,
                tenant.tenant_id,
                KycSubmitRequest {
                    provider_ref: None,
                    personal_data: Some(serde_json::Value::Object(personal)),
                },
            )
            .await
            .map_err(Problem::from)
    } else {
        Err(missing)
    };
    match result {
        Ok(_) => Ok(page::see_other("/kyc")),
        Err(problem) => {
            let kyc = web
                .iam
                .kyc_get(&viewer.actor, tenant.tenant_id)
                .await
                .map_err(|err| viewer.fail(Problem::from(err)))?;
            let errors = FormErrors::new(&problem, &FIELDS.map(|(name, _, _)| name));
            Ok(viewer.page_status(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "Verification",
                kyc_body(&viewer, &kyc, Some(&posted), &errors),
            ))
        }
    }
}
