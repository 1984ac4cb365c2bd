//! A payment provider's webhook (Stripe's event format), signed with the right secret so the
//! body's reading is reached: any body is an event, an ignored type or `Malformed`, never a
//! panic (amounts in minor units, currencies, missing fields).
#![no_main]

use ingot_billing::payments::{PaymentProvider, Stripe, StripeConfig};
use ingot_kernel::Timestamp;
use ingot_kernel::crypto::webhook_signature_make;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

const SECRET: &str = "whsec_fuzz";
const NOW_S: i64 = 1_800_000_000;

// Made once: a provider builds an HTTP client (trust roots and all), which would dwarf the parse.
static STRIPE: LazyLock<Stripe> = LazyLock::new(|| {
    Stripe::new(StripeConfig {
        base_url: "http://127.0.0.1:1".into(),
        api_key: "sk_test_fuzz".into(),
        webhook_secret: SECRET.into(),
        return_url: "http://localhost/".into(),
    })
});

fuzz_target!(|body: &[u8]| {
    let stripe = &*STRIPE;
    let signature = webhook_signature_make(SECRET, body, NOW_S);
    let now = Timestamp::from_micros(NOW_S * 1_000_000);
    let _ = stripe.webhook_parse(Some(&signature), body, now);
});
