-- Device authorization grants (RFC 8628): a device (the CLI) asks for a pair of codes, a
-- signed-in person approves the short one on the web app's /device page, and the device, polling
-- with the long one, receives a session once. Both codes are stored hashed.
CREATE TABLE iam_device_grants (
    id TEXT PRIMARY KEY,
    device_code_hash TEXT NOT NULL UNIQUE,
    user_code_hash TEXT NOT NULL,
    client_name TEXT NOT NULL,
    requested_ip TEXT,
    created_at_us BIGINT NOT NULL,
    expires_at_us BIGINT NOT NULL,
    interval_s BIGINT NOT NULL,
    polled_at_us BIGINT,
    state TEXT NOT NULL,
    user_id TEXT REFERENCES iam_users (id),
    decided_at_us BIGINT
);

CREATE INDEX iam_device_grants_user_code ON iam_device_grants (user_code_hash, expires_at_us);
