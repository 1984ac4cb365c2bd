//! Posted forms: read as name/value pairs (so a wrong type is the domain's field error, shown
//! beside the field, never an extractor's blanket rejection), after their CSRF token is checked.

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::html;

use crate::WebDeps;
use crate::csrf;
use crate::page;

/// A posted form whose CSRF token was right.
#[derive(Debug)]
pub struct Posted {
    fields: Vec<(String, String)>,
}

impl Posted {
    /// Checks the token; a missing or foreign one gets a 403 page and nothing is done.
    pub fn checked(
        web: &WebDeps,
        headers: &HeaderMap,
        fields: Vec<(String, String)>,
    ) -> Result<Posted, Response> {
        let token = fields
            .iter()
            .find(|(name, _)| name == csrf::FIELD)
            .map(|(_, value)| value.as_str());
        if !csrf::verify(&web.secrets, headers, token) {
            return Err(page::respond(
                StatusCode::FORBIDDEN,
                page::document(
                    "Form expired",
                    "",
                    &[],
                    html! {},
                    html! {
                        div.alert role="alert" {
                            p { "This form could not be accepted: it came from another page or has expired. Nothing was changed." }
                        }
                        p { a href="/" { "Start again" } }
                    },
                ),
            ));
        }
        Ok(Posted { fields })
    }

    /// No form: for pages that show a form before anything was posted.
    pub fn empty() -> Posted {
        Posted { fields: Vec::new() }
    }

    /// The field's value, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.trim())
            .unwrap_or_default()
    }

    /// The field's value, or `None` when absent or blank.
    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name)).filter(|v| !v.is_empty()).map(str::to_string)
    }

    /// Every value of a repeated field (checkboxes), blanks left out.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(field, value)| field == name && !value.trim().is_empty())
            .map(|(_, value)| value.trim().to_string())
            .collect()
    }
}
