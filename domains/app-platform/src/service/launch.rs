//! What Allocation asks before it admits a request (`LaunchInputsResolver`): the keys to install
//! — a project's keys or the caller's own named by id, or key lines checked as strictly as keys added to a project —
//! and the user-data, checked, or rendered from a template.

use ingot_contracts::BoxFuture;
use ingot_contracts::allocation::{LaunchAsk, LaunchInputs, LaunchInputsError, LaunchInputsResolver};
use ingot_contracts::app_platform::{AppPlatformError, SshKeyView};
use ingot_contracts::iam::Actor;
use ingot_kernel::id::{ProjectId, SshKeyId};

use super::AppPlatformService;
use crate::model::ssh_key::ssh_key_parse;
use crate::model::user_data::user_data_check;
use crate::store::{self, KeyOwner};

/// The `authorized_keys` line of a kept key.
fn authorized_line(key: &SshKeyView) -> String {
    match &key.comment {
        Some(comment) => format!("{} {comment}", key.public_key),
        None => key.public_key.clone(),
    }
}

impl AppPlatformService {
    pub(super) async fn launch_inputs_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        ask: LaunchAsk<'_>,
    ) -> Result<LaunchInputs, LaunchInputsError> {
        let unavailable = |err: ingot_kernel::db::DbError| {
            tracing::error!(error = %err, "launch inputs: the store failed");
            LaunchInputsError::Unavailable
        };
        let mut errors: Vec<(String, String)> = Vec::new();
        // Loaded when first needed: the project's keys, then the caller's own.
        let mut known: Option<Vec<SshKeyView>> = None;
        let mut lines: Vec<String> = Vec::new();
        for (i, entry) in ask.ssh_keys.iter().enumerate() {
            let field = format!("ssh_keys[{i}]");
            let line = if entry.starts_with("key_") {
                if known.is_none() {
                    let mut keys = store::ssh_keys_of(self.db.reader(), KeyOwner::Project(project_id))
                        .await
                        .map_err(unavailable)?;
                    if let Some(user_id) = actor.user_id {
                        keys.extend(
                            store::ssh_keys_of(self.db.reader(), KeyOwner::User(user_id))
                                .await
                                .map_err(unavailable)?,
                        );
                    }
                    known = Some(keys);
                }
                let id: Option<SshKeyId> = entry.parse().ok();
                match known.iter().flatten().find(|k| Some(k.id) == id) {
                    Some(key) => authorized_line(key),
                    None => {
                        errors.push((field, "no such key in this project or among yours".into()));
                        continue;
                    }
                }
            } else {
                match ssh_key_parse(entry) {
                    Ok(key) => match key.comment {
                        Some(comment) => format!("{} {comment}", key.public_key),
                        None => key.public_key,
                    },
                    Err(err) => {
                        errors.push((field, err.to_string()));
                        continue;
                    }
                }
            };
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        let mut user_data = None;
        if let Some(text) = ask.user_data {
            match user_data_check(text) {
                Ok(_) => user_data = Some(text.to_string()),
                Err(problem) => errors.push(("user_data".into(), problem)),
            }
        }
        if let Some(choice) = ask.template {
            match self.template_find(project_id, &choice.name).await {
                Ok(found) => match Self::template_render_found(&found, &choice.variables) {
                    Ok(rendered) => user_data = Some(rendered.user_data),
                    Err(AppPlatformError::Invalid(problems)) => errors.extend(
                        problems
                            .into_iter()
                            .map(|(field, problem)| (format!("template.{field}"), problem)),
                    ),
                    Err(_) => return Err(LaunchInputsError::Unavailable),
                },
                Err(AppPlatformError::NotFound(_)) => {
                    errors.push(("template.name".into(), "no such template in this project".into()));
                }
                Err(_) => return Err(LaunchInputsError::Unavailable),
            }
        }
        if !errors.is_empty() {
            return Err(LaunchInputsError::Invalid(errors));
        }
        Ok(LaunchInputs {
            ssh_keys: lines,
            user_data,
        })
    }
}

impl LaunchInputsResolver for AppPlatformService {
    fn launch_inputs<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        ask: LaunchAsk<'a>,
    ) -> BoxFuture<'a, Result<LaunchInputs, LaunchInputsError>> {
        Box::pin(self.launch_inputs_impl(actor, project_id, ask))
    }
}
