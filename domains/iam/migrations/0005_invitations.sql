-- Invitations of people without an account: signing up with the email joins the tenant.
CREATE TABLE iam_invitations (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES iam_tenants (id),
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    invited_by TEXT NOT NULL REFERENCES iam_users (id),
    created_at_us BIGINT NOT NULL,
    expires_at_us BIGINT NOT NULL,
    accepted_at_us BIGINT,
    revoked_at_us BIGINT
);
-- One open invitation per person and tenant.
CREATE UNIQUE INDEX iam_invitations_open ON iam_invitations (tenant_id, email)
    WHERE accepted_at_us IS NULL AND revoked_at_us IS NULL;
CREATE INDEX iam_invitations_by_email ON iam_invitations (email);
