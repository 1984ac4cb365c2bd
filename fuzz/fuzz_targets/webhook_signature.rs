//! The `t=…,v1=…` signature header of inbound provider webhooks (KYC and payments share it):
//! any header and body is judged without panicking, a header passes only with the MAC the secret
//! makes of the body at a timestamp within the tolerance, and the secret's own signature passes.
#![no_main]

use ingot_kernel::crypto::{WEBHOOK_TOLERANCE_S, webhook_signature_make, webhook_signature_verify};
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "fuzz-webhook-secret-123";
const NOW_S: i64 = 1_800_000_000;

fuzz_target!(|data: &[u8]| {
    // The input is `header \n body`; a header without a newline gets an empty body.
    let (header, body) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let header = String::from_utf8_lossy(header);
    if webhook_signature_verify(SECRET, Some(&header), body, NOW_S) {
        let genuine = (NOW_S - WEBHOOK_TOLERANCE_S..=NOW_S + WEBHOOK_TOLERANCE_S).any(|t| {
            let made = webhook_signature_make(SECRET, body, t);
            let mac = made
                .split_once(",v1=")
                .map(|(_, mac)| mac.to_string())
                .unwrap_or_default();
            header.contains(&format!("t={t}")) && header.to_ascii_lowercase().contains(&mac)
        });
        assert!(genuine, "accepted a header the secret did not make: {header:?}");
    }
    let own = webhook_signature_make(SECRET, body, NOW_S);
    assert!(webhook_signature_verify(SECRET, Some(&own), body, NOW_S));
});
