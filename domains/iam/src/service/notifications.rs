//! The notification outbox: messages the platform sends people (password resets, invitations).
//! The embedded default has no mail transport, so messages wait here, bodies sealed at rest, for a
//! platform admin to read; a mail notifier will drain the same table.

use ingot_contracts::iam::{Action, Actor, IamError, NotificationView, Resource};
use ingot_kernel::Timestamp;
use ingot_kernel::db::Tx;
use ingot_kernel::id::new_ulid;
use sqlx::Row;

use super::{IamService, Outcome};
use crate::audit::{AuditRecord, audit_append};

const NOTIFICATIONS_LIST_MAX: i64 = 200;

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
        // The log says a message is waiting, never what it says.
        tracing::info!(notification = %id, subject, "notification queued in the platform outbox");
        Ok(())
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
