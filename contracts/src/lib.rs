//! The published language between domains: for each bounded context, its request and response
//! DTOs, its events and its service trait. A domain knows another only through this crate.
//! Nothing here does IO or holds business rules; it is types and trait signatures.

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
