//! The notification outbox: messages the platform sends people (password resets, invitations),
//! queued with the change that causes them, bodies sealed at rest, and handed to the `Notifier`
//! by the delivery controller (see `crate::notify`).

use ingot_contracts::iam::{Action, Actor, IamError, NotificationView, Resource};
use ingot_kernel::Timestamp;
use ingot_kernel::db::Tx;
use ingot_kernel::id::new_ulid;

use super::{IamService, Outcome};
use crate::audit::{AuditRecord, audit_append};
use crate::store::{self, NotificationRow};

const NOTIFICATIONS_LIST_MAX: i64 = 200;
/// Attempts before a message is given up (it stays readable in the outbox).
const DELIVERY_ATTEMPTS_MAX: i64 = 10;

fn notification_context(id: &str) -> String {
    format!("iam.notification:{id}")
}

impl IamService {
    /// Queues a message for `recipient`, body sealed, in the caller's transaction.
    pub(super) async fn notify_in_tx(
        &self,
        tx: &mut Tx,
        recipient: &str,
        subject: &str,
        body: &str,
        now: Timestamp,
    ) -> Outcome<()> {
        let id = format!("ntf_{}", new_ulid().to_string().to_lowercase());
        let body_sealed = self
            .secret_box
            .seal(body.as_bytes(), &notification_context(&id))
            .map_err(|_| IamError::Internal)?;
        let row = NotificationRow {
            id,
            recipient: recipient.to_string(),
            subject: subject.to_string(),
            body_sealed,
            created_at: now,
            attempts: 0,
        };
        store::notification_insert_in_tx(tx, &row).await?;
        Ok(())
    }

    /// The message with its body opened.
    fn notification_open(&self, row: NotificationRow) -> Outcome<crate::notify::OutgoingMessage> {
        let body = self
            .secret_box
            .open(&row.body_sealed, &notification_context(&row.id))
            .map_err(|_| IamError::Internal)?;
        Ok(crate::notify::OutgoingMessage {
            id: row.id,
            recipient: row.recipient,
            subject: row.subject,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }

    /// One delivery pass: hands up to `batch_max` undelivered messages to the notifier. Each
    /// attempt is claimed before sending, so concurrent passes never send one twice; a failed or
    /// interrupted attempt is retried on a later pass, up to `DELIVERY_ATTEMPTS_MAX`.
    pub async fn notifications_deliver_pending(&self, batch_max: i64) -> Result<usize, IamError> {
        Ok(self.notifications_deliver_impl(batch_max).await?)
    }

    async fn notifications_deliver_impl(&self, batch_max: i64) -> Outcome<usize> {
        let pending =
            store::notifications_pending(self.db.reader(), DELIVERY_ATTEMPTS_MAX, batch_max).await?;
        let mut delivered = 0;
        for row in pending {
            let mut tx = self.db.begin().await?;
            let claimed = store::notification_attempt_claim_in_tx(&mut tx, &row.id, row.attempts).await?;
            tx.commit().await?;
            if !claimed {
                continue;
            }
            let message = self.notification_open(row)?;
            if self.notifier.deliver(&message).await.is_ok() {
                let mut tx = self.db.begin().await?;
                store::notification_delivered_in_tx(&mut tx, &message.id, self.clock.now()).await?;
                tx.commit().await?;
                delivered += 1;
            }
        }
        Ok(delivered)
    }

    pub(super) async fn notification_list_impl(&self, actor: &Actor) -> Outcome<Vec<NotificationView>> {
        self.authorize(actor, Action::NotificationRead, Resource::Platform)?;
        let rows = store::notifications_recent(self.db.reader(), NOTIFICATIONS_LIST_MAX).await?;
        let mut notifications = Vec::with_capacity(rows.len());
        for row in rows {
            let created_at = row.created_at;
            let message = self.notification_open(row)?;
            notifications.push(NotificationView {
                id: message.id,
                recipient: message.recipient,
                subject: message.subject,
                body: message.body,
                created_at,
            });
        }
        audit_append(
            &self.db,
            &AuditRecord::by(actor, "iam.notification.read", "success"),
            self.clock.now(),
        )
        .await?;
        Ok(notifications)
    }
}
