//! Secrets IAM handles: password hashes (argon2id, OWASP parameters, in a bounded blocking pool
//! off the async runtime) and bearer secrets (256 random bits behind a recognisable prefix, stored
//! as SHA-256: their entropy makes a slow hash pointless, and checking them must be fast).

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

/// OWASP's argon2id recommendation: 19 MiB, 2 passes, 1 lane.
pub const ARGON2_MEMORY_KIB: u32 = 19_456;
pub const ARGON2_PASSES: u32 = 2;
pub const ARGON2_LANES: u32 = 1;

pub const SESSION_TOKEN_PREFIX: &str = "ingot_ses_";
pub const API_TOKEN_PREFIX: &str = "ingot_pat_";

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("password hashing failed")]
    Hash,
    #[error("the hashing pool is gone")]
    Pool,
}

/// Hashes and checks passwords on at most `lanes` blocking threads at once, so a login storm
/// queues instead of starving the runtime or exhausting memory (19 MiB per hash).
#[derive(Debug, Clone)]
pub struct PasswordHasherPool {
    permits: Arc<Semaphore>,
    /// A hash of a random password, checked when the email is unknown so that a failed login
    /// costs the same whether or not the account exists.
    decoy: Arc<String>,
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(ARGON2_MEMORY_KIB, ARGON2_PASSES, ARGON2_LANES, None)
        .expect("OWASP parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<String, SecretError> {
    let mut salt_bytes = [0u8; 16];
    getrandom::fill(&mut salt_bytes).map_err(|_| SecretError::Hash)?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|_| SecretError::Hash)?;
    Ok(argon2()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|_| SecretError::Hash)?
        .to_string())
}

fn verify_blocking(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .is_ok_and(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
}

impl PasswordHasherPool {
    pub fn new(lanes: usize) -> Result<PasswordHasherPool, SecretError> {
        let decoy = hash_blocking(&random_secret())?;
        Ok(PasswordHasherPool {
            permits: Arc::new(Semaphore::new(lanes.max(1))),
            decoy: Arc::new(decoy),
        })
    }

    pub async fn hash(&self, password: &str) -> Result<String, SecretError> {
        let _permit = self.permits.acquire().await.map_err(|_| SecretError::Pool)?;
        let password = password.to_string();
        tokio::task::spawn_blocking(move || hash_blocking(&password))
            .await
            .map_err(|_| SecretError::Pool)?
    }

    /// Checks `password` against `stored`, or against the decoy when there is no account.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, SecretError> {
        let _permit = self.permits.acquire().await.map_err(|_| SecretError::Pool)?;
        let password = password.to_string();
        let exists = stored.is_some();
        let stored = stored.map_or_else(|| self.decoy.to_string(), str::to_string);
        let matched = tokio::task::spawn_blocking(move || verify_blocking(&password, &stored))
            .await
            .map_err(|_| SecretError::Pool)?;
        Ok(exists && matched)
    }
}

/// 256 random bits, URL-safe.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    // Invariant: the OS random source does not fail on supported platforms; if it did, no secret
    // could be made safely and stopping is right.
    getrandom::fill(&mut bytes).expect("the OS random source works");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new bearer secret with `prefix`, and the hash to store.
pub fn bearer_secret_new(prefix: &str) -> (String, String) {
    let secret = format!("{prefix}{}", random_secret());
    let hash = bearer_secret_hash(&secret);
    (secret, hash)
}

pub fn bearer_secret_hash(secret: &str) -> String {
    format!("{:x}", Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ_by_salt() {
        let pool = PasswordHasherPool::new(2).unwrap();
        let a = pool.hash("tuba-cellar-orbit-42").await.unwrap();
        let b = pool.hash("tuba-cellar-orbit-42").await.unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert!(pool.verify("tuba-cellar-orbit-42", Some(&a)).await.unwrap());
        assert!(!pool.verify("tuba-cellar-orbit-43", Some(&a)).await.unwrap());
        assert!(
            !pool.verify("tuba-cellar-orbit-42", None).await.unwrap(),
            "no account never verifies"
        );
    }

    #[test]
    fn bearer_secrets_are_prefixed_random_and_hashed() {
        let (secret, hash) = bearer_secret_new(API_TOKEN_PREFIX);
        assert!(
            secret.starts_with("ingot_pat_") && secret.len() == 10 + 43,
            "{secret}"
        );
        assert_eq!(bearer_secret_hash(&secret), hash);
        assert!(!hash.contains(&secret[10..]));
        assert_ne!(bearer_secret_new(API_TOKEN_PREFIX).0, secret);
    }
}

// The webhook signature scheme is shared with Billing's payment webhooks: it lives in the kernel.
pub use ingot_kernel::crypto::{WEBHOOK_TOLERANCE_S, webhook_signature_make, webhook_signature_verify};

/// RFC 4648 base32 without padding, as authenticator apps expect TOTP seeds.
pub fn base32_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            out.push(ALPHABET[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Seconds per TOTP step (RFC 6238 default).
pub const TOTP_STEP_S: i64 = 30;

/// The 6-digit code for `step` (RFC 6238 over RFC 4226, HMAC-SHA1).
pub fn totp_code(seed: &[u8], step: i64) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(seed).expect("HMAC takes keys of any length");
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let value = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!("{:06}", value % 1_000_000)
}

/// The step `code` is valid for, allowing one step of clock drift either way, and only steps
/// after `last_step` (a code is good once).
pub fn totp_verify(seed: &[u8], code: &str, now_s: i64, last_step: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let current = now_s.div_euclid(TOTP_STEP_S);
    (current - 1..=current + 1)
        .filter(|step| *step > last_step)
        .find(|step| {
            let expected = totp_code(seed, *step);
            // Constant-time enough for six digits compared in full.
            expected
                .bytes()
                .zip(code.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
        })
}

#[cfg(test)]
mod totp_tests {
    use super::*;

    #[test]
    fn rfc6238_test_vectors() {
        // RFC 6238 appendix B, SHA-1 seed "12345678901234567890", last six digits.
        let seed = b"12345678901234567890";
        assert_eq!(totp_code(seed, 59 / 30), "287082");
        assert_eq!(totp_code(seed, 1_111_111_109 / 30), "081804");
        assert_eq!(totp_code(seed, 1_234_567_890 / 30), "005924");
        assert_eq!(totp_code(seed, 20_000_000_000 / 30), "353130");
    }

    #[test]
    fn codes_work_once_within_a_step_of_drift() {
        let seed = b"12345678901234567890";
        let now = 1_234_567_890;
        let code = totp_code(seed, now / 30);
        assert_eq!(totp_verify(seed, &code, now, 0), Some(now / 30));
        assert_eq!(
            totp_verify(seed, &code, now + 30, 0),
            Some(now / 30),
            "one step late is fine"
        );
        assert_eq!(
            totp_verify(seed, &code, now + 90, 0),
            None,
            "three steps late is not"
        );
        assert_eq!(
            totp_verify(seed, &code, now, now / 30),
            None,
            "a used code is refused"
        );
        assert_eq!(totp_verify(seed, "12345", now, 0), None);
    }

    #[test]
    fn base32_matches_rfc4648() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_encode(b"f"), "MY");
    }
}
