//! IAM: identities, credentials, sessions, API tokens, MFA, tenancy and membership, the authorizer,
//! security posture, KYC verification and policy, and the audit log.
//! Never: store or log a secret in clear; let another domain decide authorization on its own.
//! Today it holds the authorizer and the authenticator seam; the IAM issue (#3) fills the rest.

pub mod http;
pub mod model;
pub mod service;
pub mod store;
pub mod workers;

use ingot_kernel::db::MigrationSet;

pub use service::{IamAuthenticator, IamAuthorizer};

/// This domain's tables, all prefixed `iam_`.
pub const MIGRATIONS: MigrationSet = MigrationSet {
    domain: "iam",
    table_prefix: "iam_",
    migrations: &[],
};
