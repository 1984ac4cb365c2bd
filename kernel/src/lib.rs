//! The shared kernel: vocabulary every domain speaks (typed ids, `Money`, `Clock`, pagination,
//! problem errors, the event envelope) and the plumbing they share (database, outbox, leases,
//! idempotency records, cache, controllers). It holds no business rules and knows no domain.

pub mod clock;
pub mod event;
pub mod id;
pub mod money;
pub mod page;
pub mod problem;

#[cfg(feature = "sql")]
pub mod cache;
#[cfg(feature = "sql")]
pub mod crypto;
#[cfg(feature = "sql")]
pub mod db;
#[cfg(feature = "sql")]
pub mod idempotency;
#[cfg(feature = "sql")]
pub mod lease;
#[cfg(feature = "sql")]
pub mod outbox;
#[cfg(feature = "sql")]
pub mod worker;

#[cfg(feature = "http")]
pub mod http;

#[cfg(feature = "client")]
pub mod outbound;

#[cfg(feature = "testing")]
pub mod testing;

pub use clock::{Clock, ManualClock, SystemClock, Timestamp};
pub use money::{Currency, Money};
pub use problem::{Code, Problem};

#[doc(hidden)]
pub mod __private {
    //! Re-exports used by `define_id!`, so crates that define ids need no extra dependencies.
    pub use {serde, ulid, utoipa};
}
