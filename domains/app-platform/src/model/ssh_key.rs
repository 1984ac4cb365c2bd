//! OpenSSH public keys as tenants paste them (`ssh-ed25519 AAAA… comment`): parsed from the
//! key's own wire encoding (RFC 4253 §6.6, RFC 5656 §3.1, the ed25519 draft), so a key whose
//! declared type, curve or length does not match its contents is refused, and fingerprinted as
//! `ssh-keygen -l` shows it (`SHA256:` + unpadded base64 of the SHA-256 of the blob). Tested
//! against keys and fingerprints made by ssh-keygen itself (`tests/ssh_keys.rs`).

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use sha2::{Digest, Sha256};

/// The smallest RSA modulus accepted (NIST SP 800-57: 3072 bits for use beyond 2030).
pub const RSA_BITS_MIN: u32 = 3072;
/// A pasted key longer than this is not a public key (an 16384-bit RSA key is ~2.8 KiB).
pub const TEXT_BYTES_MAX: usize = 8 * 1024;
/// Comments are kept for people; longer ones are refused rather than cut.
pub const COMMENT_CHARS_MAX: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SshKeyError {
    #[error("empty: paste one OpenSSH public key, such as the contents of ~/.ssh/id_ed25519.pub")]
    Empty,
    #[error("too long: a public key is at most {TEXT_BYTES_MAX} bytes")]
    TooLong,
    #[error("one key at a time: the text has several lines")]
    SeveralLines,
    #[error("this looks like a private key: paste the .pub file, and keep the private key to yourself")]
    PrivateKey,
    #[error("expected `TYPE BASE64 [comment]`, such as `ssh-ed25519 AAAAC3Nza… you@laptop`")]
    Shape,
    #[error(
        "key type {0} is not accepted: use ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa of at least {RSA_BITS_MIN} bits"
    )]
    Unsupported(String),
    #[error("the key data is not valid base64")]
    Base64,
    #[error("the key data is damaged or does not match its type ({0})")]
    Malformed(&'static str),
    #[error("RSA keys must have at least {RSA_BITS_MIN} bits; this one has {0}")]
    RsaTooShort(u32),
    #[error("the comment is longer than {COMMENT_CHARS_MAX} characters")]
    CommentTooLong,
}

/// A key type Ingot accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SshKeyKind {
    Ed25519,
    EcdsaP256,
    EcdsaP384,
    EcdsaP521,
    Rsa,
}

impl SshKeyKind {
    /// The OpenSSH type name.
    pub fn as_str(self) -> &'static str {
        match self {
            SshKeyKind::Ed25519 => "ssh-ed25519",
            SshKeyKind::EcdsaP256 => "ecdsa-sha2-nistp256",
            SshKeyKind::EcdsaP384 => "ecdsa-sha2-nistp384",
            SshKeyKind::EcdsaP521 => "ecdsa-sha2-nistp521",
            SshKeyKind::Rsa => "ssh-rsa",
        }
    }

    fn of(name: &str) -> Option<SshKeyKind> {
        [
            SshKeyKind::Ed25519,
            SshKeyKind::EcdsaP256,
            SshKeyKind::EcdsaP384,
            SshKeyKind::EcdsaP521,
            SshKeyKind::Rsa,
        ]
        .into_iter()
        .find(|k| k.as_str() == name)
    }
}

/// A parsed, validated public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshPublicKey {
    pub kind: SshKeyKind,
    /// Key size: 256 for ed25519, the curve's size for ECDSA, the modulus's for RSA.
    pub bits: u32,
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    /// `TYPE BASE64`, normalised (what goes into authorized_keys).
    pub public_key: String,
    pub comment: Option<String>,
}

/// Reads SSH wire-format fields (big-endian u32 length, then the bytes).
struct Wire<'a>(&'a [u8]);

impl<'a> Wire<'a> {
    fn string(&mut self) -> Result<&'a [u8], SshKeyError> {
        let (len, rest) = self
            .0
            .split_first_chunk::<4>()
            .ok_or(SshKeyError::Malformed("truncated"))?;
        let len = usize::try_from(u32::from_be_bytes(*len)).map_err(|_| SshKeyError::Malformed("length"))?;
        if len > rest.len() {
            return Err(SshKeyError::Malformed("truncated"));
        }
        let (field, rest) = rest.split_at(len);
        self.0 = rest;
        Ok(field)
    }

    fn done(&self) -> Result<(), SshKeyError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(SshKeyError::Malformed("trailing data"))
        }
    }
}

/// Bits of a positive mpint (leading zero bytes ignored).
fn mpint_bits(bytes: &[u8]) -> u32 {
    let significant: &[u8] = match bytes.iter().position(|b| *b != 0) {
        Some(first) => &bytes[first..],
        None => return 0,
    };
    let top = u32::from(significant[0]);
    u32::try_from(significant.len() - 1).unwrap_or(u32::MAX / 8) * 8 + (32 - top.leading_zeros())
}

/// Parses one public key line as `ssh-keygen` writes it.
pub fn ssh_key_parse(text: &str) -> Result<SshPublicKey, SshKeyError> {
    if text.len() > TEXT_BYTES_MAX {
        return Err(SshKeyError::TooLong);
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(SshKeyError::Empty);
    }
    if text.contains("PRIVATE KEY") {
        return Err(SshKeyError::PrivateKey);
    }
    if text.lines().count() > 1 {
        return Err(SshKeyError::SeveralLines);
    }
    let mut parts = text.splitn(3, char::is_whitespace);
    let (Some(declared), Some(data)) = (parts.next(), parts.next()) else {
        return Err(SshKeyError::Shape);
    };
    let comment = parts.next().map(str::trim).filter(|c| !c.is_empty());
    if comment.is_some_and(|c| c.chars().count() > COMMENT_CHARS_MAX) {
        return Err(SshKeyError::CommentTooLong);
    }
    let Some(kind) = SshKeyKind::of(declared) else {
        return Err(if declared.contains('=') || declared.contains(',') {
            // authorized_keys options (`no-pty,command=…`) in front of the key.
            SshKeyError::Shape
        } else {
            SshKeyError::Unsupported(declared.chars().take(40).collect())
        });
    };
    let blob = STANDARD.decode(data).map_err(|_| SshKeyError::Base64)?;
    let mut wire = Wire(&blob);
    if wire.string()? != kind.as_str().as_bytes() {
        return Err(SshKeyError::Malformed(
            "the encoded type differs from the declared one",
        ));
    }
    let bits = match kind {
        SshKeyKind::Ed25519 => {
            if wire.string()?.len() != 32 {
                return Err(SshKeyError::Malformed("an ed25519 key is 32 bytes"));
            }
            256
        }
        SshKeyKind::EcdsaP256 | SshKeyKind::EcdsaP384 | SshKeyKind::EcdsaP521 => {
            let (curve, point_len, bits): (&[u8], usize, u32) = match kind {
                SshKeyKind::EcdsaP256 => (b"nistp256", 65, 256),
                SshKeyKind::EcdsaP384 => (b"nistp384", 97, 384),
                _ => (b"nistp521", 133, 521),
            };
            if wire.string()? != curve {
                return Err(SshKeyError::Malformed("the curve differs from the key type"));
            }
            let point = wire.string()?;
            if point.len() != point_len || point.first() != Some(&4) {
                return Err(SshKeyError::Malformed("not an uncompressed point on the curve"));
            }
            bits
        }
        SshKeyKind::Rsa => {
            let exponent = wire.string()?;
            let modulus = wire.string()?;
            if mpint_bits(exponent) < 2 || exponent.last().is_none_or(|b| b % 2 == 0) {
                return Err(SshKeyError::Malformed(
                    "the RSA exponent must be odd and at least 3",
                ));
            }
            let bits = mpint_bits(modulus);
            if bits < RSA_BITS_MIN {
                return Err(SshKeyError::RsaTooShort(bits));
            }
            bits
        }
    };
    wire.done()?;
    Ok(SshPublicKey {
        kind,
        bits,
        fingerprint: format!("SHA256:{}", STANDARD_NO_PAD.encode(Sha256::digest(&blob))),
        public_key: format!("{} {}", kind.as_str(), STANDARD.encode(&blob)),
        comment: comment.map(str::to_string),
    })
}
