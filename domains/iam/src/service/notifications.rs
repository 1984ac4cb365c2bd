//! The notification outbox: messages the platform sends people (password resets, invitations),
//! queued with the change that causes them, bodies sealed at rest, and handed to the `Notifier`
//! by the delivery controller (see `crate::notify`).

use ingot_contracts::iam::{Action, Actor, IamError, NotificationView, Resource};
use ingot_kernel::Timestamp;
use ingot_kernel::db::Tx;
use ingot_kernel::id::new_ulid;
use sqlx::Row;

use super::{IamService, Outcome};
use crate::audit::{AuditRecord, audit_append};

const NOTIFICATIONS_LIST_MAX: i64 = 200;
/// Attempts before a message is given up (it stays readable in the outbox).
const DELIVERY_ATTEMPTS_MAX: i64 = 10;

fn notification_context(id: &str) -> String {
    format!("iam.notification:{id}")
}

impl IamService {
    /// Queues a message for `recipient`. The embedded default's only channel is this outbox.
    pub(super) async fn notify_in_tx(
        &self,
        tx: &mut Tx,
        recipient: &str,
        subject: &str,
        body: &str,
        now: Timestamp,
    ) -> Outcome<()> {
        let id = format!("ntf_{}", new_ulid().to_string().to_lowercase());
        let sealed = self
            .secret_box
            .seal(body.as_bytes(), &notification_context(&id))
            .map_err(|_| IamError::Internal)?;
        sqlx::query("INSERT INTO iam_notifications (id, recipient, subject, body_sealed, created_at_us) VALUES ($1, $2, $3, $4, $5)")
            .bind(&id)
            .bind(recipient)
            .bind(subject)
            .bind(sealed)
            .bind(now.as_micros())
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// One delivery pass: hands up to `batch_max` undelivered messages to the notifier. Each
    /// attempt is claimed before sending, so concurrent passes never send one twice; a failed or
    /// interrupted attempt is retried on a later pass, up to `DELIVERY_ATTEMPTS_MAX`.
    pub async fn notifications_deliver_pending(&self, batch_max: i64) -> Result<usize, IamError> {
        Ok(self.notifications_deliver_impl(batch_max).await?)
    }

    async fn notifications_deliver_impl(&self, batch_max: i64) -> Outcome<usize> {
        let rows = sqlx::query(
            "SELECT id, recipient, subject, body_sealed, attempts FROM iam_notifications \
             WHERE delivered_at_us IS NULL AND attempts < $1 ORDER BY id LIMIT $2",
        )
        .bind(DELIVERY_ATTEMPTS_MAX)
        .bind(batch_max)
        .fetch_all(self.db.reader())
        .await?;
        let mut delivered = 0;
        for row in rows {
            let id: String = row.try_get("id")?;
            let attempts: i64 = row.try_get("attempts")?;
            // Claim this attempt first: of two deliverers racing, only one sends.
            let mut tx = self.db.begin().await?;
            let claimed = sqlx::query(
                "UPDATE iam_notifications SET attempts = attempts + 1 \
                 WHERE id = $1 AND attempts = $2 AND delivered_at_us IS NULL",
            )
            .bind(&id)
            .bind(attempts)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            if claimed.rows_affected() != 1 {
                continue;
            }
            let sealed: String = row.try_get("body_sealed")?;
            let body = self
                .secret_box
                .open(&sealed, &notification_context(&id))
                .map_err(|_| IamError::Internal)?;
            let message = crate::notify::OutgoingMessage {
                id: id.clone(),
                recipient: row.try_get("recipient")?,
                subject: row.try_get("subject")?,
                body: String::from_utf8_lossy(&body).into_owned(),
            };
            if self.notifier.deliver(&message).await.is_ok() {
                let mut tx = self.db.begin().await?;
                sqlx::query("UPDATE iam_notifications SET delivered_at_us = $1 WHERE id = $2")
                    .bind(self.clock.now().as_micros())
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                delivered += 1;
            }
        }
        Ok(delivered)
    }

    pub(super) async fn notification_list_impl(&self, actor: &Actor) -> Outcome<Vec<NotificationView>> {
        self.authorize(actor, Action::NotificationRead, Resource::Platform)?;
        let rows = sqlx::query(
            "SELECT id, recipient, subject, body_sealed, created_at_us FROM iam_notifications ORDER BY id DESC LIMIT $1",
        )
        .bind(NOTIFICATIONS_LIST_MAX)
        .fetch_all(self.db.reader())
        .await?;
        let mut notifications = Vec::with_capacity(rows.len());
        for row in rows {
            let id: String = row.try_get("id")?;
            let sealed: String = row.try_get("body_sealed")?;
            let body = self
                .secret_box
                .open(&sealed, &notification_context(&id))
                .map_err(|_| IamError::Internal)?;
            notifications.push(NotificationView {
                recipient: row.try_get("recipient")?,
                subject: row.try_get("subject")?,
                body: String::from_utf8_lossy(&body).into_owned(),
                created_at: Timestamp::from_micros(row.try_get("created_at_us")?),
                id,
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
