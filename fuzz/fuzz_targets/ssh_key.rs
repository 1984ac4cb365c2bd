//! SSH public keys as tenants paste them (`ssh-ed25519 AAAA… comment`): parsed from their wire
//! encoding or refused with a reason, never a panic; a parsed key parses again from its own
//! line to the same fingerprint.
#![no_main]

use ingot_app_platform::model::ssh_key::ssh_key_parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(key) = ssh_key_parse(text) {
        let again = ssh_key_parse(&key.public_key).expect("a parsed key's normalised form parses");
        assert_eq!(again.fingerprint, key.fingerprint);
    }
});
