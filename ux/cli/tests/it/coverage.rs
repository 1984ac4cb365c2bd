//! Every `/v1` operation of the served OpenAPI document is reachable from the Rust SDK (a method
//! named after its `operationId` that calls its method and path) and from the CLI (a command
//! that calls that method, directly or through another SDK method). A new route without both
//! fails here, naming it. No exceptions: even the providers' inbound webhooks have a command
//! (`ingot admin provider-event`), for delivering one by hand.

use std::collections::{BTreeMap, BTreeSet};

/// One SDK method: the `/v1` paths it names (`{…}` made `{}`, query dropped), the HTTP methods it
/// names, and the other SDK methods it calls.
#[derive(Debug, Default)]
struct SdkMethod {
    paths: BTreeSet<String>,
    verbs: BTreeSet<&'static str>,
    calls: BTreeSet<String>,
}

/// `/v1/tenants/{tenant_id}/x?y={y}` as `/v1/tenants/{}/x`.
fn path_shape(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    let mut shape = String::new();
    let mut in_brace = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_brace = true;
                shape.push_str("{}");
            }
            '}' => in_brace = false,
            _ if in_brace => {}
            _ => shape.push(c),
        }
    }
    shape
}

fn identifier_at(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The `/v1` paths named in `text`'s string literals, shaped (`format!("{}/v1/x", base)` too).
fn paths_in(text: &str) -> BTreeSet<String> {
    text.match_indices("/v1/")
        .filter(|(at, _)| {
            text[..*at]
                .rfind('"')
                .is_some_and(|quote| !text[quote..*at].contains(char::is_whitespace))
        })
        .map(|(at, _)| {
            let literal = &text[at..];
            path_shape(&literal[..literal.find('"').unwrap_or(literal.len())])
        })
        .collect()
}

/// The SDK's methods, read from its source: each `pub async fn` up to the next `fn`; a free
/// helper that builds a path (`fn statement_path(…)`) lends its paths to the methods calling it.
fn sdk_methods(source: &str) -> BTreeMap<String, SdkMethod> {
    let helpers: Vec<(String, BTreeSet<String>)> = source
        .match_indices("\nfn ")
        .map(|(at, _)| {
            let name = identifier_at(&source[at + "\nfn ".len()..]).to_string();
            let rest = &source[at + 1..];
            let body = &rest[..rest.find("\n}").unwrap_or(rest.len())];
            (name, paths_in(body))
        })
        .filter(|(_, paths)| !paths.is_empty())
        .collect();
    let mut methods = BTreeMap::new();
    let starts: Vec<usize> = source.match_indices("pub async fn ").map(|(at, _)| at).collect();
    for (i, start) in starts.iter().enumerate() {
        let name = identifier_at(&source[start + "pub async fn ".len()..]).to_string();
        let end = starts.get(i + 1).copied().unwrap_or(source.len());
        let body = &source[*start..end];
        // A private helper after the last public method is not part of it.
        let body = ["\n    async fn ", "\n    fn ", "\n    pub fn ", "\n}"]
            .iter()
            .filter_map(|next| body[1..].find(next))
            .min()
            .map_or(body, |next| &body[..next + 1]);
        let mut method = SdkMethod {
            paths: paths_in(body),
            ..SdkMethod::default()
        };
        for (helper, paths) in &helpers {
            if body.contains(&format!("{helper}(")) {
                method.paths.extend(paths.iter().cloned());
            }
        }
        for (verb, markers) in [
            (
                "GET",
                &[
                    "Method::GET",
                    "self.get(",
                    ".http.get(",
                    ".http\n            .get(",
                ][..],
            ),
            (
                "POST",
                &[
                    "Method::POST",
                    "self.post_idempotent(",
                    ".http.post(",
                    ".http\n            .post(",
                ][..],
            ),
            ("PUT", &["Method::PUT"][..]),
            ("PATCH", &["Method::PATCH"][..]),
            ("DELETE", &["Method::DELETE"][..]),
        ] {
            if markers.iter().any(|marker| body.contains(marker)) {
                method.verbs.insert(verb);
            }
        }
        for (at, _) in body.match_indices("self.") {
            method
                .calls
                .insert(identifier_at(&body[at + "self.".len()..]).to_string());
        }
        methods.insert(name, method);
    }
    methods
}

#[tokio::test]
async fn every_v1_operation_has_an_sdk_method_and_a_cli_command() {
    let (url, _admin, _db) = super::server().await;
    let document: serde_json::Value = reqwest::get(format!("{url}/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (verb, operation) in item.as_object().unwrap() {
            if let Some(id) = operation["operationId"].as_str() {
                operations.push((verb.to_uppercase(), path.clone(), id.to_string()));
            }
        }
    }
    assert!(
        operations.len() > 100,
        "the document lists the API: {}",
        operations.len()
    );

    let sdk = sdk_methods(include_str!("../../../sdk/src/lib.rs"));
    let cli_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut cli = String::new();
    for entry in std::fs::read_dir(&cli_dir).unwrap() {
        cli.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    // What the CLI reaches: the SDK methods it calls, and what those call in turn.
    let mut reached: BTreeSet<&str> = sdk
        .keys()
        .filter(|name| cli.contains(&format!(".{name}(")))
        .map(String::as_str)
        .collect();
    loop {
        let more: BTreeSet<&str> = reached
            .iter()
            .flat_map(|name| sdk[*name].calls.iter())
            .filter(|called| sdk.contains_key(*called))
            .map(String::as_str)
            .collect();
        if more.is_subset(&reached) {
            break;
        }
        reached.extend(more);
    }

    let mut missing = Vec::new();
    for (verb, path, id) in &operations {
        if !path.starts_with("/v1/") {
            continue;
        }
        match sdk.get(id) {
            None => missing.push(format!("{verb} {path}: no SDK method `{id}`")),
            Some(method)
                if !method.paths.contains(&path_shape(path)) || !method.verbs.contains(verb.as_str()) =>
            {
                missing.push(format!(
                    "{verb} {path}: the SDK's `{id}` calls {:?} {:?} instead",
                    method.verbs, method.paths
                ))
            }
            Some(_) if !reached.contains(id.as_str()) => {
                missing.push(format!("{verb} {path}: no CLI command calls `{id}`"))
            }
            Some(_) => {}
        }
    }
    assert!(missing.is_empty(), "not reachable:\n{}", missing.join("\n"));
}

#[test]
fn the_source_reader_sees_paths_verbs_and_calls() {
    let source = r#"
    pub async fn thing_get(&self, id: ThingId) -> Result<Thing, Error> {
        self.get(&format!("/v1/things/{id}?full={full}")).await
    }

    pub async fn thing_wait(&self) -> Result<(), Error> {
        self.thing_get(id).await
    }

    async fn get(&self) {}
"#;
    let methods = sdk_methods(source);
    assert_eq!(
        methods["thing_get"].paths,
        BTreeSet::from(["/v1/things/{}".to_string()])
    );
    assert_eq!(methods["thing_get"].verbs, BTreeSet::from(["GET"]));
    assert!(methods["thing_wait"].calls.contains("thing_get"));
    assert!(methods["thing_wait"].paths.is_empty());
    assert_eq!(path_shape("/v1/a/{a_id}/b/{b}"), "/v1/a/{}/b/{}");
    let helped = sdk_methods(
        r#"
    pub async fn month_get(&self) -> Result<(), Error> {
        let request = self
            .http
            .get(format!("{}/v1/admin/x", self.base));
        self.get(&month_path(m)).await
    }
}

fn month_path(m: &str) -> String {
    format!("/v1/months/{}", m)
}
"#,
    );
    assert_eq!(
        helped["month_get"].paths,
        BTreeSet::from(["/v1/admin/x".to_string(), "/v1/months/{}".to_string()])
    );
}
