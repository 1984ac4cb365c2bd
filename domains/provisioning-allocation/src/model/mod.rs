//! Provisioning.Allocation model: pure types and decisions. No IO, no clock, no sqlx/axum/tokio
//! here.

mod admission;
mod lifecycle;
mod placement;

pub use admission::{Admission, Refusal, admission_decide};
pub use lifecycle::{AllocationState, NodeEvent, NodePhase, allocation_state_of, node_transition};
pub use placement::{Candidate, fabric_pick, site_pick};
