//! Read Models model: the projections as pure functions of the event history. No IO, no clock:
//! a projection reads an event and the documents it names, and changes those documents. Applying
//! the same events in the same order therefore always builds the same documents — which is what
//! makes a rebuild from the history equal to the state built as events arrived.

pub mod capacity;
pub mod health;
pub mod revenue;
pub mod tenant_overview;

use std::collections::BTreeMap;

use ingot_contracts::read_models::ProjectionOwnership;
use ingot_kernel::event::EventEnvelope;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Site and SKU names, as the catalog gives them when an answer is composed.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub sites: std::collections::HashMap<ingot_kernel::id::SiteId, String>,
    pub skus: std::collections::HashMap<ingot_kernel::id::SkuId, String>,
}

/// The scope every operator dashboard's answer belongs to.
pub const OPS_SCOPE: &str = "ops";

/// Documents a projection needs loaded before it applies an event.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Need {
    /// One document by key.
    Key(String),
    /// Every document whose key starts with this (small families, such as a dashboard's cells).
    Prefix(String),
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("event {event_type} has a payload this projection cannot read: {source}")]
    Payload {
        event_type: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("document {0} is corrupt: {1}")]
    Corrupt(String, serde_json::Error),
}

/// The documents loaded for a batch of events, and what the batch changed.
#[derive(Debug, Default)]
pub struct Docs {
    /// `None`: known absent (or deleted by this batch).
    slots: BTreeMap<String, Option<serde_json::Value>>,
    dirty: std::collections::BTreeSet<String>,
}

impl Docs {
    /// Records what the store holds for `key` (before any change).
    pub fn loaded(&mut self, key: String, value: Option<serde_json::Value>) {
        self.slots.entry(key).or_insert(value);
    }

    pub fn is_loaded(&self, key: &str) -> bool {
        self.slots.contains_key(key)
    }

    /// The document under `key`, or its default when there is none.
    pub fn get<T: DeserializeOwned + Default>(&self, key: &str) -> Result<T, ApplyError> {
        match self.slots.get(key) {
            Some(Some(value)) => {
                T::deserialize(value).map_err(|err| ApplyError::Corrupt(key.to_string(), err))
            }
            _ => Ok(T::default()),
        }
    }

    /// The document under `key`, if there is one.
    pub fn get_opt<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, ApplyError> {
        match self.slots.get(key) {
            Some(Some(value)) => T::deserialize(value)
                .map(Some)
                .map_err(|err| ApplyError::Corrupt(key.to_string(), err)),
            _ => Ok(None),
        }
    }

    pub fn exists(&self, key: &str) -> bool {
        matches!(self.slots.get(key), Some(Some(_)))
    }

    pub fn put<T: Serialize>(&mut self, key: &str, doc: &T) {
        // Invariant: documents are plain serde structs, which always serialise.
        let value = serde_json::to_value(doc).expect("read-model documents serialise to JSON");
        self.slots.insert(key.to_string(), Some(value));
        self.dirty.insert(key.to_string());
    }

    pub fn remove(&mut self, key: &str) {
        self.slots.insert(key.to_string(), None);
        self.dirty.insert(key.to_string());
    }

    /// Keys loaded under `prefix` that hold a document, in key order.
    pub fn keys_with_prefix(&self, prefix: &str) -> Vec<String> {
        self.slots
            .range(prefix.to_string()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .filter(|(_, v)| v.is_some())
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// What to write back: each changed key with its new value (`None`: delete).
    pub fn changes(&self) -> impl Iterator<Item = (&str, Option<&serde_json::Value>)> {
        self.dirty
            .iter()
            .map(|k| (k.as_str(), self.slots.get(k).and_then(Option::as_ref)))
    }

    pub fn clear_changes(&mut self) {
        self.dirty.clear();
    }
}

/// What a projection declares about itself: its name, its version (bump it whenever `apply`
/// changes meaning; a new generation is then built beside the live one), the domains owning
/// the data it is built from, and the route serving it. Its BFF owner is UX.
#[derive(Debug)]
pub struct Declared {
    pub name: &'static str,
    pub version: u32,
    /// As OWNERS.toml names them: `billing`, `provisioning-allocation`.
    pub sources: &'static [&'static str],
    pub route: &'static str,
}

/// A projection: a named, versioned fold of the event history into documents.
pub trait Projection: Send + Sync + 'static {
    fn declared(&self) -> &'static Declared;
    /// Documents `event` reads or writes; empty when the projection ignores it.
    fn needs(&self, event: &EventEnvelope) -> Vec<Need>;
    /// The answer scope the event changes: a tenant id for tenant views, [`OPS_SCOPE`] for
    /// operators' dashboards. Its position is what cached answers are keyed by.
    fn scope(&self, event: &EventEnvelope) -> Option<String>;
    fn apply(&self, event: &EventEnvelope, docs: &mut Docs) -> Result<(), ApplyError>;

    fn name(&self) -> &'static str {
        self.declared().name
    }

    fn version(&self) -> u32 {
        self.declared().version
    }

    fn ownership(&self) -> ProjectionOwnership {
        let declared = self.declared();
        ProjectionOwnership {
            name: declared.name.to_string(),
            sources: declared.sources.iter().map(|s| s.to_string()).collect(),
            bff_owner: "UX".to_string(),
            route: declared.route.to_string(),
        }
    }
}

/// Reads an event's payload as `T`.
pub fn payload<T: DeserializeOwned>(event: &EventEnvelope) -> Result<T, ApplyError> {
    T::deserialize(&event.payload).map_err(|source| ApplyError::Payload {
        event_type: event.event_type.clone(),
        source,
    })
}

/// Keeps the `keep` newest entries of a map ordered by time-like keys.
pub fn keep_newest<K: Ord + Clone, V>(map: &mut BTreeMap<K, V>, keep: usize) {
    while map.len() > keep {
        let Some(first) = map.keys().next().cloned() else {
            break;
        };
        map.remove(&first);
    }
}

/// `part ÷ whole`, rounded to four decimals; 0 when `whole` is 0.
pub fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests;
