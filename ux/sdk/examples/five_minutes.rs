//! docs/sdk.md's Rust walk-through, which CI runs against a live server: the catalog (no account
//! needed), a sign-up, and who the new session is.

use ingot_sdk::Client;
use ingot_sdk::ingot_contracts::iam::SignupRequest;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = std::env::var("INGOT_SERVER").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
    let anonymous = Client::new(&server)?;
    for offer in anonymous.catalog_offers().await? {
        println!("{} at {}: {} available", offer.sku, offer.site, offer.available);
    }
    let created = anonymous
        .signup(&SignupRequest {
            email: "grace@example.com".into(),
            password: "a long passphrase of mine 42".into(),
            display_name: "Grace".into(),
            tenant_name: "Grace's Lab".into(),
        })
        .await?;
    let grace = anonymous.with_token(created.session_token);
    println!("{}", grace.me_get().await?.user.email);
    Ok(())
}
