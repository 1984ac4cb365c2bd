//! Encryption at rest for secrets the system must read back (TOTP seeds, MAAS API keys, webhook
//! signing secrets): XChaCha20-Poly1305 under one 256-bit key, with associated data naming what
//! the value is and whose, so a sealed value moved to another row fails to open.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

const NONCE_BYTES: usize = 24;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("the secret key must be 32 bytes, base64-encoded")]
    InvalidKey,
    #[error("sealed value is corrupt, or was sealed for something else")]
    Unseal,
    #[error("the OS random source failed")]
    Random,
}

/// Seals and opens values with the installation's secret key. Cheap to clone.
#[derive(Clone)]
pub struct SecretBox {
    cipher: XChaCha20Poly1305,
    /// A key for MACs, derived from the installation key so one key file serves both and the
    /// sealing key itself never signs anything.
    mac_key: [u8; 32],
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(<key>)")
    }
}

impl SecretBox {
    /// From the base64 text of a 32-byte key (`INGOT_SECRET_KEY`, or the key file).
    pub fn from_base64(text: &str) -> Result<SecretBox, CryptoError> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| CryptoError::InvalidKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::InvalidKey)?;
        use hmac::{Hmac, Mac};
        let mut derive =
            <Hmac<sha2::Sha256> as Mac>::new_from_slice(&key).map_err(|_| CryptoError::InvalidKey)?;
        derive.update(b"ingot.kernel.mac-key");
        Ok(SecretBox {
            cipher: XChaCha20Poly1305::new(&key.into()),
            mac_key: derive.finalize().into_bytes().into(),
        })
    }

    /// A fresh random key, base64-encoded, for a new installation's key file.
    pub fn key_generate() -> Result<String, CryptoError> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|_| CryptoError::Random)?;
        Ok(STANDARD.encode(key))
    }

    /// `context` names what the value is for (`iam.totp:usr_…`); it must match to open.
    pub fn seal(&self, plaintext: &[u8], context: &str) -> Result<String, CryptoError> {
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).map_err(|_| CryptoError::Random)?;
        let sealed = self
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Unseal)?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok(URL_SAFE_NO_PAD.encode(out))
    }

    /// A MAC of `message` for `context` (hex HMAC-SHA256): values the installation hands out and
    /// must recognise later, such as the web app's CSRF tokens. Same key, context and message →
    /// same tag, on every replica.
    pub fn mac(&self, context: &str, message: &[u8]) -> String {
        use hmac::Mac;
        hex::encode(self.mac_compute(context, message).finalize().into_bytes())
    }

    /// Whether `tag` is [`SecretBox::mac`] of `message` for `context`, compared in constant time.
    pub fn mac_verify(&self, context: &str, message: &[u8], tag: &str) -> bool {
        use hmac::Mac;
        let Ok(tag) = hex::decode(tag) else { return false };
        self.mac_compute(context, message).verify_slice(&tag).is_ok()
    }

    fn mac_compute(&self, context: &str, message: &[u8]) -> hmac::Hmac<sha2::Sha256> {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.mac_key)
            .expect("HMAC takes keys of any length");
        // The context is length-prefixed, so ("ab", "c") and ("a", "bc") never collide.
        mac.update(&(context.len() as u64).to_be_bytes());
        mac.update(context.as_bytes());
        mac.update(message);
        mac
    }

    pub fn open(&self, sealed: &str, context: &str) -> Result<Vec<u8>, CryptoError> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed).map_err(|_| CryptoError::Unseal)?;
        if bytes.len() < NONCE_BYTES {
            return Err(CryptoError::Unseal);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| CryptoError::Unseal)?;
        self.cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Unseal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_the_key_and_context() {
        let secret_box = SecretBox::from_base64(&SecretBox::key_generate().unwrap()).unwrap();
        let sealed = secret_box.seal(b"JBSWY3DPEHPK3PXP", "iam.totp:usr_1").unwrap();
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            secret_box.open(&sealed, "iam.totp:usr_1").unwrap(),
            b"JBSWY3DPEHPK3PXP"
        );
        assert_eq!(
            secret_box.open(&sealed, "iam.totp:usr_2"),
            Err(CryptoError::Unseal)
        );
        let other = SecretBox::from_base64(&SecretBox::key_generate().unwrap()).unwrap();
        assert_eq!(other.open(&sealed, "iam.totp:usr_1"), Err(CryptoError::Unseal));
        let tag = secret_box.mac("web.csrf", b"session-1");
        assert!(secret_box.mac_verify("web.csrf", b"session-1", &tag));
        assert!(!secret_box.mac_verify("web.csrf", b"session-2", &tag));
        assert!(!secret_box.mac_verify("web.csrf2", b"session-1", &tag));
        assert!(!other.mac_verify("web.csrf", b"session-1", &tag));
        assert!(!secret_box.mac_verify("web.csrf", b"session-1", "not hex"));
        assert_ne!(
            secret_box.seal(b"x", "c").unwrap(),
            secret_box.seal(b"x", "c").unwrap(),
            "nonces differ"
        );
        assert_eq!(
            SecretBox::from_base64("c2hvcnQ=").map(|_| ()),
            Err(CryptoError::InvalidKey)
        );
    }
}

/// How far a webhook's signed timestamp may be from now.
pub const WEBHOOK_TOLERANCE_S: i64 = 300;

/// Checks a `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` signature header (the
/// scheme Stripe uses, and Ingot's own `x-ingot-signature`):
/// the MAC in constant time, and the timestamp within the tolerance (a captured request cannot
/// be replayed later; event ids stop replays within the window).
pub fn webhook_signature_verify(secret: &str, header: Option<&str>, body: &[u8], now_s: i64) -> bool {
    use hmac::{Hmac, Mac};
    let Some(header) = header else { return false };
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signatures.extend(hex::decode(value).ok()),
            _ => {}
        }
    }
    let Some(timestamp) = timestamp else { return false };
    // `abs_diff`: a timestamp near i64::MIN must not overflow (found by the fuzz target).
    if now_s.abs_diff(timestamp) > WEBHOOK_TOLERANCE_S.unsigned_abs() {
        return false;
    }
    signatures.iter().any(|signature| {
        let Ok(mut mac) = <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret.as_bytes()) else {
            return false;
        };
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.verify_slice(signature).is_ok()
    })
}

/// Signs `body` at `now_s`: Ingot's own outgoing webhooks (App Platform), and providers' in
/// tests and the simulator.
pub fn webhook_signature_make(secret: &str, body: &[u8], now_s: i64) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(now_s.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={now_s},v1={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod webhook_tests {
    use super::*;

    #[test]
    fn timestamps_at_the_ends_of_the_range_are_stale_not_a_panic() {
        for t in [i64::MIN, i64::MAX, -1] {
            let header = format!("t={t},v1=00");
            assert!(!webhook_signature_verify("s3cret", Some(&header), b"{}", 1_000));
        }
        let signed_long_ago = webhook_signature_make("s3cret", b"{}", i64::MIN);
        assert!(!webhook_signature_verify(
            "s3cret",
            Some(&signed_long_ago),
            b"{}",
            1_000
        ));
    }

    #[test]
    fn signatures_verify_only_with_the_secret_body_and_time() {
        let header = webhook_signature_make("s3cret", b"{\"a\":1}", 1_000);
        assert!(webhook_signature_verify(
            "s3cret",
            Some(&header),
            b"{\"a\":1}",
            1_000
        ));
        assert!(webhook_signature_verify(
            "s3cret",
            Some(&header),
            b"{\"a\":1}",
            1_000 + WEBHOOK_TOLERANCE_S
        ));
        assert!(!webhook_signature_verify(
            "other",
            Some(&header),
            b"{\"a\":1}",
            1_000
        ));
        assert!(!webhook_signature_verify(
            "s3cret",
            Some(&header),
            b"{\"a\":2}",
            1_000
        ));
        assert!(!webhook_signature_verify(
            "s3cret",
            Some(&header),
            b"{\"a\":1}",
            1_000 + WEBHOOK_TOLERANCE_S + 1
        ));
        assert!(!webhook_signature_verify("s3cret", None, b"{\"a\":1}", 1_000));
        assert!(!webhook_signature_verify(
            "s3cret",
            Some("t=1000,v1=zz"),
            b"{\"a\":1}",
            1_000
        ));
    }
}
