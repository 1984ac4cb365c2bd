//! CSRF tokens for every form: a MAC, under the installation key, of what binds the browser —
//! its session cookie once logged in, else a random pre-session cookie (so the login and sign-up
//! forms cannot be posted from another site either). The edge's Origin check is the second line.

use axum::http::HeaderMap;
use axum::http::header;
use ingot_contracts::iam::SESSION_COOKIE;
use ingot_kernel::crypto::SecretBox;

/// The pre-session cookie: random, never a credential, only what anonymous forms' tokens bind to.
const PRESESSION_COOKIE: &str = "ingot_csrf";
const CONTEXT: &str = "ux.web.csrf";
/// The hidden field every form carries.
pub const FIELD: &str = "_csrf";

/// The token to put in this response's forms, and the cookie to set when the browser had none.
#[derive(Debug)]
pub struct CsrfToken {
    pub token: String,
    pub set_cookie: Option<String>,
}

pub fn cookie_get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, value)| *key == name && !value.is_empty())
        .map(|(_, value)| value)
}

fn binding(headers: &HeaderMap) -> Option<String> {
    cookie_get(headers, SESSION_COOKIE)
        .map(|session| format!("session:{session}"))
        .or_else(|| cookie_get(headers, PRESESSION_COOKIE).map(|pre| format!("pre:{pre}")))
}

/// The token for a page answering `headers`; a browser with neither cookie gets a pre-session one.
pub fn token_for(secrets: &SecretBox, headers: &HeaderMap) -> CsrfToken {
    if let Some(binding) = binding(headers) {
        return CsrfToken {
            token: secrets.mac(CONTEXT, binding.as_bytes()),
            set_cookie: None,
        };
    }
    let mut random = [0u8; 16];
    // The OS random source failing leaves a fixed value: its forms would then verify only
    // against the same fixed cookie, which another site still cannot set or read.
    let _ = getrandom::fill(&mut random);
    let pre = hex::encode(random);
    CsrfToken {
        token: secrets.mac(CONTEXT, format!("pre:{pre}").as_bytes()),
        set_cookie: Some(format!(
            "{PRESESSION_COOKIE}={pre}; Path=/; HttpOnly; SameSite=Strict"
        )),
    }
}

/// Whether a posted form's token belongs to this browser.
pub fn verify(secrets: &SecretBox, headers: &HeaderMap, token: Option<&str>) -> bool {
    match (binding(headers), token) {
        (Some(binding), Some(token)) => secrets.mac_verify(CONTEXT, binding.as_bytes(), token),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(cookie: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(cookie).unwrap());
        headers
    }

    #[test]
    fn a_token_verifies_only_for_the_browser_it_was_made_for() {
        let secrets = SecretBox::from_base64(&SecretBox::key_generate().unwrap()).unwrap();
        let alice = headers("ingot_session=ingot_ses_alice");
        let token = token_for(&secrets, &alice);
        assert!(
            token.set_cookie.is_none(),
            "a session needs no pre-session cookie"
        );
        assert!(verify(&secrets, &alice, Some(&token.token)));
        assert!(!verify(
            &secrets,
            &headers("ingot_session=ingot_ses_bob"),
            Some(&token.token)
        ));
        assert!(!verify(&secrets, &alice, None));
        assert!(!verify(&secrets, &HeaderMap::new(), Some(&token.token)));
        let other_install = SecretBox::from_base64(&SecretBox::key_generate().unwrap()).unwrap();
        assert!(!verify(&other_install, &alice, Some(&token.token)));
    }

    #[test]
    fn a_visitor_gets_a_pre_session_cookie_that_binds_their_forms() {
        let secrets = SecretBox::from_base64(&SecretBox::key_generate().unwrap()).unwrap();
        let token = token_for(&secrets, &HeaderMap::new());
        let cookie = token.set_cookie.expect("a cookie for a new visitor");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        let pair = cookie.split(';').next().unwrap();
        assert!(verify(&secrets, &headers(pair), Some(&token.token)));
        assert!(!verify(
            &secrets,
            &headers("ingot_csrf=someone-elses"),
            Some(&token.token)
        ));
    }
}
