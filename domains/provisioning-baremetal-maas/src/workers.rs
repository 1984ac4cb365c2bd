//! Provisioning.BareMetal.MAAS workers: controllers whose every step is idempotent; `ingotd` runs each under a lease.

use std::sync::Arc;

use ingot_kernel::worker::Controller;

/// The controllers `ingotd` runs for this domain.
pub fn controllers() -> Vec<Arc<dyn Controller>> {
    Vec::new()
}
