//! The event envelope: how a state change travels from its owning domain to everyone else.
//! Payloads are the owning domain's `contracts` event types, serialised to JSON.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::id::{EventId, TenantId};

/// A domain event as stored in the outbox and delivered to consumers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EventEnvelope {
    pub id: EventId,
    /// Position in the outbox; 0 until appended. Consumers order by the outbox, not by this alone.
    pub seq: i64,
    /// Dotted, past tense: `allocation.released`.
    pub event_type: String,
    /// Owning domain, as named in OWNERS.toml: `provisioning-allocation`.
    pub source: String,
    /// The aggregate the event is about, as a typed id string.
    pub subject: String,
    pub tenant_id: Option<TenantId>,
    pub occurred_at: Timestamp,
    /// Bumped when the payload changes incompatibly.
    pub schema_version: u32,
    pub payload: serde_json::Value,
}

/// A `contracts` event type that knows how to wrap itself.
pub trait DomainEvent: Serialize {
    const EVENT_TYPE: &'static str;
    const SOURCE: &'static str;
    const SCHEMA_VERSION: u32 = 1;

    fn subject(&self) -> String;
    fn tenant_id(&self) -> Option<TenantId>;

    fn to_envelope(&self, occurred_at: Timestamp) -> EventEnvelope {
        EventEnvelope {
            id: EventId::generate(),
            seq: 0,
            event_type: Self::EVENT_TYPE.to_string(),
            source: Self::SOURCE.to_string(),
            subject: self.subject(),
            tenant_id: self.tenant_id(),
            occurred_at,
            schema_version: Self::SCHEMA_VERSION,
            // Invariant: contracts events are plain serde structs, which always serialise.
            payload: serde_json::to_value(self).expect("contracts events serialise to JSON"),
        }
    }
}
