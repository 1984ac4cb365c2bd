-- Explicit roles on single projects, on top of tenant roles. Holders are tenant members.
CREATE TABLE iam_project_members (
    project_id TEXT NOT NULL REFERENCES iam_projects (id),
    user_id TEXT NOT NULL REFERENCES iam_users (id),
    role TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX iam_project_members_by_user ON iam_project_members (user_id);
