//! Errors as users see them: RFC 9457 problem details with a stable `code`.
//! Every code the API can answer lives in the one table below; domains add theirs here.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! codes {
    ($($variant:ident => ($code:literal, $status:literal, $title:literal),)*) => {
        /// A stable, machine-readable error code. Renaming one breaks clients: add, never rename.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub const fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The HTTP status this code is answered with.
            pub const fn status(self) -> u16 {
                match self { $(Code::$variant => $status,)* }
            }

            /// A short, human summary that does not change between occurrences.
            pub const fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }
        }
    };
}

codes! {
    // Generic protocol errors, produced by the HTTP layer for every route.
    BadRequest => ("bad_request", 400, "The request is malformed"),
    MalformedJson => ("malformed_json", 400, "The body is not valid JSON"),
    InvalidParameter => ("invalid_parameter", 400, "A path or query parameter is invalid"),
    Unauthenticated => ("unauthenticated", 401, "Authentication is required"),
    Forbidden => ("forbidden", 403, "You are not allowed to do this"),
    NotFound => ("not_found", 404, "No such resource"),
    MethodNotAllowed => ("method_not_allowed", 405, "This method is not allowed on this resource"),
    RequestTimeout => ("request_timeout", 408, "The request took too long"),
    Conflict => ("conflict", 409, "The request conflicts with the current state"),
    IdempotencyKeyInUse => ("idempotency_key_in_use", 409, "A request with this Idempotency-Key is still in progress"),
    PayloadTooLarge => ("payload_too_large", 413, "The body is too large"),
    UnsupportedMediaType => ("unsupported_media_type", 415, "The body must be application/json"),
    InvalidBody => ("invalid_body", 422, "The body does not match the expected shape"),
    ValidationFailed => ("validation_failed", 422, "Some fields are invalid"),
    IdempotencyKeyReused => ("idempotency_key_reused", 422, "This Idempotency-Key was used with a different request"),
    RateLimited => ("rate_limited", 429, "Too many requests"),
    // IAM.
    InvalidCredentials => ("invalid_credentials", 401, "Email or password is wrong"),
    ResetTokenInvalid => ("reset_token_invalid", 400, "The reset link is invalid, used or expired"),
    // IAM's device authorization grant: RFC 8628 §3.5's error codes, as they are named there.
    AuthorizationPending => ("authorization_pending", 400, "The device is not approved yet"),
    SlowDown => ("slow_down", 400, "Polling too fast: wait longer between polls"),
    AccessDenied => ("access_denied", 400, "The device was denied"),
    ExpiredToken => ("expired_token", 400, "The device code expired: start again"),
    InvalidGrant => ("invalid_grant", 400, "The device code is invalid or already used"),
    UnsupportedGrantType => ("unsupported_grant_type", 400, "Unsupported grant type"),
    MfaRequired => ("mfa_required", 401, "A TOTP code is required"),
    MfaEnrolmentRequired => ("mfa_enrolment_required", 403, "Your tenant requires MFA"),
    RoleTooHigh => ("role_too_high", 403, "You cannot grant a role above your own"),
    CsrfRejected => ("csrf_rejected", 403, "Cross-site request refused"),
    EmailTaken => ("email_taken", 409, "An account with this email already exists"),
    LastOwner => ("last_owner", 409, "A tenant keeps at least one owner"),
    AlreadyMember => ("already_member", 409, "This user is already a member"),
    WeakPassword => ("weak_password", 422, "The password is too weak"),
    NodeAssigned => ("node_assigned", 409, "The node is assigned to an allocation; pass force to take it anyway"),
    PaymentSignatureInvalid => ("payment_signature_invalid", 400, "The payment webhook signature is missing, wrong or stale"),
    PaymentProviderFailed => ("payment_provider_failed", 502, "The payment provider refused or failed the request"),
    InsufficientFunds => ("insufficient_funds", 402, "The balance does not cover this; top up first"),
    KycWrongState => ("kyc_wrong_state", 409, "KYC is not in a state that allows this"),
    WebhookSignatureInvalid => ("webhook_signature_invalid", 401, "The webhook signature is missing, wrong or stale"),
    WebhookReplayed => ("webhook_replayed", 409, "This webhook event was already received"),
    TooManyAttempts => ("too_many_attempts", 429, "Too many failed attempts; try again later"),
    KycLimit => ("kyc_limit", 403, "Your verification level does not allow this"),
    QuotaExceeded => ("quota_exceeded", 409, "This would exceed a node quota"),
    CapacityUnavailable => ("capacity_unavailable", 409, "Not enough nodes are available"),
    PlacementUnsatisfiable => ("placement_unsatisfiable", 409, "No fabric group has that many nodes available"),
    AllocationEnded => ("allocation_ended", 409, "The allocation has ended or is ending"),
    Internal => ("internal", 500, "Internal error"),
    Unavailable => ("unavailable", 503, "The service is not ready"),
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FieldError {
    /// JSON pointer-ish path of the field, such as `count` or `ssh_keys[1]`.
    pub field: String,
    pub message: String,
}

/// An error on its way to the user. Build one from a `Code`, add a detail if it helps the user act;
/// internal causes go to the log through [`Problem::internal`], never into the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    pub detail: Option<String>,
    pub errors: Vec<FieldError>,
    pub retry_after_s: Option<u64>,
}

impl Problem {
    pub fn new(code: Code) -> Problem {
        Problem {
            code,
            detail: None,
            errors: Vec::new(),
            // Every 503 says when to come back: clients (the SDK, the CLI) wait that long and
            // retry instead of failing.
            retry_after_s: (code == Code::Unavailable).then_some(1),
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Problem {
        self.detail = Some(detail.into());
        self
    }

    pub fn field(mut self, field: impl Into<String>, message: impl Into<String>) -> Problem {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
        self
    }

    /// A `validation_failed` problem naming each bad field.
    pub fn invalid_fields(fields: impl IntoIterator<Item = (String, String)>) -> Problem {
        fields.into_iter().fold(
            Problem::new(Code::ValidationFailed),
            |problem, (field, message)| problem.field(field, message),
        )
    }

    pub fn retry_after(mut self, seconds: u64) -> Problem {
        self.retry_after_s = Some(seconds);
        self
    }

    /// A 500 whose cause is logged here, with its whole source chain, and kept out of the body.
    pub fn internal(source: impl std::error::Error) -> Problem {
        let mut chain = source.to_string();
        let mut next = source.source();
        while let Some(cause) = next {
            chain.push_str(": ");
            chain.push_str(&cause.to_string());
            next = cause.source();
        }
        tracing::error!(error = %chain, "internal error");
        Problem::new(Code::Internal)
    }

    pub fn status(&self) -> u16 {
        self.code.status()
    }

    /// The wire form; `request_id` and `instance` are filled in by the HTTP layer.
    pub fn to_body(&self) -> ProblemBody {
        ProblemBody {
            problem_type: format!("urn:ingot:problem:{}", self.code),
            title: self.code.title().to_string(),
            status: self.code.status(),
            code: self.code.as_str().to_string(),
            detail: self.detail.clone(),
            instance: None,
            request_id: None,
            errors: self.errors.clone(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.detail {
            Some(detail) => write!(f, "{}: {detail}", self.code),
            None => write!(f, "{}", self.code),
        }
    }
}

impl std::error::Error for Problem {}

impl From<crate::page::PageError> for Problem {
    fn from(err: crate::page::PageError) -> Problem {
        Problem::new(Code::InvalidParameter).detail(err.to_string())
    }
}

/// `application/problem+json` as it travels (RFC 9457), shared by server and SDK.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = Problem)]
pub struct ProblemBody {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    /// Stable machine-readable code; branch on this, never on `title` or `detail`.
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub detail: Option<String>,
    /// The request path.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub instance: Option<String>,
    /// The `x-request-id` of the request, to quote to support.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub errors: Vec<FieldError>,
}

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_snake_case_and_map_to_error_statuses() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {code}");
            assert!(
                code.as_str().bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{code}"
            );
            assert!((400..600).contains(&code.status()), "{code}");
        }
    }

    #[test]
    fn body_carries_code_title_and_detail_but_not_internal_causes() {
        let io = std::io::Error::other("password=hunter2 leaked in a driver message");
        let body = serde_json::to_value(Problem::internal(io).to_body()).unwrap();
        assert_eq!(body["code"], "internal");
        assert_eq!(body["status"], 500);
        assert!(!body.to_string().contains("hunter2"));
        let body = serde_json::to_value(
            Problem::new(Code::ValidationFailed)
                .field("count", "must be ≥ 1")
                .to_body(),
        )
        .unwrap();
        assert_eq!(body["type"], "urn:ingot:problem:validation_failed");
        assert_eq!(body["errors"][0]["field"], "count");
    }
}
