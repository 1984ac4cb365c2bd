//! The pages' frame and the pieces every page uses: the document with its navigation, form
//! fields with their errors beside them, tables, empty states and how values are shown.
//! Presentation only: what a value means is the domain's.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ingot_kernel::Timestamp;
use ingot_kernel::problem::Problem;
use maud::{DOCTYPE, Markup, html};
use serde::Serialize;

use crate::assets;

/// What a page handler answers: the page, or another page (a redirect, an error) instead.
pub type Reply = Result<Response, Response>;

/// A navigation entry: where it goes, its label, and the path prefix that marks it current.
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
}

/// The whole document around `body`. `nav` is empty for visitors who are not logged in.
pub fn document(title: &str, here: &str, nav: &[NavItem], account: Markup, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Ingot" }
                link rel="stylesheet" href=(assets::CSS_PATH);
                script src=(assets::JS_PATH) defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    a.brand href="/" { "Ingot" }
                    @if !nav.is_empty() {
                        nav aria-label="Main" {
                            ul {
                                @for item in nav {
                                    @let current = here == item.href
                                        || (item.href != "/admin" && here.starts_with(&format!("{}/", item.href)));
                                    li {
                                        a href=(item.href) aria-current=[current.then_some("page")] { (item.label) }
                                    }
                                }
                            }
                        }
                    }
                    div.account { (account) }
                }
                main #main tabindex="-1" {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// An HTML response with `status`.
pub fn respond(status: StatusCode, markup: Markup) -> Response {
    let mut response = (status, markup.into_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// After a successful post: the browser loads `to` with GET (so a reload posts nothing twice).
pub fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// The problem's words for people: its title, and its detail when it has one.
pub fn problem_text(problem: &Problem) -> String {
    let body = problem.to_body();
    match body.detail {
        Some(detail) if !detail.is_empty() => format!("{}: {detail}", body.title),
        _ => body.title,
    }
}

/// What went wrong with a posted form: messages for its fields, and the rest for the top.
#[derive(Debug, Default)]
pub struct FormErrors {
    pub general: Vec<String>,
    pub fields: Vec<(String, String)>,
}

impl FormErrors {
    /// Splits `problem` over the form's `known` fields; an error on a field the form does not
    /// show (or none) goes to the summary, so nothing the domain said is lost.
    pub fn new(problem: &Problem, known: &[&str]) -> FormErrors {
        let mut errors = FormErrors::default();
        for error in &problem.errors {
            let base = error.field.split(['[', '.']).next().unwrap_or_default();
            if known.contains(&base) {
                errors.fields.push((base.to_string(), error.message.clone()));
            } else {
                errors.general.push(format!("{}: {}", error.field, error.message));
            }
        }
        if problem.errors.is_empty() || !errors.general.is_empty() {
            errors.general.insert(0, problem_text(problem));
        }
        errors
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, message)| message.as_str())
    }

    /// The summary at the top of the form, announced to screen readers.
    pub fn summary(&self) -> Markup {
        html! {
            @if !self.general.is_empty() || !self.fields.is_empty() {
                div.alert role="alert" {
                    @for message in &self.general { p { (message) } }
                    @if !self.fields.is_empty() { p { "Please correct the fields marked below." } }
                }
            }
        }
    }
}

/// One labelled input with its hint and its error beside it.
pub struct Input<'a> {
    pub label: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub value: &'a str,
    pub hint: Option<&'a str>,
    pub required: bool,
    pub autocomplete: Option<&'a str>,
    /// Tells this field's id apart when several forms on a page have a field of the same name.
    pub form: Option<&'a str>,
}

impl<'a> Input<'a> {
    pub fn new(label: &'a str, name: &'a str, kind: &'a str) -> Input<'a> {
        Input {
            label,
            name,
            kind,
            value: "",
            hint: None,
            required: false,
            autocomplete: None,
            form: None,
        }
    }
    pub fn in_form(mut self, form: &'a str) -> Self {
        self.form = Some(form);
        self
    }
    pub fn value(mut self, value: &'a str) -> Self {
        self.value = value;
        self
    }
    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn autocomplete(mut self, autocomplete: &'a str) -> Self {
        self.autocomplete = Some(autocomplete);
        self
    }

    pub fn render(&self, errors: &FormErrors) -> Markup {
        let id = match self.form {
            Some(form) => format!("f-{form}-{}", self.name),
            None => format!("f-{}", self.name),
        };
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        let error = errors.field(self.name);
        let described = [
            self.hint.map(|_| hint_id.as_str()),
            error.map(|_| error_id.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        html! {
            div.field {
                label for=(id) { (self.label) }
                @if let Some(hint) = self.hint { p.hint id=(hint_id) { (hint) } }
                @if self.kind == "textarea" {
                    textarea id=(id) name=(self.name) rows="4" required[self.required]
                        aria-invalid=[error.map(|_| "true")]
                        aria-describedby=[(!described.is_empty()).then_some(described.as_str())] { (self.value) }
                } @else {
                    input id=(id) name=(self.name) type=(self.kind) value=(self.value)
                        required[self.required] autocomplete=[self.autocomplete]
                        aria-invalid=[error.map(|_| "true")]
                        aria-describedby=[(!described.is_empty()).then_some(described.as_str())];
                }
                @if let Some(error) = error { p.error id=(error_id) { (error) } }
            }
        }
    }
}

/// A labelled `<select>`; `options` are (value, label), `selected` the chosen value.
pub fn select(
    label: &str,
    name: &str,
    options: &[(String, String)],
    selected: &str,
    errors: &FormErrors,
) -> Markup {
    let id = format!("f-{name}");
    let error = errors.field(name);
    html! {
        div.field {
            label for=(id) { (label) }
            select id=(id) name=(name) aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| format!("{id}-error"))] {
                @for (value, text) in options {
                    option value=(value) selected[value == selected] { (text) }
                }
            }
            @if let Some(error) = error { p.error id=(format!("{id}-error")) { (error) } }
        }
    }
}

/// The hidden CSRF field every form carries.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name=(crate::csrf::FIELD) value=(token); }
}

/// A form that does one thing with one button (release, revoke, delete).
pub fn action_button(action: &str, csrf: &str, label: &str, class: &str) -> Markup {
    html! {
        form.inline method="post" action=(action) {
            (csrf_field(csrf))
            button type="submit" class=(class) { (label) }
        }
    }
}

/// A table that scrolls sideways on a narrow screen, reachable by keyboard.
pub fn table(caption: &str, head: &[&str], rows: Vec<Markup>) -> Markup {
    html! {
        div.scroll role="region" aria-label=(caption) tabindex="0" {
            table {
                caption { (caption) }
                thead { tr { @for cell in head { th scope="col" { (cell) } } } }
                tbody { @for row in rows { (row) } }
            }
        }
    }
}

/// What a list shows when it has nothing, with the way to add the first one.
pub fn empty(message: &str, action: Option<(&str, &str)>) -> Markup {
    html! {
        div.empty {
            p { (message) }
            @if let Some((href, label)) = action { p { a.button href=(href) { (label) } } }
        }
    }
}

/// An enum's wire name (`provisioning`), as the API and the CLI show it.
pub fn label<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A state as a badge whose class gives its colour (and whose text says it, for everyone).
pub fn badge<T: Serialize>(state: &T) -> Markup {
    let text = label(state);
    html! { span class=(format!("badge badge-{text}")) { (text.replace('_', " ")) } }
}

/// A time as `2026-12-05 07:37 UTC`, with the exact instant for machines.
pub fn time(at: Timestamp) -> Markup {
    let text = at.to_string();
    let short = text.get(..16).unwrap_or(&text).replace('T', " ");
    html! { time datetime=(text) { (short) " UTC" } }
}

/// An amount as people read it: `500.00 USD`, `0.0042 USD` (sub-cent digits kept when there are
/// any, never rounded away: the ledger's micro-units are exact).
pub fn money(money: &ingot_kernel::Money) -> String {
    let exact = money.amount_string();
    let (whole, fraction) = exact.split_once('.').unwrap_or((&exact, ""));
    let trimmed = fraction.trim_end_matches('0');
    let fraction = if trimmed.len() < 2 {
        &fraction[..2.min(fraction.len())]
    } else {
        trimmed
    };
    format!("{whole}.{fraction} {}", money.currency())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ingot_kernel::problem::Code;
    use ingot_kernel::{Currency, Money};

    #[test]
    fn money_keeps_cents_and_any_finer_digits() {
        let usd = Currency::USD;
        let cases = [
            ("500", "500.00 USD"),
            ("1.2", "1.20 USD"),
            ("0.000123", "0.000123 USD"),
            ("-3.5", "-3.50 USD"),
        ];
        for (amount, shown) in cases {
            assert_eq!(money(&Money::parse(amount, usd).unwrap()), shown);
        }
    }

    #[test]
    fn form_errors_go_beside_known_fields_and_the_rest_to_the_summary() {
        let problem = Problem::new(Code::ValidationFailed)
            .field("ssh_keys[1]", "not a key")
            .field("placement", "unknown");
        let errors = FormErrors::new(&problem, &["ssh_keys", "sku"]);
        assert_eq!(errors.field("ssh_keys"), Some("not a key"));
        assert_eq!(errors.field("sku"), None);
        assert!(
            errors.general.iter().any(|m| m.contains("placement: unknown")),
            "{errors:?}"
        );
        // A refusal without fields is said at the top.
        let errors = FormErrors::new(&Problem::new(Code::Forbidden), &["sku"]);
        assert_eq!(errors.general.len(), 1);
        assert!(errors.fields.is_empty());
    }

    #[test]
    fn inputs_point_at_their_error_and_escape_what_was_typed() {
        let problem = Problem::new(Code::ValidationFailed).field("name", "too long");
        let errors = FormErrors::new(&problem, &["name"]);
        let html = Input::new("Name", "name", "text")
            .value("<script>x</script>")
            .render(&errors)
            .into_string();
        assert!(html.contains("aria-invalid=\"true\""), "{html}");
        assert!(html.contains("aria-describedby=\"f-name-error\""), "{html}");
        assert!(html.contains("id=\"f-name-error\""), "{html}");
        assert!(!html.contains("<script>"), "{html}");
    }
}
