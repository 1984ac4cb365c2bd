//! A small W3C WebDriver client over reqwest, driving Debian's headless Chromium through
//! chromedriver: enough to click through the web app as a person would, take screenshots and run
//! the accessibility checks (`a11y.js`) inside the page.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// Checks run inside the page: labels, names, headings, ids, contrast, tabindex (see the file).
const A11Y_SCRIPT: &str = include_str!("a11y.js");

/// A chromedriver process; dropped, it is killed.
pub struct Driver {
    child: Child,
    url: String,
    http: reqwest::Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn program(env: &str, default: &str) -> String {
    std::env::var(env).unwrap_or_else(|_| default.to_string())
}

/// Screenshots go under `target/browser-screenshots/` (CI keeps them as artifacts).
pub fn screenshot_dir() -> PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let dir = target.join("browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Driver {
    /// Starts chromedriver (`CHROMEDRIVER`, else /usr/bin/chromedriver) on a free port and waits
    /// until it answers. Missing, the test fails: `.ci/run` installs it.
    pub async fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let path = program("CHROMEDRIVER", "/usr/bin/chromedriver");
        let child = Command::new(&path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|err| {
                panic!("cannot start {path} ({err}): install chromium-driver (.ci/run does)")
            });
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            http: ingot_kernel::outbound::client_builder().build().unwrap(),
        };
        let mut tick = tokio::time::interval(Duration::from_millis(50));
        for _ in 0..200 {
            tick.tick().await;
            if let Ok(response) = driver.http.get(format!("{}/status", driver.url)).send().await
                && let Ok(status) = response.json::<Value>().await
                && status["value"]["ready"] == true
            {
                return driver;
            }
        }
        panic!("chromedriver did not become ready in 10 s");
    }

    /// A new browser with its own profile (cookies); `javascript: false` turns scripts off, to
    /// prove the pages work without them.
    pub async fn session(&self, javascript: bool) -> Browser {
        let profile = [std::path::Path::new("/dev/shm")]
            .into_iter()
            .find(|dir| dir.is_dir())
            .map(std::path::Path::to_path_buf)
            .unwrap_or_else(std::env::temp_dir)
            .join(format!("ingot-chromium-{}", ingot_kernel::id::new_ulid()));
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.display()),
        ];
        if !javascript {
            args.push("--blink-settings=scriptEnabled=false".into());
        }
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": program("CHROMIUM", "/usr/bin/chromium"),
                        "args": args,
                    }
                }
            }
        });
        let answer: Value = self
            .http
            .post(format!("{}/session", self.url))
            .json(&capabilities)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = answer["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no browser session: {answer}"))
            .to_string();
        Browser {
            base: format!("{}/session/{id}", self.url),
            http: self.http.clone(),
            site: String::new(),
            profile,
        }
    }
}

/// One browser window, pointed at `site`.
pub struct Browser {
    base: String,
    http: reqwest::Client,
    pub site: String,
    profile: PathBuf,
}

#[derive(Clone, Debug)]
pub struct Element(String);

impl Browser {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method.clone(), format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer: Value = request.send().await.unwrap().json().await.unwrap();
        if answer["value"].get("error").is_some() {
            panic!("webdriver {method} {path}: {}", answer["value"]);
        }
        answer["value"].clone()
    }

    async fn try_call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Option<Value> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer: Value = request.send().await.ok()?.json().await.ok()?;
        if answer["value"].get("error").is_some() {
            return None;
        }
        Some(answer["value"].clone())
    }

    pub async fn goto(&self, path: &str) {
        self.call(
            reqwest::Method::POST,
            "/url",
            Some(json!({"url": format!("{}{path}", self.site)})),
        )
        .await;
    }

    /// The current path (and query).
    pub async fn path(&self) -> String {
        let url = self.call(reqwest::Method::GET, "/url", None).await;
        url.as_str().unwrap().trim_start_matches(&self.site).to_string()
    }

    pub async fn find(&self, css: &str) -> Element {
        match self.find_opt(css).await {
            Some(element) => element,
            None => {
                let body = self
                    .script("return document.body ? document.body.innerText : '';")
                    .await;
                panic!(
                    "no element matches {css:?} on {}; the page reads:\n{}",
                    self.path().await,
                    body.as_str().unwrap_or_default()
                )
            }
        }
    }

    pub async fn find_opt(&self, css: &str) -> Option<Element> {
        let found = self
            .try_call(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await?;
        Some(Element(found[ELEMENT_KEY].as_str()?.to_string()))
    }

    pub async fn click(&self, css: &str) {
        let element = self.find(css).await;
        self.click_element(&element).await;
    }

    pub async fn click_element(&self, element: &Element) {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{}/click", element.0),
            Some(json!({})),
        )
        .await;
    }

    /// Clicks (a submit button, a link) and waits (up to 30 s) until another document has
    /// loaded: for a form that posts back to the page it is on, where the path says nothing.
    pub async fn click_and_load(&self, css: &str) {
        self.script("window.ingotPageBefore = true; return true;").await;
        self.click(css).await;
        let mut tick = tokio::time::interval(Duration::from_millis(50));
        for _ in 0..600 {
            tick.tick().await;
            let loaded = self
                .try_call(
                    reqwest::Method::POST,
                    "/execute/sync",
                    Some(json!({"script": "return window.ingotPageBefore !== true && document.readyState === 'complete';", "args": []})),
                )
                .await;
            if loaded == Some(Value::Bool(true)) {
                return;
            }
        }
        panic!(
            "clicking {css} never loaded another page: {}",
            self.page_text().await
        );
    }

    /// Clears the field named `name` and types `text` into it.
    pub async fn fill(&self, name: &str, text: &str) {
        self.fill_in("", name, text).await;
    }

    /// [`Browser::fill`] for the field of that name inside `form` (a CSS selector), when the
    /// page has several forms with fields of the same name.
    pub async fn fill_in(&self, form: &str, name: &str, text: &str) {
        let element = self.find(&format!("{form} [name=\"{name}\"]")).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{}/clear", element.0),
            Some(json!({})),
        )
        .await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{}/value", element.0),
            Some(json!({"text": text})),
        )
        .await;
    }

    /// Chooses the option whose value is `value` in the `<select name=…>`.
    pub async fn choose(&self, name: &str, value: &str) {
        self.click(&format!("select[name=\"{name}\"] option[value=\"{value}\"]"))
            .await;
    }

    pub async fn text(&self, css: &str) -> String {
        let element = self.find(css).await;
        self.element_text(&element).await
    }

    pub async fn element_text(&self, element: &Element) -> String {
        let text = self
            .call(
                reqwest::Method::GET,
                &format!("/element/{}/text", element.0),
                None,
            )
            .await;
        text.as_str().unwrap_or_default().to_string()
    }

    pub async fn attribute(&self, css: &str, name: &str) -> Option<String> {
        let element = self.find(css).await;
        let value = self
            .call(
                reqwest::Method::GET,
                &format!("/element/{}/attribute/{name}", element.0),
                None,
            )
            .await;
        value.as_str().map(str::to_string)
    }

    /// Grants the page a browser permission (`clipboard-read`), as a person clicking "Allow"
    /// would (the W3C Permissions extension of WebDriver).
    pub async fn permission_grant(&self, name: &str) {
        self.call(
            reqwest::Method::POST,
            "/permissions",
            Some(json!({"descriptor": {"name": name}, "state": "granted"})),
        )
        .await;
    }

    pub async fn script(&self, script: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
        .await
    }

    /// The whole page's text, for assertions about what a person reads.
    pub async fn page_text(&self) -> String {
        self.text("body").await
    }

    /// Waits (up to 60 s, checking every 100 ms) until `css` matches an element whose text
    /// contains `needle`; panics with what the page showed instead. Read in one script call, so a
    /// page replacing its elements meanwhile (navigation, live refresh) is simply read again.
    pub async fn wait_for_text(&self, css: &str, needle: &str) {
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        let read = json!({
            "script": "return Array.from(document.querySelectorAll(arguments[0])).map(function (e) { return e.innerText; });",
            "args": [css],
        });
        let mut last = Value::Null;
        for _ in 0..600 {
            tick.tick().await;
            if let Some(texts) = self
                .try_call(reqwest::Method::POST, "/execute/sync", Some(read.clone()))
                .await
            {
                if texts.as_array().is_some_and(|texts| {
                    texts
                        .iter()
                        .any(|t| t.as_str().unwrap_or_default().contains(needle))
                }) {
                    return;
                }
                last = texts;
            }
        }
        let body = self
            .script("return document.body ? document.body.innerText : '';")
            .await;
        panic!(
            "{css:?} never showed {needle:?} on {}; last seen: {last}; the page reads:\n{}",
            self.path().await,
            body.as_str().unwrap_or_default()
        );
    }

    /// Waits (up to 30 s) until the browser is at `expected` (a path, or a prefix ending in
    /// `*`): a click on a submit button returns before the post and its redirect finish.
    pub async fn wait_for_path(&self, expected: &str) -> String {
        let mut tick = tokio::time::interval(Duration::from_millis(50));
        let mut path = String::new();
        for _ in 0..600 {
            tick.tick().await;
            path = self.path().await;
            let ready = self.script("return document.readyState === 'complete';").await == Value::Bool(true);
            let matches = match expected.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix),
                None => path == expected,
            };
            if matches && ready {
                return path;
            }
        }
        panic!("never reached {expected}; at {path}: {}", self.page_text().await);
    }

    pub async fn resize(&self, width: u32, height: u32) {
        self.call(
            reqwest::Method::POST,
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        )
        .await;
    }

    /// Saves a PNG of the viewport as `target/browser-screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let data = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap())
            .unwrap();
        std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
    }

    /// Runs the accessibility checks on the current page and fails the test on any violation.
    pub async fn assert_accessible(&self, page: &str) {
        let violations = self.script(A11Y_SCRIPT).await;
        let violations = violations.as_array().cloned().unwrap_or_default();
        assert!(
            violations.is_empty(),
            "accessibility violations on {page}:\n{}",
            violations
                .iter()
                .map(|v| format!("  - {}", v.as_str().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    pub async fn close(self) {
        let _ = self.http.delete(&self.base).send().await;
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
