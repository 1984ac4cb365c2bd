//! IAM: identities, credentials, sessions, API tokens, tenancy and membership, the authorizer,
//! the hash-chained audit log; MFA, KYC and security posture follow (issue #3).
//! Never: store or log a secret in clear; let another domain decide authorization on its own.

pub mod audit;
pub mod http;
pub mod model;
pub mod notify;
pub mod secrets;
pub mod service;
pub mod store;
pub mod workers;

use ingot_kernel::db::{Migration, MigrationSet};

pub use service::{IamAuthorizer, IamConfig, IamService};

/// This domain's tables, all prefixed `iam_`.
pub const MIGRATIONS: MigrationSet = MigrationSet {
    domain: "iam",
    table_prefix: "iam_",
    migrations: &[
        Migration::portable(1, "accounts", include_str!("../migrations/0001_accounts.sql")),
        Migration::portable(2, "kyc", include_str!("../migrations/0002_kyc.sql")),
        Migration::portable(3, "mfa", include_str!("../migrations/0003_mfa.sql")),
        Migration::portable(
            4,
            "password_reset",
            include_str!("../migrations/0004_password_reset.sql"),
        ),
        Migration::portable(
            5,
            "invitations",
            include_str!("../migrations/0005_invitations.sql"),
        ),
        Migration::portable(
            6,
            "project_members",
            include_str!("../migrations/0006_project_members.sql"),
        ),
        Migration::portable(
            7,
            "notification_delivery",
            include_str!("../migrations/0007_notification_delivery.sql"),
        ),
        Migration::portable(
            8,
            "device_grants",
            include_str!("../migrations/0008_device_grants.sql"),
        ),
        Migration::portable(
            9,
            "audit_by_action",
            include_str!("../migrations/0009_audit_by_action.sql"),
        ),
    ],
};
