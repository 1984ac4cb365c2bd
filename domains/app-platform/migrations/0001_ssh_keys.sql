-- A project's SSH public keys. A key is added once per project (its fingerprint is unique
-- there); the text kept is the public half only, normalised.
CREATE TABLE app_ssh_keys (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    bits BIGINT NOT NULL,
    fingerprint TEXT NOT NULL,
    public_key TEXT NOT NULL,
    comment TEXT,
    added_by TEXT NOT NULL,
    created_at_us BIGINT NOT NULL
);
CREATE UNIQUE INDEX app_ssh_keys_once_per_project ON app_ssh_keys (project_id, fingerprint);
