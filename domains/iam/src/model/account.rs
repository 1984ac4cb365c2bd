//! What a valid email, name and password are. Passwords: 12 to 1,024 characters, not a common
//! password or a common word dressed up with digits, symbols or repetition, not the email itself.

/// The shipped list of refused passwords and base words.
const COMMON_PASSWORDS: &str = include_str!("../../data/common-passwords.txt");

pub const PASSWORD_CHARS_MIN: usize = 12;
pub const PASSWORD_CHARS_MAX: usize = 1_024;
pub const EMAIL_CHARS_MAX: usize = 254;
pub const NAME_CHARS_MAX: usize = 100;

/// Lowercased and trimmed, or why it is not an address.
pub fn email_normalize(email: &str) -> Result<String, &'static str> {
    let email = email.trim().to_lowercase();
    if email.chars().count() > EMAIL_CHARS_MAX {
        return Err("is too long");
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return Err("must look like name@example.com");
    };
    let valid_local = !local.is_empty() && local.chars().all(|c| c.is_alphanumeric() || "._%+-'".contains(c));
    let valid_domain = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    if !valid_local || !valid_domain {
        return Err("must look like name@example.com");
    }
    Ok(email)
}

/// A display, tenant or project name: 1–100 characters, no control characters.
pub fn name_validate(name: &str) -> Result<String, &'static str> {
    let name = name.trim();
    if name.is_empty() {
        return Err("must not be empty");
    }
    if name.chars().count() > NAME_CHARS_MAX {
        return Err("is longer than 100 characters");
    }
    if name.chars().any(char::is_control) {
        return Err("must not contain control characters");
    }
    Ok(name.to_string())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordVerdict {
    Acceptable,
    Refused(&'static str),
}

pub fn password_check(password: &str, email: &str) -> PasswordVerdict {
    let chars = password.chars().count();
    if chars < PASSWORD_CHARS_MIN {
        return PasswordVerdict::Refused("must be at least 12 characters");
    }
    if chars > PASSWORD_CHARS_MAX {
        return PasswordVerdict::Refused("must be at most 1024 characters");
    }
    let lower = password.to_lowercase();
    let mut distinct: Vec<char> = lower.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 4 {
        return PasswordVerdict::Refused("uses too few different characters");
    }
    let local = email.split('@').next().unwrap_or("");
    if lower == email || (local.chars().count() >= 4 && lower.contains(local)) {
        return PasswordVerdict::Refused("must not contain your email");
    }
    let letters: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
    for entry in COMMON_PASSWORDS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        if lower == entry || letters == entry || (!letters.is_empty() && is_repetition_of(&letters, entry)) {
            return PasswordVerdict::Refused("is too common");
        }
    }
    PasswordVerdict::Acceptable
}

fn is_repetition_of(text: &str, unit: &str) -> bool {
    !unit.is_empty()
        && text.len().is_multiple_of(unit.len())
        && text.len() > unit.len()
        && text == unit.repeat(text.len() / unit.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_or_refused() {
        assert_eq!(
            email_normalize("  Alice@Example.COM "),
            Ok("alice@example.com".into())
        );
        for bad in [
            "",
            "alice",
            "alice@",
            "@example.com",
            "alice@example",
            "alice@exa mple.com",
            "a@b..c",
            "a\n@b.c",
        ] {
            assert!(email_normalize(bad).is_err(), "{bad:?}");
        }
        assert!(email_normalize(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn weak_passwords_are_refused() {
        let refused = |p: &str| password_check(p, "alice@example.com") != PasswordVerdict::Acceptable;
        for weak in [
            "short",
            "password1234",
            "Password2024!",
            "MonkeyMonkey12",
            "aaaaaaaaaaaaaaaa",
            "121212121212",
            "alice-is-my-password",
            "qwertyuiop12",
            "correcthorsebatterystaple",
            "Ingotcloud!!1",
        ] {
            assert!(refused(weak), "{weak} should be refused");
        }
        for strong in [
            "tuba-cellar-orbit-42",
            "Vx9#qL2m!rT7",
            "a perfectly fine sentence here",
        ] {
            assert!(!refused(strong), "{strong} should be accepted");
        }
        assert!(refused(&"x1".repeat(600)), "over 1024 characters");
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name_validate("  Acme GPU Lab "), Ok("Acme GPU Lab".into()));
        assert!(name_validate("   ").is_err());
        assert!(name_validate("bad\u{7}name").is_err());
        assert!(name_validate(&"n".repeat(101)).is_err());
    }
}
