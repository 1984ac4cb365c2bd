-- Incidents: one per alert rule and subject from first firing until resolved (at most one
-- unresolved per rule and subject: the dedup key), with their timeline and the pages owed.
CREATE TABLE ops_incidents (
    id TEXT PRIMARY KEY,
    rule TEXT NOT NULL,
    subject TEXT NOT NULL,
    context TEXT NOT NULL,
    severity TEXT NOT NULL,
    state TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    runbook TEXT NOT NULL,
    firing INTEGER NOT NULL,
    site_id TEXT,
    node_id TEXT,
    opened_at_us BIGINT NOT NULL,
    last_fired_at_us BIGINT NOT NULL,
    -- Set once the first pages are queued (held while maintenance is declared).
    paged_at_us BIGINT,
    escalated_at_us BIGINT,
    paging_held TEXT,
    acknowledged_at_us BIGINT,
    acknowledged_by TEXT,
    resolved_at_us BIGINT,
    resolved_by TEXT
);
CREATE UNIQUE INDEX ops_incidents_unresolved ON ops_incidents (rule, subject) WHERE state <> 'resolved';
CREATE INDEX ops_incidents_by_state ON ops_incidents (state, id);

CREATE TABLE ops_incident_timeline (
    id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL,
    at_us BIGINT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX ops_incident_timeline_by_incident ON ops_incident_timeline (incident_id, id);

-- A page owed to one person (or role) over one channel; the paging controller sends it,
-- retrying with backoff, and records the outcome on the incident's timeline.
CREATE TABLE ops_pages (
    id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    role TEXT NOT NULL,
    person TEXT,
    channel TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at_us BIGINT NOT NULL,
    last_error TEXT,
    created_at_us BIGINT NOT NULL,
    sent_at_us BIGINT
);
CREATE INDEX ops_pages_due ON ops_pages (state, next_attempt_at_us);
