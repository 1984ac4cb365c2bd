-- A user's own SSH public keys, usable by id in any project the user allocates in.
CREATE TABLE app_user_ssh_keys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    bits BIGINT NOT NULL,
    fingerprint TEXT NOT NULL,
    public_key TEXT NOT NULL,
    comment TEXT,
    created_at_us BIGINT NOT NULL
);
CREATE UNIQUE INDEX app_user_ssh_keys_once_per_user ON app_user_ssh_keys (user_id, fingerprint);
