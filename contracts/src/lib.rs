//! The published language between domains: for each bounded context, its request and response
//! DTOs, its events and its service trait. A domain knows another only through this crate.
//! Nothing here does IO or holds business rules; it is types and trait signatures.

/// Implements `DomainEvent` for an event: its type name, the domain that emits it, the field
/// that is its subject, and the field holding its tenant (`none` for platform events). The one
/// way events are declared in this crate.
macro_rules! domain_event {
    ($event:ty, $name:literal, $source:literal, subject: $subject:ident, tenant: none) => {
        impl ingot_kernel::event::DomainEvent for $event {
            const EVENT_TYPE: &'static str = $name;
            const SOURCE: &'static str = $source;

            fn subject(&self) -> String {
                self.$subject.to_string()
            }

            fn tenant_id(&self) -> Option<ingot_kernel::id::TenantId> {
                None
            }
        }
    };
    ($event:ty, $name:literal, $source:literal, subject: $subject:ident, tenant: $tenant:ident) => {
        impl ingot_kernel::event::DomainEvent for $event {
            const EVENT_TYPE: &'static str = $name;
            const SOURCE: &'static str = $source;

            fn subject(&self) -> String {
                self.$subject.to_string()
            }

            fn tenant_id(&self) -> Option<ingot_kernel::id::TenantId> {
                Some(self.$tenant)
            }
        }
    };
}

pub mod allocation;
pub mod app_platform;
pub mod billing;
pub mod iam;
pub mod inventory;
pub mod maas;
pub mod operations;
pub mod read_models;

use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future: the return type of contracts trait methods, which must be
/// object-safe because the composition root hands domains `Arc<dyn Trait>`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
