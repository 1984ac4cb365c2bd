//! Keys made by OpenSSH's own `ssh-keygen`, checked against what it says of them: the parser is
//! measured by an independent implementation, not by itself.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ingot_app_platform::model::ssh_key::{
    COMMENT_CHARS_MAX, SshKeyError, SshKeyKind, TEXT_BYTES_MAX, ssh_key_parse,
};

fn dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ingot-sshkeys-{}", ingot_kernel::id::new_ulid()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fresh key pair from ssh-keygen; the public key's text.
fn keygen(dir: &Path, name: &str, args: &[&str]) -> (String, PathBuf) {
    let path = dir.join(name);
    let status = Command::new("ssh-keygen")
        .args(args)
        .args(["-q", "-N", "", "-C", "someone@laptop", "-f"])
        .arg(&path)
        .status()
        .expect("ssh-keygen runs (openssh-client)");
    assert!(status.success());
    let public = path.with_extension("pub");
    (std::fs::read_to_string(&public).unwrap(), public)
}

/// What `ssh-keygen -l -E sha256` says: (bits, fingerprint).
fn keygen_fingerprint(public: &Path) -> (u32, String) {
    let output = Command::new("ssh-keygen")
        .args(["-l", "-E", "sha256", "-f"])
        .arg(public)
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let mut fields = text.split_whitespace();
    (
        fields.next().unwrap().parse().unwrap(),
        fields.next().unwrap().to_string(),
    )
}

#[test]
fn keys_made_by_ssh_keygen_parse_with_its_fingerprint_and_size() {
    let dir = dir();
    for (name, args, kind) in [
        ("ed", vec!["-t", "ed25519"], SshKeyKind::Ed25519),
        ("p256", vec!["-t", "ecdsa", "-b", "256"], SshKeyKind::EcdsaP256),
        ("p384", vec!["-t", "ecdsa", "-b", "384"], SshKeyKind::EcdsaP384),
        ("p521", vec!["-t", "ecdsa", "-b", "521"], SshKeyKind::EcdsaP521),
        ("rsa", vec!["-t", "rsa", "-b", "3072"], SshKeyKind::Rsa),
    ] {
        let (text, public) = keygen(&dir, name, &args);
        let key = ssh_key_parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (bits, fingerprint) = keygen_fingerprint(&public);
        assert_eq!(key.kind, kind, "{name}");
        assert_eq!(
            (key.bits, key.fingerprint.as_str()),
            (bits, fingerprint.as_str()),
            "{name}"
        );
        assert_eq!(key.comment.as_deref(), Some("someone@laptop"));
        // The normalised text is the line without its comment, and parses to the same key.
        assert!(text.starts_with(&key.public_key), "{name}");
        assert_eq!(
            ssh_key_parse(&key.public_key).unwrap().fingerprint,
            key.fingerprint
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn weak_damaged_and_wrong_keys_are_refused_with_the_reason() {
    let dir = dir();
    let (rsa2048, _) = keygen(&dir, "rsa2048", &["-t", "rsa", "-b", "2048"]);
    assert_eq!(ssh_key_parse(&rsa2048), Err(SshKeyError::RsaTooShort(2048)));
    let (ed, _) = keygen(&dir, "ed", &["-t", "ed25519"]);
    let data = ed.split_whitespace().nth(1).unwrap();

    // Declared ed25519, an RSA blob inside (and the other way round).
    let rsa_data = rsa2048.split_whitespace().nth(1).unwrap();
    assert!(matches!(
        ssh_key_parse(&format!("ssh-ed25519 {rsa_data}")),
        Err(SshKeyError::Malformed(_))
    ));
    assert!(matches!(
        ssh_key_parse(&format!("ssh-rsa {data}")),
        Err(SshKeyError::Malformed(_))
    ));
    // Truncated, and with bytes appended.
    let blob = STANDARD.decode(data).unwrap();
    let cut = STANDARD.encode(&blob[..blob.len() - 3]);
    assert!(matches!(
        ssh_key_parse(&format!("ssh-ed25519 {cut}")),
        Err(SshKeyError::Malformed(_))
    ));
    let mut long = blob.clone();
    long.extend([0, 0, 0, 0]);
    let long = STANDARD.encode(&long);
    assert!(matches!(
        ssh_key_parse(&format!("ssh-ed25519 {long}")),
        Err(SshKeyError::Malformed(_))
    ));

    let private = std::fs::read_to_string(dir.join("ed")).unwrap();
    assert_eq!(ssh_key_parse(&private), Err(SshKeyError::PrivateKey));
    assert_eq!(
        ssh_key_parse(&format!("{ed}{ed}")),
        Err(SshKeyError::SeveralLines)
    );
    assert_eq!(ssh_key_parse("   "), Err(SshKeyError::Empty));
    assert_eq!(ssh_key_parse("ssh-ed25519"), Err(SshKeyError::Shape));
    assert_eq!(
        ssh_key_parse(&format!("no-pty,command=\"x\" {ed}")),
        Err(SshKeyError::Shape)
    );
    assert_eq!(
        ssh_key_parse(&format!("ssh-ed25519 {data}!")),
        Err(SshKeyError::Base64)
    );
    assert!(
        matches!(ssh_key_parse(&format!("ssh-dss {data}")), Err(SshKeyError::Unsupported(t)) if t == "ssh-dss")
    );
    assert_eq!(
        ssh_key_parse(&"a".repeat(TEXT_BYTES_MAX + 1)),
        Err(SshKeyError::TooLong)
    );
    let comment = "c".repeat(COMMENT_CHARS_MAX + 1);
    assert_eq!(
        ssh_key_parse(&format!("ssh-ed25519 {data} {comment}")),
        Err(SshKeyError::CommentTooLong)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
