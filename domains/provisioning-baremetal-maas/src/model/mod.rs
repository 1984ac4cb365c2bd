//! Provisioning.BareMetal.MAAS model: pure types and decisions. No IO, no clock, no sqlx/axum/tokio
//! here. MAAS's wire types (`client::wire`) are plain data and may be read here.

mod deployment;
mod drift;
mod facts;
mod images;
mod onboarding;
mod operations;
mod policy;

pub use deployment::{Desired, Observed, Phase, Step, deployment_step, maas_time_parse, user_data_compose};
pub use drift::{DriftKind, Expected, Finding, Repair, Seen, Tolerance, drift_assess};
pub use facts::{hardware_facts, placement, registration};
pub use images::{RegionImage, images_allowed, region_images};
pub use onboarding::{OnboardingStep, onboarding_step};
pub use operations::{OpKind, OpPhase, OpStep, operation_step};
pub use policy::{policy_validate, site_admits, window_open};
