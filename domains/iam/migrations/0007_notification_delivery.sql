-- Delivery state of queued notifications: the delivery controller hands each to the configured
-- notifier once, retrying a bounded number of times.
ALTER TABLE iam_notifications ADD COLUMN delivered_at_us BIGINT;
ALTER TABLE iam_notifications ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX iam_notifications_pending ON iam_notifications (delivered_at_us, id);
