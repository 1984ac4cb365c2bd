//! The web app in a real browser (Debian's headless Chromium through chromedriver) against a real
//! `ingotd serve` on the embedded default: the tenant's journey (sign up → verify → top up →
//! allocate → watch it go active → release) and the operator's (onboard → maintenance →
//! force-release → verify the ledger), with accessibility checks and screenshots of each main
//! page; plus the pages' security (CSRF tokens, headers, other tenants' ids) over plain HTTP.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::browser::{Browser, Driver};

const ALICE_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOEeEcVR5yZKMAll6vRqnmUb5PPaibQTqlFojrZK0LFE alice@laptop";
const PASSWORD: &str = "violet-harbour-long-enough-9";

fn no_redirects() -> reqwest::Client {
    ingot_kernel::outbound::client_builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A real `ingotd serve` with no configuration, and a platform admin's token.
struct Served {
    child: std::process::Child,
    dir: std::path::PathBuf,
    base: String,
    admin_token: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Served {
    /// Started, and settled: the simulated region's first machines are on sale, so the start-up
    /// burst of onboarding writes is over before the browser arrives.
    async fn start() -> Served {
        let served = Served::spawned();
        let mut tick = tokio::time::interval(Duration::from_millis(200));
        for _ in 0..300 {
            tick.tick().await;
            let (status, offers) = served
                .api(None, reqwest::Method::GET, "/v1/catalog/offers", None)
                .await;
            if status == StatusCode::OK
                && offers.as_array().is_some_and(|offers| {
                    offers
                        .iter()
                        .any(|o| o["sku"] == "cpu-64c" && o["available"].as_u64() > Some(1))
                })
            {
                return served;
            }
        }
        panic!("the embedded default never put cpu-64c on sale");
    }

    fn spawned() -> Served {
        // In memory where the machine has it: Chromium's own disk writes beside it would make
        // every SQLite fsync wait on them, and these tests are about the pages.
        let base = [std::path::Path::new("/dev/shm")]
            .into_iter()
            .find(|dir| dir.is_dir())
            .map(std::path::Path::to_path_buf)
            .unwrap_or_else(std::env::temp_dir);
        let dir = base.join(format!("ingotd-web-{}", ingot_kernel::id::new_ulid()));
        std::fs::create_dir_all(&dir).unwrap();
        // A low failed-login threshold, evaluated often: the operator's journey meets an incident.
        let (child, address) = super::ingotd_spawn(
            &dir,
            &[
                ("INGOT_ALERTS_LOGIN_FAILURES", "3"),
                ("INGOT_ALERTS_INTERVAL_MS", "300"),
            ],
        );
        let admin = std::process::Command::new(env!("CARGO_BIN_EXE_ingotd"))
            .args(["bootstrap-admin", "--email", "root@example.com"])
            .current_dir(&dir)
            .output()
            .unwrap();
        Served {
            child,
            dir,
            base: format!("http://{address}"),
            admin_token: String::from_utf8(admin.stdout).unwrap().trim().to_string(),
        }
    }

    async fn api(
        &self,
        token: Option<&str>,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = no_redirects().request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Signs `email` up through the API and makes them a platform admin, as a root admin would;
    /// their session token.
    async fn operator_create(&self, email: &str) -> String {
        let (status, created) = self
            .api(
                None,
                reqwest::Method::POST,
                "/v1/auth/signup",
                Some(json!({"email": email, "password": PASSWORD, "display_name": "Olga Ops", "tenant_name": "Ops"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let user_id = created["user"]["id"].as_str().unwrap();
        let (status, body) = self
            .api(
                Some(&self.admin_token),
                reqwest::Method::PUT,
                &format!("/v1/admin/users/{user_id}/platform-roles"),
                Some(json!({"platform_roles": ["platform_admin", "security", "finance"]})),
            )
            .await;
        assert!(status.is_success(), "{status} {body}");
        created["session_token"].as_str().unwrap().to_string()
    }
}

async fn browser(driver: &Driver, served: &Served, javascript: bool) -> Browser {
    let mut browser = driver.session(javascript).await;
    browser.site = served.base.clone();
    browser
}

async fn login(browser: &Browser, email: &str) {
    browser.goto("/login").await;
    browser.fill("email", email).await;
    browser.fill("password", PASSWORD).await;
    browser.click("form[action=\"/login\"] button[type=submit]").await;
    browser.wait_for_path("/overview").await;
}

/// Allocates one cpu-64c machine through the form (the catalog's Allocate link), waits on the
/// allocation page until the page itself (its script, no reload) shows it active; its id.
async fn allocate_through_the_form(browser: &Browser, shots: Option<&str>) -> String {
    // The simulated region commissions its machines in seconds after start: reload the
    // catalog until one is on sale.
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    let link = "a[href^=\"/allocations/new?sku=cpu-64c\"]";
    for attempt in 0.. {
        browser.goto("/catalog").await;
        if browser.find_opt(link).await.is_some() {
            break;
        }
        assert!(
            attempt < 240,
            "cpu-64c never went on sale: {}",
            browser.page_text().await
        );
        tick.tick().await;
    }
    if let Some(prefix) = shots {
        browser.screenshot(&format!("{prefix}-catalog")).await;
        browser.assert_accessible("catalog").await;
    }
    browser.click(link).await;
    assert_eq!(
        browser
            .attribute("select[name=sku] option[selected]", "value")
            .await
            .as_deref(),
        Some("cpu-64c"),
        "the catalog's choice is preselected"
    );
    browser.fill("ssh_key_text", ALICE_KEY).await;
    browser
        .click("form[action=\"/allocations\"] button[type=submit]")
        .await;
    let path = browser.wait_for_path("/allocations/alc_*").await;
    let Some(allocation_id) = path.strip_prefix("/allocations/").map(str::to_string) else {
        panic!("not on an allocation page: {path} {}", browser.page_text().await);
    };
    browser
        .script("window.ingotNotReloaded = true; return null;")
        .await;
    if let Some(prefix) = shots {
        browser
            .screenshot(&format!("{prefix}-allocation-provisioning"))
            .await;
    }
    browser.wait_for_text("#progress .badge", "active").await;
    assert_eq!(
        browser.script("return window.ingotNotReloaded === true;").await,
        Value::Bool(true),
        "the progress went live without reloading the page"
    );
    allocation_id
}

#[tokio::test]
async fn a_tenant_and_an_operator_go_through_their_journeys_in_chromium() {
    let served = Served::start().await;
    let _ = served.operator_create("olga@example.com").await;
    let driver = Driver::start().await;
    let alice = browser(&driver, &served, true).await;

    // A visitor: the landing page, then sign-up (a weak password first, refused beside its field).
    alice.goto("/").await;
    alice.screenshot("01-landing").await;
    alice.assert_accessible("landing").await;
    alice.click("a[href=\"/signup\"]").await;
    alice.fill("email", "alice@example.com").await;
    alice.fill("password", "short").await;
    alice.fill("display_name", "Alice").await;
    alice.fill("tenant_name", "Alice Labs").await;
    alice.click("form[action=\"/signup\"] button[type=submit]").await;
    alice.wait_for_text(".alert", "correct the fields").await;
    assert_eq!(
        alice.attribute("#f-password", "aria-invalid").await.as_deref(),
        Some("true")
    );
    assert!(!alice.text("#f-password-error").await.is_empty());
    assert_eq!(
        alice.attribute("#f-email", "value").await.as_deref(),
        Some("alice@example.com"),
        "nothing typed is lost on an error"
    );
    alice.screenshot("02-signup-error").await;
    alice.assert_accessible("sign-up with an error").await;
    alice.fill("password", PASSWORD).await;
    alice.click("form[action=\"/signup\"] button[type=submit]").await;
    alice.wait_for_path("/overview").await;
    alice.screenshot("03-overview-new").await;
    alice.assert_accessible("overview").await;

    // Verification: an empty form is refused field by field; then submitted.
    alice.goto("/kyc").await;
    alice.click("form[action=\"/kyc\"] button[type=submit]").await;
    alice.wait_for_text("#f-legal_name-error", "required").await;
    // IAM checks each value (the form only shows its fields): a country name is not a code.
    alice.fill("legal_name", "Alice Labs GmbH").await;
    alice.fill("country", "Germany").await;
    alice.click("form[action=\"/kyc\"] button[type=submit]").await;
    alice
        .wait_for_text("#f-country-error", "two-letter ISO 3166-1 code")
        .await;
    alice.wait_for_text("#f-address-error", "required").await;
    alice.fill("country", "de").await;
    alice.fill("address", "1 Harbour Street, Hamburg").await;
    alice.click("form[action=\"/kyc\"] button[type=submit]").await;
    alice.wait_for_text(".card .badge", "submitted").await;
    let tenant_id = alice.text("#tenant-id").await;
    alice.screenshot("04-kyc-submitted").await;
    alice.assert_accessible("verification").await;

    // The operator logs in and verifies Alice's tenant from the KYC review page.
    let olga = browser(&driver, &served, true).await;
    login(&olga, "olga@example.com").await;
    olga.goto("/admin/kyc").await;
    olga.click(&format!("a[href=\"/admin/kyc?tenant={tenant_id}\"]"))
        .await;
    olga.wait_for_path(&format!("/admin/kyc?tenant={tenant_id}"))
        .await;
    olga.click("a[href$=\"&details=1\"]").await;
    olga.wait_for_text("#personal-data", "Alice Labs GmbH").await;
    olga.choose("decision", "verify").await;
    olga.fill("reason", "documents checked").await;
    olga.click("form[action^=\"/admin/kyc/\"] button[type=submit]")
        .await;
    olga.wait_for_text(".card .badge", "verified").await;
    olga.screenshot("05-admin-kyc").await;
    olga.assert_accessible("KYC review").await;

    // Top-up: a wrong amount is refused beside the field, then 500 is credited.
    alice.goto("/billing").await;
    alice.fill("amount", "lots").await;
    alice
        .click("form[action=\"/billing/top-up\"] button[type=submit]")
        .await;
    alice.wait_for_text("#f-amount-error", "amount").await;
    assert_eq!(
        alice.attribute("#f-amount", "aria-invalid").await.as_deref(),
        Some("true")
    );
    alice.fill("amount", "500").await;
    alice
        .click("form[action=\"/billing/top-up\"] button[type=submit]")
        .await;
    alice.wait_for_path("/billing").await;
    alice.wait_for_text(".card .figure", "500.00").await;
    alice.screenshot("06-billing").await;
    alice.assert_accessible("billing").await;

    // Allocate from the catalog and watch it provision live; copy-ready SSH commands.
    let first = allocate_through_the_form(&alice, Some("07")).await;
    assert!(alice.text("#progress code[id^=ssh-]").await.starts_with("ssh "));
    // The copy button puts the command on the clipboard (and says so).
    let command = alice.text("#progress code[id^=ssh-]").await;
    alice.click("#progress button[data-copy^=ssh-]").await;
    alice
        .wait_for_text("#progress button[data-copy^=ssh-]", "Copied")
        .await;
    // Reading it back takes the permission a person would give a paste.
    alice.permission_grant("clipboard-read").await;
    let copied = alice
        .script("return navigator.clipboard.readText().catch(function (e) { return 'unreadable: ' + e; });")
        .await;
    assert_eq!(copied.as_str(), Some(command.trim()), "{copied}");
    alice.screenshot("08-allocation-active").await;
    alice.assert_accessible("allocation").await;

    // Release, confirmed first.
    alice
        .click(&format!("a[href=\"/allocations/{first}/release\"]"))
        .await;
    alice
        .wait_for_path(&format!("/allocations/{first}/release"))
        .await;
    alice.screenshot("09-release-confirm").await;
    alice.assert_accessible("release confirmation").await;
    alice.click("button.danger").await;
    alice.wait_for_path(&format!("/allocations/{first}")).await;
    alice.wait_for_text("#progress .badge", "releas").await;

    // The operator: onboarding, a node into maintenance, a force-release, the ledger.
    olga.goto("/admin/sites").await;
    olga.screenshot("10-admin-sites").await;
    olga.assert_accessible("sites").await;
    olga.click("form[action=\"/admin/sites/demo1/onboard\"] button")
        .await;
    olga.wait_for_text("main", "MAAS reported").await;
    olga.goto("/admin/nodes?state=available").await;
    olga.screenshot("11-admin-nodes").await;
    olga.assert_accessible("nodes").await;
    // A node serving nobody (Alice's released machine may still be wiping).
    let free = olga
        .script(
            "return Array.from(document.querySelectorAll('tbody tr')).filter(function (row) { \
               return row.cells[4].innerText.trim() === 'no'; })[0].querySelector('a').getAttribute('href');",
        )
        .await;
    olga.goto(free.as_str().unwrap()).await;
    // A reimage without a reason (the browser's own check bypassed) is refused by MAAS, and the
    // error shows beside the reimage form alone, its disclosure open.
    olga.script(
        "var form = document.querySelector('form[action$=\"/reimage\"]'); \
         form.noValidate = true; form.submit(); return true;",
    )
    .await;
    olga.wait_for_text("details[open] #f-reimage-reason-error", "1 to 500")
        .await;
    assert!(olga.find_opt("#f-decommission-reason-error").await.is_none());
    assert!(olga.find_opt("#f-reason-error").await.is_none());
    olga.goto(free.as_str().unwrap()).await;
    olga.fill_in("form[action$=\"/maintenance\"]", "reason", "disk check")
        .await;
    olga.click("form[action$=\"/maintenance\"] button[type=submit]")
        .await;
    olga.wait_for_text("dl.card .badge", "maintenance").await;
    olga.wait_for_text("#history", "available → maintenance").await;
    olga.wait_for_text("#history", "disk check").await;
    olga.wait_for_text("#history", "registered").await;
    olga.screenshot("12-admin-node-maintenance").await;
    olga.assert_accessible("node detail").await;

    let second = allocate_through_the_form(&alice, None).await;
    olga.goto("/admin/allocations?state=active").await;
    olga.click(&format!("a[href=\"/admin/allocations?id={second}\"]"))
        .await;
    olga.wait_for_path(&format!("/admin/allocations?id={second}"))
        .await;
    olga.fill("reason", "hardware recall").await;
    olga.screenshot("13-admin-force-release").await;
    olga.assert_accessible("force-release").await;
    olga.click("button.danger").await;
    olga.wait_for_text("main", "force-released").await;
    alice.goto(&format!("/allocations/{second}")).await;
    alice.wait_for_text("#progress .badge", "releas").await;

    olga.goto("/admin/ledger").await;
    assert_eq!(olga.text("#ledger-verdict").await, "The ledger balances.");
    olga.screenshot("14-admin-ledger").await;
    olga.goto("/admin").await;
    olga.screenshot("15-admin-dashboards").await;
    olga.assert_accessible("dashboards").await;

    // Alice may not open operators' pages: the domain refuses, the page says so.
    alice.goto("/admin/ledger").await;
    alice.wait_for_text("main .alert", "not allowed").await;

    // At phone width nothing scrolls sideways but the tables' own regions.
    alice.resize(390, 844).await;
    alice.goto("/overview").await;
    assert_eq!(
        alice
            .script("return document.documentElement.scrollWidth <= window.innerWidth;")
            .await,
        Value::Bool(true),
        "the overview fits a phone's width"
    );
    alice.screenshot("16-overview-phone").await;
    alice.assert_accessible("overview at phone width").await;
    alice.goto(&format!("/allocations/{first}")).await;
    alice.screenshot("17-allocation-phone").await;

    alice.close().await;
    olga.close().await;
}

#[tokio::test]
async fn every_form_works_without_javascript() {
    let served = Served::start().await;
    let olga = served.operator_create("olga@example.com").await;
    let driver = Driver::start().await;
    let alice = browser(&driver, &served, true).await;
    alice.goto("/signup").await;
    alice.fill("email", "alice@example.com").await;
    alice.fill("password", PASSWORD).await;
    alice.fill("display_name", "Alice").await;
    alice.fill("tenant_name", "Alice Labs").await;
    alice.click("form[action=\"/signup\"] button[type=submit]").await;
    alice.wait_for_path("/overview").await;
    alice.goto("/ssh-keys").await;
    alice.fill("name", "laptop").await;
    alice.fill("public_key", ALICE_KEY).await;
    alice
        .click("form[action=\"/ssh-keys\"] button[type=submit]")
        .await;
    alice.wait_for_text("table", "laptop").await;

    // Mallory's browser runs no script at all.
    let mallory = browser(&driver, &served, false).await;
    mallory.goto("/signup").await;
    mallory.fill("email", "mallory@example.com").await;
    mallory.fill("password", PASSWORD).await;
    mallory.fill("display_name", "Mallory").await;
    mallory.fill("tenant_name", "Mallory Inc").await;
    mallory
        .click("form[action=\"/signup\"] button[type=submit]")
        .await;
    mallory.wait_for_path("/overview").await;
    mallory.goto("/kyc").await;
    mallory.fill("legal_name", "Mallory Inc").await;
    mallory.fill("country", "FR").await;
    mallory.fill("address", "2 Rue Basse, Paris").await;
    mallory.click("form[action=\"/kyc\"] button[type=submit]").await;
    mallory.wait_for_text(".card .badge", "submitted").await;
    let tenant_id = mallory.text("#tenant-id").await;
    let (status, body) = served
        .api(
            Some(&olga),
            reqwest::Method::POST,
            &format!("/v1/admin/kyc/{tenant_id}/decision"),
            Some(json!({"decision": "verify", "level": "basic", "reason": "documents checked"})),
        )
        .await;
    assert!(status.is_success(), "{status} {body}");
    mallory.goto("/billing").await;
    mallory.fill("amount", "100").await;
    mallory
        .click("form[action=\"/billing/top-up\"] button[type=submit]")
        .await;
    mallory.wait_for_text(".card .figure", "100.00").await;

    // An allocation made, watched (by reloading) until active, and released, with no script.
    mallory.goto("/allocations/new?sku=cpu-64c").await;
    mallory.fill("ssh_key_text", ALICE_KEY).await;
    mallory
        .click("form[action=\"/allocations\"] button[type=submit]")
        .await;
    let path = mallory.wait_for_path("/allocations/alc_*").await;
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    for attempt in 0.. {
        if mallory.text("#progress .badge").await.contains("active") {
            break;
        }
        assert!(attempt < 240, "never active: {}", mallory.page_text().await);
        tick.tick().await;
        mallory.goto(&path).await;
    }
    mallory.click(&format!("a[href=\"{path}/release\"]")).await;
    mallory.wait_for_path(&format!("{path}/release")).await;
    mallory.click("button.danger").await;
    mallory.wait_for_path(&path).await;
    mallory.wait_for_text("#progress .badge", "releas").await;
    mallory.goto("/ssh-keys").await;
    mallory.fill("name", "mine").await;
    mallory.fill("public_key", ALICE_KEY).await;
    mallory.choose("owner", "mine").await;
    mallory
        .click("form[action=\"/ssh-keys\"] button[type=submit]")
        .await;
    mallory.wait_for_text("table", "mine").await;
    mallory.goto("/account").await;
    mallory.fill("name", "ci").await;
    mallory
        .click("form[action=\"/account/tokens\"] button[type=submit]")
        .await;
    mallory.wait_for_text("main", "shown only once").await;
    let token = mallory.text("#new-token").await;
    assert!(
        token.starts_with("ingot_"),
        "the new token is shown once: {token}"
    );
    assert_eq!(
        mallory
            .attribute("button[data-copy=\"new-token\"]", "hidden")
            .await
            .as_deref(),
        Some("true"),
        "no page script ran (it would have shown the copy button)"
    );
    mallory.click("details summary").await;
    mallory.click("form[action$=\"/revoke\"] button").await;
    mallory.wait_for_text("table", "revoked").await;
    mallory.screenshot("20-account-no-javascript").await;
    mallory.assert_accessible("account without javascript").await;

    alice.close().await;
    mallory.close().await;
}

/// Over plain HTTP: the headers every page carries, and forms refused without this browser's
/// CSRF token (nothing changes), accepted with it.
#[tokio::test]
async fn pages_carry_strict_headers_and_forms_need_their_token() {
    let app = super::spawn_app(ingot_kernel::db::Backend::Sqlite, super::allocation::config).await;
    let (_sim, _) = super::maas::onboarded(&app, 4, json!({})).await;
    let client = no_redirects();
    let landing = client.get(format!("{}/", app.url)).send().await.unwrap();
    let csp = landing.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(landing.headers()["x-frame-options"], "DENY");
    assert_eq!(landing.headers()["cache-control"], "no-store");

    // Anonymous: pages send you to log in, with the way back.
    let overview = client.get(format!("{}/overview", app.url)).send().await.unwrap();
    assert_eq!(overview.status(), StatusCode::SEE_OTHER);
    assert_eq!(overview.headers()["location"], "/login?next=/overview");
    // A dead session cookie is no session: the login page, not a JSON error.
    let stale = client
        .get(format!("{}/overview", app.url))
        .header("cookie", "ingot_session=ingot_ses_not-a-session")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::SEE_OTHER);
    assert_eq!(stale.headers()["location"], "/login?next=/overview");
    // ... while the API still answers the same dead cookie with its 401.
    let api = client
        .get(format!("{}/v1/me", app.url))
        .header("cookie", "ingot_session=ingot_ses_not-a-session")
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);

    // Before log-in, the forms bind to a pre-session cookie; a page of another site that got
    // hold of a cookie and its token (say, planted from a sibling subdomain) is still refused
    // by its Origin.
    let login_page = client.get(format!("{}/login", app.url)).send().await.unwrap();
    let pre_session = login_page.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let login_html = login_page.text().await.unwrap();
    let login_token = login_html
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let login_post = |origin: &'static str| {
        let client = client.clone();
        let url = format!("{}/login", app.url);
        let origin = if origin.is_empty() {
            app.url.clone()
        } else {
            origin.to_string()
        };
        let cookie = pre_session.clone();
        let form = vec![
            ("email", "nobody@example.com".to_string()),
            ("password", PASSWORD.to_string()),
            ("_csrf", login_token.clone()),
        ];
        async move {
            client
                .post(url)
                .header("cookie", cookie)
                .header("origin", origin)
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };
    let foreign = login_post("https://evil.example.com").await;
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    let own = login_post("").await;
    assert_eq!(
        own.status(),
        StatusCode::UNAUTHORIZED,
        "the form is taken, and the unknown account refused"
    );

    let (status, created) = super::send(
        &app,
        None,
        "POST",
        "/v1/auth/signup",
        Some(json!({"email": "alice@example.com", "password": PASSWORD, "display_name": "A", "tenant_name": "A"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let session = created["session_token"].as_str().unwrap();
    let tenant = created["tenant"]["id"].as_str().unwrap();
    let cookie = format!("ingot_session={session}");
    let balance = || async {
        let (_, balance) = super::send(
            &app,
            Some(session),
            "GET",
            &format!("/v1/tenants/{tenant}/balance"),
            None,
        )
        .await;
        balance["cash"].clone()
    };
    let before = balance().await;
    let post = |form: Vec<(&'static str, String)>| {
        let client = client.clone();
        let cookie = cookie.clone();
        let url = format!("{}/billing/top-up", app.url);
        let origin = app.url.clone();
        async move {
            client
                .post(url)
                .header("cookie", cookie)
                .header("origin", origin)
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };
    let missing = post(vec![("amount", "100".into())]).await;
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let forged = post(vec![("amount", "100".into()), ("_csrf", "00".repeat(32))]).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(balance().await, before, "a refused form changes nothing");

    let page = client
        .get(format!("{}/billing", app.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = page
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    assert!(
        !page.contains(session),
        "the session token never appears in a page"
    );
    let accepted = post(vec![("amount", "100".into()), ("_csrf", token.clone())]).await;
    let status = accepted.status();
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "{}",
        accepted.text().await.unwrap()
    );
    assert_ne!(balance().await, before);

    // This month's statement downloads as Billing's CSV, the top-up on it.
    let month = ingot_kernel::Clock::now(&app.clock).to_string()[..7].to_string();
    let statement = client
        .get(format!("{}/billing/statements/{month}", app.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(statement.status(), StatusCode::OK);
    assert!(
        statement.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let csv = statement.text().await.unwrap();
    assert!(csv.starts_with("line,allocation_id,"), "{csv}");
    assert!(csv.contains("top_ups,,,,,,100.000000,USD"), "{csv}");

    // Another tenant's ids: not found through the pages, and nothing changes.
    let (status, mallory) = super::send(
        &app,
        None,
        "POST",
        "/v1/auth/signup",
        Some(json!({"email": "mallory@example.com", "password": PASSWORD, "display_name": "M", "tenant_name": "M"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let project = created["project"]["id"].as_str().unwrap();
    let (status, key) = super::send(
        &app,
        Some(session),
        "POST",
        &format!("/v1/projects/{project}/ssh-keys"),
        Some(json!({"name": "<img src=x onerror=alert(1)>laptop", "public_key": ALICE_KEY})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{key}");
    // What a tenant typed is text on the page, never markup.
    let keys_page = client
        .get(format!("{}/ssh-keys", app.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        keys_page.contains("&lt;img src=x onerror=alert(1)&gt;laptop"),
        "{keys_page}"
    );
    assert!(!keys_page.contains("<img src=x"), "{keys_page}");
    let mallory_cookie = format!("ingot_session={}", mallory["session_token"].as_str().unwrap());
    let mallory_page = client
        .get(format!("{}/ssh-keys", app.url))
        .header("cookie", &mallory_cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !mallory_page.contains(key["fingerprint"].as_str().unwrap()),
        "mallory does not see alice's keys"
    );
    let mallory_token = mallory_page
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let refused = client
        .post(format!(
            "{}/ssh-keys/{}/delete",
            app.url,
            key["id"].as_str().unwrap()
        ))
        .header("cookie", &mallory_cookie)
        .header("origin", &app.url)
        .form(&[("_csrf", mallory_token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let (_, keys) = super::send(
        &app,
        Some(session),
        "GET",
        &format!("/v1/projects/{project}/ssh-keys"),
        None,
    )
    .await;
    assert_eq!(keys.as_array().unwrap().len(), 1, "alice's key stays: {keys}");
    // A real allocation of another tenant: its page, its release page and its release post are
    // all "not found" for mallory, and it stays live.
    let carol = super::allocation::tenant(&app, "carol", ingot_contracts::iam::KycLevel::Basic, "500").await;
    let (status, allocation) = super::send(
        &app,
        Some(&carol.token),
        "POST",
        &format!("/v1/projects/{}/allocations", carol.project),
        Some(json!({"sku": "cpu-64c", "count": 1, "ssh_keys": [ALICE_KEY]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{allocation}");
    let carols = allocation["id"].as_str().unwrap();
    let released = client
        .post(format!("{}/allocations/{carols}/release", app.url))
        .header("cookie", &mallory_cookie)
        .header("origin", &app.url)
        .form(&[("_csrf", mallory_token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(released.status(), StatusCode::NOT_FOUND);
    let (_, still) = super::send(
        &app,
        Some(&carol.token),
        "GET",
        &format!("/v1/allocations/{carols}"),
        None,
    )
    .await;
    assert_eq!(
        still["state"], allocation["state"],
        "carol's allocation is untouched: {still}"
    );
    for path in [
        format!("/allocations/{carols}"),
        format!("/allocations/{carols}/release"),
        "/admin/ledger".to_string(),
    ] {
        let page = client
            .get(format!("{}{path}", app.url))
            .header("cookie", &mallory_cookie)
            .send()
            .await
            .unwrap();
        let status = page.status();
        let body_of = page.headers()["content-type"].to_str().unwrap().to_string();
        let text = page.text().await.unwrap();
        assert!(status.is_client_error(), "{path}: {status}");
        assert!(body_of.starts_with("text/html"), "{path}: {body_of}");
        if path != "/admin/ledger" {
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {text}");
        }
    }
    // Alice's own token does not work in mallory's browser.
    let crossed = client
        .post(format!("{}/billing/top-up", app.url))
        .header("cookie", &mallory_cookie)
        .header("origin", &app.url)
        .form(&[("amount", "100"), ("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(crossed.status(), StatusCode::FORBIDDEN);
}

/// The id of the tenant named `name` among the memberships of the session `token`.
async fn tenant_id_named(served: &Served, token: &str, name: &str) -> String {
    let (status, me) = served
        .api(Some(token), reqwest::Method::GET, "/v1/me", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{me}");
    me["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["tenant_name"] == name)
        .and_then(|m| m["tenant_id"].as_str())
        .unwrap_or_else(|| panic!("no membership in {name}: {me}"))
        .to_string()
}

/// What an authenticator app shows for `secret` at `step` (30-second steps since the epoch).
fn totp_at_step(secret: &str, step: i64) -> String {
    ingot_iam::secrets::totp_code(&super::iam::base32_decode(secret), step)
}

fn totp_step_now() -> i64 {
    ingot_kernel::Clock::now(&ingot_kernel::SystemClock).as_micros() / 1_000_000 / 30
}

#[tokio::test]
async fn members_webhooks_two_factor_and_the_operators_tools_work_in_chromium() {
    let served = Served::start().await;
    let _ = served.operator_create("olga@example.com").await;
    let (status, bob) = served
        .api(
            None,
            reqwest::Method::POST,
            "/v1/auth/signup",
            Some(json!({"email": "bob@example.com", "password": PASSWORD, "display_name": "Bob", "tenant_name": "Bob"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{bob}");
    let driver = Driver::start().await;
    let alice = browser(&driver, &served, true).await;
    alice.goto("/signup").await;
    alice.fill("email", "alice@example.com").await;
    alice.fill("password", PASSWORD).await;
    alice.fill("display_name", "Alice").await;
    alice.fill("tenant_name", "Alice Labs").await;
    alice.click("form[action=\"/signup\"] button[type=submit]").await;
    alice.wait_for_path("/overview").await;

    // Members: an unknown email is refused beside the field; Bob is added, then made a viewer.
    alice.goto("/members").await;
    alice.fill("email", "nobody@example.com").await;
    alice.click("form[action=\"/members\"] button[type=submit]").await;
    alice.wait_for_text("main .alert", "").await;
    alice.fill("email", "bob@example.com").await;
    alice.choose("role", "member").await;
    alice.click("form[action=\"/members\"] button[type=submit]").await;
    alice.wait_for_path("/members").await;
    alice.wait_for_text("table", "bob@example.com").await;
    let bob_id = bob["user"]["id"].as_str().unwrap();
    alice
        .click(&format!("select#role-{bob_id} option[value=\"viewer\"]"))
        .await;
    alice
        .click_and_load(&format!("form[action=\"/members/{bob_id}/role\"] button"))
        .await;
    alice.wait_for_path("/members").await;
    assert_eq!(
        alice
            .attribute(&format!("select#role-{bob_id} option[selected]"), "value")
            .await
            .as_deref(),
        Some("viewer")
    );
    let (_, members) = served
        .api(
            Some(bob["session_token"].as_str().unwrap()),
            reqwest::Method::GET,
            "/v1/me",
            None,
        )
        .await;
    assert!(members["memberships"].to_string().contains("viewer"), "{members}");
    alice.screenshot("30-members").await;
    alice.assert_accessible("members").await;

    // Bob, in two tenants now, switches to Alice's from the header and sees her name there.
    let bob_browser = browser(&driver, &served, true).await;
    login(&bob_browser, "bob@example.com").await;
    bob_browser.wait_for_text(".who", "Bob · Bob").await;
    let alice_tenant = tenant_id_named(&served, bob["session_token"].as_str().unwrap(), "Alice Labs").await;
    bob_browser.choose("tenant_id", &alice_tenant).await;
    bob_browser.click("form[action=\"/tenant\"] button").await;
    bob_browser.wait_for_text(".who", "Bob · Alice Labs").await;
    bob_browser.goto("/members").await;
    bob_browser.wait_for_text("table", "alice@example.com").await;
    bob_browser.close().await;

    // Webhooks: the secret is shown once; disabling and enabling take effect.
    alice.goto("/webhooks").await;
    alice.fill("url", "http://127.0.0.1:9/ingot").await;
    alice.click("input[value=\"allocation.created\"]").await;
    alice.click("input[value=\"node.active\"]").await;
    alice
        .click("form[action=\"/webhooks\"] button[type=submit]")
        .await;
    alice.wait_for_text("main", "shown only now").await;
    assert!(alice.text("#webhook-secret").await.len() >= 32);
    alice.click("table a[href^=\"/webhooks/whk_\"]").await;
    alice.wait_for_path("/webhooks/whk_*").await;
    alice.click("form[action$=\"/disable\"] button").await;
    alice.wait_for_text("dl.card", "disabled").await;
    alice.click("form[action$=\"/enable\"] button").await;
    alice.wait_for_text("dl.card", "enabled").await;
    alice.screenshot("31-webhook").await;
    alice.assert_accessible("webhook").await;

    // Two-factor: enrolled with a code the app would show; then log-in asks for one.
    alice.goto("/account").await;
    alice.click("form[action=\"/account/mfa\"] button").await;
    alice.wait_for_path("/account/mfa").await;
    let secret = alice.text("#totp-secret").await;
    let step = totp_step_now();
    alice.fill("code", &totp_at_step(&secret, step)).await;
    alice.click("form[action=\"/account/mfa/confirm\"] button").await;
    alice.wait_for_text("#recovery-codes", "").await;
    alice.screenshot("32-recovery-codes").await;
    alice.click("form[action=\"/logout\"] button").await;
    alice.wait_for_path("/login").await;
    alice.fill("email", "alice@example.com").await;
    alice.fill("password", PASSWORD).await;
    alice.click("form[action=\"/login\"] button[type=submit]").await;
    alice.wait_for_text("#f-totp_code-error", "code").await;
    alice.screenshot("33-login-needs-code").await;
    alice.assert_accessible("log-in asking for a code").await;
    alice.fill("password", PASSWORD).await;
    alice.fill("totp_code", &totp_at_step(&secret, step + 1)).await;
    alice.click("form[action=\"/login\"] button[type=submit]").await;
    alice.wait_for_path("/overview").await;

    // The operator: a reconcile pass, a credit, the ledger and the audit log.
    let olga = browser(&driver, &served, true).await;
    login(&olga, "olga@example.com").await;
    // The site's policy: a bad number refused beside its field, then saved.
    olga.goto("/admin/sites/demo1/policy").await;
    olga.fill("max_concurrent_deploys", "many").await;
    olga.click("form[action=\"/admin/sites/demo1/policy\"] button[type=submit]")
        .await;
    olga.wait_for_text("#f-max_concurrent_deploys-error", "whole number")
        .await;
    olga.fill("max_concurrent_deploys", "7").await;
    olga.click("form[action=\"/admin/sites/demo1/policy\"] button[type=submit]")
        .await;
    olga.wait_for_path("/admin/sites").await;
    olga.goto("/admin/sites/demo1/policy").await;
    assert_eq!(
        olga.attribute("#f-max_concurrent_deploys", "value")
            .await
            .as_deref(),
        Some("7")
    );
    olga.screenshot("37-admin-site-policy").await;
    olga.assert_accessible("site policy").await;
    olga.goto("/admin/sites/demo1/drift").await;
    olga.click("form[action=\"/admin/sites/demo1/reconcile\"] button")
        .await;
    olga.wait_for_text("main", "Reconcile pass").await;
    olga.screenshot("34-admin-drift").await;
    olga.assert_accessible("drift").await;
    alice.goto("/kyc").await;
    let tenant_id = alice.text("#tenant-id").await;
    olga.goto("/admin/ledger").await;
    olga.fill("tenant_id", &tenant_id).await;
    olga.fill("amount", "ten").await;
    olga.fill("reason", "outage on 2026-12-01").await;
    olga.click("form[action=\"/admin/credits\"] button[type=submit]")
        .await;
    olga.wait_for_text("#f-amount-error", "amount").await;
    olga.fill("amount", "10").await;
    olga.click("form[action=\"/admin/credits\"] button[type=submit]")
        .await;
    olga.wait_for_text("main .notice", "Credited 10.00 USD").await;
    assert_eq!(
        olga.attribute("#f-amount", "value").await.as_deref(),
        Some(""),
        "after a credit the form starts empty, so a second click cannot repeat it"
    );
    assert_eq!(olga.text("#ledger-verdict").await, "The ledger balances.");
    olga.screenshot("35-admin-credit").await;
    olga.assert_accessible("ledger and credits").await;
    alice.goto("/billing").await;
    alice.wait_for_text(".card .figure", "10.00").await;
    olga.goto("/admin/audit").await;
    olga.wait_for_text("table", "credit").await;
    olga.screenshot("36-admin-audit").await;
    olga.assert_accessible("audit log").await;

    // Failed logins past the (lowered) threshold open an incident; the operator works it.
    for n in 0..3 {
        let (status, _) = served
            .api(
                None,
                reqwest::Method::POST,
                "/v1/auth/login",
                Some(json!({"email": format!("nobody-{n}@example.com"), "password": "wrong-password-here"})),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let mut tick = tokio::time::interval(Duration::from_millis(200));
    for waited in 0.. {
        olga.goto("/admin/incidents").await;
        if olga.text("main").await.contains("Failed logins spiked") {
            break;
        }
        assert!(waited < 100, "no incident for the failed logins");
        tick.tick().await;
    }
    olga.screenshot("38-admin-incidents").await;
    olga.assert_accessible("incidents").await;
    olga.click_and_load("main table a").await;
    olga.wait_for_text("main", "Timeline").await;
    olga.fill_in("#ack", "note", "looking at the login page").await;
    olga.assert_accessible("incident").await;
    olga.click_and_load("#ack button").await;
    olga.wait_for_text("main", "acknowledged").await;
    olga.screenshot("39-admin-incident").await;

    alice.close().await;
    olga.close().await;
}
