//! Billing model: pure types and state machines. No IO, no clock, no sqlx/axum/tokio here.
//!
//! The ledger is built so a wrong posting cannot be expressed: a posting is a list of
//! transfers, each moving one positive amount from one account to another of the same currency,
//! so every posting balances to zero per currency by construction; the only way to make one is
//! [`Posting::new`], which checks the rest.

mod funding;
mod ledger;
mod metering;

pub use funding::{FundingNeed, FundingPlan, RunwayShort, Split, funded_until, funding_plan, runway_check};
pub use ledger::{
    AccountKind, AccountRef, Hold, HoldError, HoldState, Posting, PostingError, PostingKind, Transfer,
    account_deltas,
};
pub use metering::{Meter, MeterKey, Usage, UsageFact, billable_micros, cost_due};
