//! How messages leave the platform. IAM queues them (sealed) in the notification outbox in the
//! same transaction as the change that causes them; the delivery controller hands each to the
//! configured `Notifier`. The embedded default logs that a message is waiting (recipient and
//! subject, never the body, which may carry a one-time token) and platform admins read the body
//! from `GET /v1/admin/notifications`; a mail notifier plugs in here.

use ingot_contracts::BoxFuture;

/// A message on its way out.
#[derive(Clone)]
pub struct OutgoingMessage {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

impl std::fmt::Debug for OutgoingMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutgoingMessage")
            .field("id", &self.id)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("notification delivery failed")]
pub struct NotifyError;

/// A delivery channel (mail, chat, pager).
pub trait Notifier: Send + Sync {
    fn deliver<'a>(&'a self, message: &'a OutgoingMessage) -> BoxFuture<'a, Result<(), NotifyError>>;
}

/// The embedded default: the outbox is the mailbox; the log says something arrived.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogNotifier;

impl Notifier for LogNotifier {
    fn deliver<'a>(&'a self, message: &'a OutgoingMessage) -> BoxFuture<'a, Result<(), NotifyError>> {
        Box::pin(async move {
            tracing::info!(
                notification = %message.id,
                recipient = %message.recipient,
                subject = %message.subject,
                "notification waiting in the platform outbox (GET /v1/admin/notifications)"
            );
            Ok(())
        })
    }
}
