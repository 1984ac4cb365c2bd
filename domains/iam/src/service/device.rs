//! The OAuth 2.0 device authorization grant (RFC 8628), for the CLI: the device asks for a pair of
//! codes, a signed-in person approves the short one in the web app, and the device, polling with
//! the long one, receives a session of that person, once. Codes are stored hashed and live ten
//! minutes; a device polling faster than its interval is told to slow down and its interval grows.

use std::time::Duration;

use ingot_contracts::iam::{
    Action, Actor, DEVICE_GRANT_TYPE, DEVICE_VERIFICATION_PATH, DenyReason, DeviceAuthorization,
    DeviceAuthorizationRequest, DeviceDecisionRequest, DeviceGrantState, DeviceGrantView, DeviceTokenRequest,
    IamError, Origin, Resource, SessionCreated,
};
use ingot_kernel::id::UserId;

use super::{IamService, Outcome, invalid};
use crate::audit::{AuditRecord, audit_append, audit_append_in_tx};
use crate::secrets::{bearer_secret_hash, bearer_secret_new};
use crate::store::{self, DeviceGrantRow};

const DEVICE_CODE_TTL: Duration = Duration::from_secs(600);
/// RFC 8628's default polling interval, and what a `slow_down` adds to it.
const POLL_INTERVAL_S: i64 = 5;
const DEVICE_CODE_PREFIX: &str = "ingot_dev_";
/// RFC 8628 §6.1's suggestion: consonants only (no vowels, so no words; no lookalikes), 8 of them
/// in two groups: 20^8 ≈ 2.6·10^10 codes against an edge that rate-limits guesses.
const USER_CODE_ALPHABET: &[u8; 20] = b"BCDFGHJKLMNPQRSTVWXZ";
const USER_CODE_LEN: usize = 8;
const CLIENT_NAME_CHARS_MAX: usize = 100;

fn user_code_new() -> String {
    let mut code = String::with_capacity(USER_CODE_LEN + 1);
    while code.len() < USER_CODE_LEN + 1 {
        let mut bytes = [0u8; 16];
        // Invariant: the OS random source works on supported platforms (as for every secret).
        getrandom::fill(&mut bytes).expect("the OS random source works");
        // Bytes past the last whole multiple of 20 are skipped so every letter is equally likely.
        for byte in bytes.into_iter().filter(|b| *b < 240) {
            if code.len() == USER_CODE_LEN / 2 {
                code.push('-');
            }
            if code.len() == USER_CODE_LEN + 1 {
                break;
            }
            code.push(char::from(USER_CODE_ALPHABET[usize::from(byte % 20)]));
        }
    }
    code
}

/// What a person typed (any case, with or without the dash or spaces) as `XXXX-XXXX`, or `None`
/// when it cannot be a user code.
pub(crate) fn user_code_normalize(typed: &str) -> Option<String> {
    let letters: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let valid = letters.len() == USER_CODE_LEN && letters.bytes().all(|b| USER_CODE_ALPHABET.contains(&b));
    valid.then(|| {
        format!(
            "{}-{}",
            &letters[..USER_CODE_LEN / 2],
            &letters[USER_CODE_LEN / 2..]
        )
    })
}

fn user_code_hash(normalized: &str) -> String {
    bearer_secret_hash(&format!("device-user-code:{normalized}"))
}

fn grant_view(grant: &DeviceGrantRow, user_code: String) -> DeviceGrantView {
    DeviceGrantView {
        user_code,
        client_name: grant.client_name.clone(),
        requested_from: grant.requested_ip.clone(),
        requested_at: grant.created_at,
        expires_at: grant.expires_at,
        state: grant.state,
    }
}

impl IamService {
    pub(super) async fn device_authorize_impl(
        &self,
        origin: &Origin,
        request: DeviceAuthorizationRequest,
    ) -> Outcome<DeviceAuthorization> {
        let client_name = match request.client_name.as_deref().map(str::trim) {
            None | Some("") => "a device".to_string(),
            Some(name)
                if name.chars().count() > CLIENT_NAME_CHARS_MAX || name.chars().any(char::is_control) =>
            {
                return Err(invalid(
                    "client_name",
                    "must be at most 100 characters, without control characters",
                )
                .into());
            }
            Some(name) => name.to_string(),
        };
        let now = self.clock.now();
        let (device_code, device_code_hash) = bearer_secret_new(DEVICE_CODE_PREFIX);
        let user_code = user_code_new();
        let grant = DeviceGrantRow {
            id: format!("dev_{}", ingot_kernel::id::new_ulid().to_string().to_lowercase()),
            client_name,
            requested_ip: origin.source_ip.clone(),
            created_at: now,
            expires_at: now.plus(DEVICE_CODE_TTL),
            interval_s: POLL_INTERVAL_S,
            polled_at: None,
            state: DeviceGrantState::Pending,
            user_id: None,
        };
        let mut tx = self.db.begin().await?;
        store::device_grant_insert_in_tx(&mut tx, &grant, &device_code_hash, &user_code_hash(&user_code))
            .await?;
        let record = AuditRecord::anonymous(origin, "iam.device.authorize", "success")
            .target(&grant.id)
            .details(serde_json::json!({ "client_name": grant.client_name }));
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(DeviceAuthorization {
            device_code,
            verification_uri: DEVICE_VERIFICATION_PATH.to_string(),
            verification_uri_complete: format!("{DEVICE_VERIFICATION_PATH}?user_code={user_code}"),
            user_code,
            expires_in: DEVICE_CODE_TTL.as_secs(),
            interval: POLL_INTERVAL_S as u64,
        })
    }

    pub(super) async fn device_token_impl(
        &self,
        origin: &Origin,
        request: DeviceTokenRequest,
    ) -> Outcome<SessionCreated> {
        if request.grant_type != DEVICE_GRANT_TYPE {
            return Err(IamError::DeviceGrantTypeUnsupported.into());
        }
        let now = self.clock.now();
        let hash = bearer_secret_hash(request.device_code.trim());
        let Some(grant) = store::device_grant_by_device_code(self.db.reader(), &hash).await? else {
            return Err(IamError::DeviceGrantInvalid.into());
        };
        if grant.state == DeviceGrantState::Issued {
            return Err(IamError::DeviceGrantInvalid.into());
        }
        if grant.expires_at <= now {
            return Err(IamError::DeviceCodeExpired.into());
        }
        match grant.state {
            DeviceGrantState::Denied => Err(IamError::DeviceAccessDenied.into()),
            DeviceGrantState::Issued => Err(IamError::DeviceGrantInvalid.into()),
            DeviceGrantState::Pending => {
                let too_fast = grant
                    .polled_at
                    .is_some_and(|at| now.since(at) < Duration::from_secs(grant.interval_s.max(0) as u64));
                let interval_s = if too_fast {
                    grant.interval_s + POLL_INTERVAL_S
                } else {
                    grant.interval_s
                };
                let mut tx = self.db.begin().await?;
                store::device_grant_polled_in_tx(&mut tx, &grant.id, now, interval_s).await?;
                tx.commit().await?;
                Err(if too_fast {
                    IamError::DeviceSlowDown {
                        interval_s: interval_s as u64,
                    }
                } else {
                    IamError::DeviceAuthorizationPending
                }
                .into())
            }
            DeviceGrantState::Approved => {
                let user_id = grant.user_id.ok_or(IamError::Internal)?;
                let user = store::user_by_id(self.db.reader(), user_id)
                    .await?
                    .ok_or(IamError::DeviceGrantInvalid)?;
                let mut tx = self.db.begin().await?;
                // Invariant: one session per approval, even when two polls race (the update decides).
                if !store::device_grant_issue_in_tx(&mut tx, &grant.id).await? {
                    return Err(IamError::DeviceGrantInvalid.into());
                }
                let (session, secret) = self.session_open_in_tx(&mut tx, user_id, origin, now).await?;
                let record = super::login_record(origin, user_id, &session)
                    .target(&grant.id)
                    .details(serde_json::json!({ "via": "device", "client_name": grant.client_name }));
                audit_append_in_tx(&mut tx, &record, now).await?;
                tx.commit().await?;
                Ok(super::login_answer(user.view, &session, secret))
            }
        }
    }

    /// Only a person signed in with a session approves devices: an API token must not turn
    /// itself into a session.
    fn device_approver(&self, actor: &Actor) -> Outcome<UserId> {
        let user_id = actor
            .user_id
            .ok_or(IamError::Denied(DenyReason::Unauthenticated))?;
        self.authorize(actor, Action::CredentialManage, Resource::User(user_id))?;
        Ok(user_id)
    }

    pub(super) async fn device_grant_get_impl(
        &self,
        actor: &Actor,
        user_code: &str,
    ) -> Outcome<DeviceGrantView> {
        self.device_approver(actor)?;
        let code = user_code_normalize(user_code).ok_or(IamError::DeviceGrantInvalid)?;
        let now = self.clock.now();
        let grant = store::device_grant_by_user_code(self.db.reader(), &user_code_hash(&code), now)
            .await?
            .ok_or(IamError::DeviceGrantInvalid)?;
        Ok(grant_view(&grant, code))
    }

    pub(super) async fn device_decide_impl(
        &self,
        actor: &Actor,
        request: DeviceDecisionRequest,
    ) -> Outcome<DeviceGrantView> {
        let user_id = self.device_approver(actor)?;
        let Some(code) = user_code_normalize(&request.user_code) else {
            return Err(invalid("user_code", "is 8 letters, like BCDF-GHJK").into());
        };
        let now = self.clock.now();
        let Some(mut grant) =
            store::device_grant_by_user_code(self.db.reader(), &user_code_hash(&code), now).await?
        else {
            audit_append(
                &self.db,
                &AuditRecord::by(actor, "iam.device.decide", "unknown_code"),
                now,
            )
            .await?;
            return Err(IamError::DeviceGrantInvalid.into());
        };
        let mut tx = self.db.begin().await?;
        if !store::device_grant_decide_in_tx(&mut tx, &grant.id, user_id, request.approve, now).await? {
            return Err(IamError::DeviceGrantInvalid.into());
        }
        grant.state = if request.approve {
            DeviceGrantState::Approved
        } else {
            DeviceGrantState::Denied
        };
        let outcome = if request.approve { "approved" } else { "denied" };
        let record = AuditRecord::by(actor, "iam.device.decide", outcome)
            .target(&grant.id)
            .details(
                serde_json::json!({ "client_name": grant.client_name, "requested_from": grant.requested_ip }),
            );
        audit_append_in_tx(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(grant_view(&grant, code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_codes_are_eight_consonants_in_two_groups_and_typing_them_loosely_works() {
        let code = user_code_new();
        assert_eq!(code.len(), 9, "{code}");
        assert_eq!(&code[4..5], "-");
        assert!(
            code.bytes()
                .filter(|b| *b != b'-')
                .all(|b| USER_CODE_ALPHABET.contains(&b)),
            "{code}"
        );
        assert_ne!(user_code_new(), user_code_new());
        assert_eq!(user_code_normalize(&code).as_deref(), Some(code.as_str()));
        assert_eq!(user_code_normalize("bcdf ghjk").as_deref(), Some("BCDF-GHJK"));
        assert_eq!(user_code_normalize("BCDFGHJK").as_deref(), Some("BCDF-GHJK"));
        for bad in [
            "",
            "BCDF-GHJ",
            "BCDF-GHJKL",
            "ABCD-EFGH",
            "BCDF-GHJ1",
            "BCDF_GHJK",
        ] {
            assert_eq!(user_code_normalize(bad), None, "{bad:?}");
        }
    }
}
