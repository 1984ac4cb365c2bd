//! Wire conventions: OAuth 1.0a PLAINTEXT headers, and request parameters from the query string
//! and from urlencoded or multipart bodies (MAAS accepts both; python-libmaas always sends
//! multipart). Multipart is parsed here for plain form fields only — the simulator takes no file
//! uploads — which keeps a multipart crate out of the tree.

use std::collections::HashMap;

/// An API key `consumer:token:secret`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub consumer: String,
    pub token: String,
    pub secret: String,
}

impl ApiKey {
    pub fn parse(text: &str) -> Option<ApiKey> {
        let mut parts = text.trim().split(':');
        let key = ApiKey {
            consumer: parts.next()?.to_string(),
            token: parts.next()?.to_string(),
            secret: parts.next()?.to_string(),
        };
        (parts.next().is_none()
            && !key.consumer.is_empty()
            && !key.token.is_empty()
            && !key.secret.is_empty())
        .then_some(key)
    }

    /// A fresh key with MAAS's part sizes (18, 18, 32 alphanumerics).
    pub fn generate(rng: &mut crate::fleet::Rng) -> ApiKey {
        const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut part = |n: usize| -> String {
            (0..n)
                .map(|_| char::from(ALNUM[usize::try_from(rng.below(ALNUM.len() as u64)).unwrap_or(0)]))
                .collect()
        };
        ApiKey {
            consumer: part(18),
            token: part(18),
            secret: part(32),
        }
    }
}

impl std::fmt::Display for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.consumer, self.token, self.secret)
    }
}

/// Percent-decoding as OAuth header values need it.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if bytes[i] == b'%'
            && let Some(byte) = hex
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The parameters of an `Authorization: OAuth ...` header, unquoted and decoded; `None` when the
/// header is not OAuth.
pub fn oauth_params(header: &str) -> Option<HashMap<String, String>> {
    let rest = header.trim().strip_prefix("OAuth")?;
    let mut params = HashMap::new();
    for part in rest.split(',') {
        let Some((key, value)) = part.trim().split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"');
        params.insert(key.trim().to_string(), percent_decode(value));
    }
    Some(params)
}

/// The OAuth parameters MAAS requires before it treats a request as authenticated.
pub const OAUTH_REQUIRED: [&str; 6] = [
    "oauth_consumer_key",
    "oauth_token",
    "oauth_signature",
    "oauth_signature_method",
    "oauth_timestamp",
    "oauth_nonce",
];

/// Request parameters in arrival order; repeated keys are lists.
#[derive(Debug, Clone, Default)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn flag(&self, key: &str) -> bool {
        matches!(self.get(key), Some("true" | "True" | "1" | "on" | "yes"))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    pub fn from_urlencoded(text: &[u8]) -> Params {
        Params(
            form_urlencoded::parse(text)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// Form fields of a `multipart/form-data` body with `boundary`.
    pub fn from_multipart(body: &[u8], boundary: &str) -> Params {
        let delimiter = format!("--{boundary}");
        let text = String::from_utf8_lossy(body);
        let mut fields = Vec::new();
        for part in text.split(delimiter.as_str()).skip(1) {
            if part.starts_with("--") {
                break;
            }
            let part = part.strip_prefix("\r\n").unwrap_or(part);
            let Some((headers, value)) = part.split_once("\r\n\r\n") else {
                continue;
            };
            let name = headers.lines().find_map(|line| {
                let lower = line.to_ascii_lowercase();
                lower.starts_with("content-disposition").then(|| {
                    line.split(';').find_map(|attr| {
                        attr.trim()
                            .strip_prefix("name=")
                            .map(|n| n.trim_matches('"').to_string())
                    })
                })?
            });
            if let Some(name) = name {
                let value = value.strip_suffix("\r\n").unwrap_or(value);
                // Python's email package (python-libmaas) base64-encodes every part.
                let base64 = headers.lines().any(|line| {
                    let lower = line.to_ascii_lowercase();
                    lower.starts_with("content-transfer-encoding") && lower.contains("base64")
                });
                let value = if base64 {
                    use base64::Engine as _;
                    let compact: String = value.split_whitespace().collect();
                    match base64::engine::general_purpose::STANDARD.decode(compact) {
                        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                        Err(_) => value.to_string(),
                    }
                } else {
                    value.to_string()
                };
                fields.push((name, value));
            }
        }
        Params(fields)
    }
}

/// The boundary of a multipart content type, if it is one.
pub fn multipart_boundary(content_type: &str) -> Option<String> {
    let (kind, rest) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    rest.split(';').find_map(|attr| {
        attr.trim()
            .strip_prefix("boundary=")
            .map(|b| b.trim_matches('"').to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth_headers_as_gomaasapi_and_libmaas_send_them_are_read() {
        let header = r#"OAuth realm="OAuth", oauth_nonce="123", oauth_timestamp="1795979384", oauth_consumer_key="ck", oauth_signature_method="PLAINTEXT", oauth_version="1.0", oauth_token="tk", oauth_signature="%26sec""#;
        let params = oauth_params(header).unwrap();
        assert_eq!(params["oauth_signature"], "&sec");
        assert!(OAUTH_REQUIRED.iter().all(|k| params.contains_key(*k)));
        assert!(oauth_params("Bearer x").is_none());
    }

    #[test]
    fn multipart_and_urlencoded_bodies_give_the_same_fields() {
        let body = "--===b==\r\nContent-Disposition: form-data; name=\"distro_series\"\r\n\r\njammy\r\n--===b==\r\nContent-Type: text/plain\r\nContent-Disposition: form-data; name=\"user_data\"\r\n\r\nI2Nsb3VkLWNvbmZpZw==\r\n--===b==--\r\n";
        let boundary = multipart_boundary("multipart/form-data; boundary=\"===b==\"").unwrap();
        let params = Params::from_multipart(body.as_bytes(), &boundary);
        assert_eq!(params.get("distro_series"), Some("jammy"));
        assert_eq!(params.get("user_data"), Some("I2Nsb3VkLWNvbmZpZw=="));
        let encoded = "--b\r\nContent-Type: text/plain; charset=\"utf-8\"\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: form-data; name=\"distro_series\"\r\n\r\namFtbXk=\r\n--b--\r\n";
        assert_eq!(
            Params::from_multipart(encoded.as_bytes(), "b").get("distro_series"),
            Some("jammy")
        );
        let params = Params::from_urlencoded(b"machines=a&machines=b&comment=x+y");
        assert_eq!(params.all("machines"), ["a", "b"]);
        assert_eq!(params.get("comment"), Some("x y"));
        assert_eq!(ApiKey::parse("a:b:c").unwrap().to_string(), "a:b:c");
        assert!(ApiKey::parse("a:b").is_none());
    }
}
