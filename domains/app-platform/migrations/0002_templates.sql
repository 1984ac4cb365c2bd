-- A project's cloud-init templates (the built-ins live in code). `variables` is the JSON list of
-- typed variables; `version` goes up by one with every change.
CREATE TABLE app_templates (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    variables TEXT NOT NULL,
    body TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL
);
CREATE UNIQUE INDEX app_templates_name_once_per_project ON app_templates (project_id, name);
