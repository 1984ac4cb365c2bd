-- Operations' login-failure rule counts one action's recent outcomes every pass.
CREATE INDEX iam_audit_events_by_action ON iam_audit_events (action, at_us);
