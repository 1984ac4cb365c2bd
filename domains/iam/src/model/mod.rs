//! IAM model: the authorization rules as one pure function, and the rules for what a valid email,
//! password and name are. No IO, no clock, no sqlx/axum/tokio here.

mod account;
mod authorize;
mod kyc;

pub use account::{PasswordVerdict, email_normalize, name_validate, password_check};
pub use authorize::authorize;
pub use kyc::{
    KYC_POLICY_VERSION, KycTransitionError, kyc_decide, kyc_personal_data_checked, kyc_submit, policy_for,
};
