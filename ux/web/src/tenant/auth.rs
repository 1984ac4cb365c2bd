//! Sign-up, log-in (with a TOTP code when two-factor is on) and log-out. The session cookie is
//! IAM's (`session_cookie_set`); this module only carries it to the browser.

use axum::extract::Query;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use ingot_contracts::iam::{Actor, LoginRequest, SESSION_COOKIE_CLEAR, SignupRequest, session_cookie_set};
use ingot_kernel::problem::Problem;
use maud::{Markup, html};

use crate::csrf;
use crate::form::Posted;
use crate::page::{self, FormErrors, Input};
use crate::{Web, WebDeps};

type Pairs = Vec<(String, String)>;

/// A page for visitors (no navigation), with a CSRF token for its forms.
pub fn anonymous_page(
    web: &WebDeps,
    headers: &HeaderMap,
    title: &str,
    body: impl FnOnce(&str) -> Markup,
) -> Response {
    anonymous_page_status(web, headers, StatusCode::OK, title, body)
}

fn anonymous_page_status(
    web: &WebDeps,
    headers: &HeaderMap,
    status: StatusCode,
    title: &str,
    body: impl FnOnce(&str) -> Markup,
) -> Response {
    let token = csrf::token_for(&web.secrets, headers);
    let mut response = page::respond(
        status,
        page::document(title, "", &[], html! {}, body(&token.token)),
    );
    if let Some(cookie) = token.set_cookie
        && let Ok(value) = HeaderValue::from_str(&cookie)
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Only a path on this site: `next=//evil.example` or a full URL is ignored.
fn next_path(query: &[(String, String)], posted: Option<&Posted>) -> String {
    let next = posted
        .map(|posted| posted.get("next").to_string())
        .or_else(|| query.iter().find(|(k, _)| k == "next").map(|(_, v)| v.clone()))
        .unwrap_or_default();
    // Browsers drop tabs and newlines while parsing a URL (`/\t/evil` becomes `//evil`): a path
    // with any control or space character is refused, not cleaned.
    let plain = !next.chars().any(|c| c.is_control() || c.is_whitespace());
    if plain && next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/".to_string()
    }
}

fn with_session(to: &str, headers: &HeaderMap, session_token: &str) -> Response {
    let secure = headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let mut response = page::see_other(to);
    if let Ok(value) = HeaderValue::from_str(&session_cookie_set(session_token, secure)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

struct SignupDraft<'a> {
    email: &'a str,
    display_name: &'a str,
    tenant_name: &'a str,
}

fn signup_body(csrf: &str, draft: &SignupDraft, errors: &FormErrors) -> Markup {
    html! {
        (errors.summary())
        form.stack method="post" action="/signup" novalidate {
            (page::csrf_field(csrf))
            (Input::new("Email", "email", "email").value(draft.email).required().autocomplete("email").render(errors))
            (Input::new("Password", "password", "password").required().autocomplete("new-password")
                .hint("At least 12 characters; a phrase is easiest to remember.").render(errors))
            (Input::new("Your name", "display_name", "text").value(draft.display_name).required().autocomplete("name").render(errors))
            (Input::new("Organisation", "tenant_name", "text").value(draft.tenant_name).required().autocomplete("organization")
                .hint("The tenant that owns your machines and balance; you can invite colleagues later.").render(errors))
            button type="submit" { "Create account" }
        }
        p { "Already have an account? " a href="/login" { "Log in" } }
    }
}

pub async fn signup_form(web: Web, headers: HeaderMap) -> Response {
    let draft = SignupDraft {
        email: "",
        display_name: "",
        tenant_name: "",
    };
    anonymous_page(&web, &headers, "Create your account", |csrf| {
        signup_body(csrf, &draft, &FormErrors::default())
    })
}

pub async fn signup(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Pairs>,
) -> Response {
    let posted = match Posted::checked(&web, &headers, fields) {
        Ok(posted) => posted,
        Err(refused) => return refused,
    };
    let request = SignupRequest {
        email: posted.get("email").to_string(),
        password: posted.get("password").to_string(),
        display_name: posted.get("display_name").to_string(),
        tenant_name: posted.get("tenant_name").to_string(),
    };
    match web.iam.signup(&actor.origin, request).await {
        Ok(created) => with_session("/overview", &headers, &created.session_token),
        Err(err) => {
            let problem = Problem::from(err);
            let errors = FormErrors::new(&problem, &["email", "password", "display_name", "tenant_name"]);
            let draft = SignupDraft {
                email: posted.get("email"),
                display_name: posted.get("display_name"),
                tenant_name: posted.get("tenant_name"),
            };
            let status = StatusCode::from_u16(problem.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            anonymous_page_status(&web, &headers, status, "Create your account", |csrf| {
                signup_body(csrf, &draft, &errors)
            })
        }
    }
}

fn login_body(csrf: &str, email: &str, next: &str, errors: &FormErrors) -> Markup {
    html! {
        (errors.summary())
        form.stack method="post" action="/login" novalidate {
            (page::csrf_field(csrf))
            input type="hidden" name="next" value=(next);
            (Input::new("Email", "email", "email").value(email).required().autocomplete("username").render(errors))
            (Input::new("Password", "password", "password").required().autocomplete("current-password").render(errors))
            (Input::new("Authentication code", "totp_code", "text").autocomplete("one-time-code")
                .hint("Only if two-factor authentication is on: the 6 digits from your app, or a recovery code.")
                .render(errors))
            button type="submit" { "Log in" }
        }
        p { "New here? " a href="/signup" { "Create an account" } }
    }
}

pub async fn login_form(web: Web, headers: HeaderMap, Query(query): Query<Pairs>) -> Response {
    let next = next_path(&query, None);
    anonymous_page(&web, &headers, "Log in", |csrf| {
        login_body(csrf, "", &next, &FormErrors::default())
    })
}

pub async fn login(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Pairs>,
) -> Response {
    let posted = match Posted::checked(&web, &headers, fields) {
        Ok(posted) => posted,
        Err(refused) => return refused,
    };
    let next = next_path(&[], Some(&posted));
    let request = LoginRequest {
        email: posted.get("email").to_string(),
        password: posted.get("password").to_string(),
        totp_code: posted.opt("totp_code"),
    };
    match web.iam.login(&actor.origin, request).await {
        Ok(created) => with_session(&next, &headers, &created.session_token),
        Err(err) => {
            let mut problem = Problem::from(err.clone());
            if matches!(err, ingot_contracts::iam::IamError::MfaRequired) {
                problem = problem.field("totp_code", "enter the code from your authenticator app");
            }
            let errors = FormErrors::new(&problem, &["email", "password", "totp_code"]);
            let status = StatusCode::from_u16(problem.status()).unwrap_or(StatusCode::UNAUTHORIZED);
            let email = posted.get("email").to_string();
            anonymous_page_status(&web, &headers, status, "Log in", |csrf| {
                login_body(csrf, &email, &next, &errors)
            })
        }
    }
}

pub async fn logout(
    web: Web,
    actor: Actor,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Pairs>,
) -> Response {
    if let Err(refused) = Posted::checked(&web, &headers, fields) {
        return refused;
    }
    // Already ended elsewhere is fine: the cookie goes either way.
    let _ = web.iam.logout(&actor).await;
    let mut response = page::see_other("/login");
    response
        .headers_mut()
        .append(header::SET_COOKIE, HeaderValue::from_static(SESSION_COOKIE_CLEAR));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_a_path_on_this_site_or_home() {
        let next = |value: &str| next_path(&[("next".to_string(), value.to_string())], None);
        assert_eq!(next("/allocations/alc_1"), "/allocations/alc_1");
        for foreign in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\\evil.example",
            "https://evil.example",
            "evil",
            "",
        ] {
            assert_eq!(next(foreign), "/", "{foreign:?}");
        }
    }
}
