-- IAM: people, tenants and their projects, memberships, sessions, API tokens, and the
-- hash-chained audit log. Secrets are stored only as hashes.
CREATE TABLE iam_users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    -- Space-separated platform roles: 'platform_admin security'.
    platform_roles TEXT NOT NULL DEFAULT '',
    totp_enabled INTEGER NOT NULL DEFAULT 0,
    created_at_us BIGINT NOT NULL,
    password_changed_at_us BIGINT NOT NULL
);

CREATE TABLE iam_tenants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    require_mfa INTEGER NOT NULL DEFAULT 0,
    created_at_us BIGINT NOT NULL
);

CREATE TABLE iam_projects (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES iam_tenants (id),
    name TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE iam_memberships (
    tenant_id TEXT NOT NULL REFERENCES iam_tenants (id),
    user_id TEXT NOT NULL REFERENCES iam_users (id),
    role TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX iam_memberships_by_user ON iam_memberships (user_id);

CREATE TABLE iam_sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES iam_users (id),
    secret_hash TEXT NOT NULL UNIQUE,
    created_at_us BIGINT NOT NULL,
    last_seen_at_us BIGINT NOT NULL,
    idle_expires_at_us BIGINT NOT NULL,
    absolute_expires_at_us BIGINT NOT NULL,
    revoked_at_us BIGINT,
    source_ip TEXT
);
CREATE INDEX iam_sessions_by_user ON iam_sessions (user_id);

CREATE TABLE iam_api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES iam_users (id),
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    -- NULL for a platform token (made by bootstrap-admin): it carries the user's platform roles.
    tenant_id TEXT,
    project_id TEXT,
    role TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    expires_at_us BIGINT NOT NULL,
    revoked_at_us BIGINT,
    last_used_at_us BIGINT
);
CREATE INDEX iam_api_tokens_by_user ON iam_api_tokens (user_id);

-- Append-only, hash-chained: each record's hash covers the previous record's hash, and the head
-- row holds the latest position and hash, so an edited, deleted or truncated record is detected.
CREATE TABLE iam_audit_events (
    position BIGINT PRIMARY KEY,
    at_us BIGINT NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    actor_user_id TEXT,
    credential TEXT,
    target TEXT,
    tenant_id TEXT,
    source_ip TEXT,
    request_id TEXT,
    details TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX iam_audit_events_by_tenant ON iam_audit_events (tenant_id, position);

CREATE TABLE iam_audit_head (
    id INTEGER PRIMARY KEY,
    position BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO iam_audit_head (id, position, hash) VALUES (1, 0, 'genesis');
