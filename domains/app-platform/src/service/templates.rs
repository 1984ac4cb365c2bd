//! Templates: the built-ins (in code) and each project's own (kept), rendered and checked as
//! every user-data is before a deploy.

use ingot_contracts::app_platform::{
    AppPlatformError, RenderedUserData, TemplateRequest, TemplateValues, TemplateView,
};
use ingot_contracts::iam::{Action, Actor};
use ingot_kernel::id::{ProjectId, TemplateId};
use serde_json::{Map, Value};

use super::{AppPlatformService, Result, internal};
use crate::model::builtin::{BUILTIN_VERSION, builtins};
use crate::model::template::{template_check, template_render};
use crate::store::{self, TemplateRow};

fn builtin_view(spec: TemplateRequest) -> TemplateView {
    TemplateView {
        id: None,
        name: spec.name,
        description: spec.description,
        builtin: true,
        variables: spec.variables,
        body: spec.body,
        version: BUILTIN_VERSION,
        updated_at: None,
    }
}

fn template_details(project_id: ProjectId, row: &TemplateRow) -> serde_json::Value {
    serde_json::json!({"project_id": project_id, "name": row.spec.name, "version": row.version})
}

fn row_view(row: TemplateRow) -> TemplateView {
    TemplateView {
        id: Some(row.id),
        name: row.spec.name,
        description: row.spec.description,
        builtin: false,
        variables: row.spec.variables,
        body: row.spec.body,
        version: row.version,
        updated_at: Some(row.updated_at),
    }
}

/// A template as found: a built-in, or a project's own row.
pub(super) enum Found {
    Builtin(TemplateRequest),
    Project(TemplateRow),
}

impl Found {
    fn spec(&self) -> &TemplateRequest {
        match self {
            Found::Builtin(spec) => spec,
            Found::Project(row) => &row.spec,
        }
    }

    fn version(&self) -> u32 {
        match self {
            Found::Builtin(_) => BUILTIN_VERSION,
            Found::Project(row) => row.version,
        }
    }
}

impl AppPlatformService {
    /// A built-in by name, else the project's template by id or name (no authorization here).
    pub(super) async fn template_find(&self, project_id: ProjectId, template: &str) -> Result<Found> {
        if let Some(spec) = builtins().into_iter().find(|b| b.name == template) {
            return Ok(Found::Builtin(spec));
        }
        store::template_find(self.db.reader(), project_id, template)
            .await
            .map_err(internal)?
            .map(Found::Project)
            .ok_or(AppPlatformError::NotFound("template"))
    }

    /// Renders a template found for a project: `ingot_…` names in `values` are the platform's
    /// context (clusters fill them in), the rest the template's own variables.
    pub(super) fn template_render_found(
        found: &Found,
        values: &Map<String, Value>,
    ) -> Result<RenderedUserData> {
        let (context, own): (Map<String, Value>, Map<String, Value>) = values
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .partition(|(k, _)| k.starts_with("ingot_"));
        let (user_data, kind) =
            template_render(found.spec(), &own, &context).map_err(AppPlatformError::Invalid)?;
        Ok(RenderedUserData {
            template: found.spec().name.clone(),
            version: found.version(),
            kind,
            bytes: u32::try_from(user_data.len()).unwrap_or(u32::MAX),
            user_data,
        })
    }

    pub(super) async fn templates_list_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
    ) -> Result<Vec<TemplateView>> {
        self.project_authorize(actor, project_id, Action::TemplateRead)
            .await?;
        let mut views: Vec<TemplateView> = builtins().into_iter().map(builtin_view).collect();
        views.extend(
            store::templates_of(self.db.reader(), project_id)
                .await
                .map_err(internal)?
                .into_iter()
                .map(row_view),
        );
        Ok(views)
    }

    pub(super) async fn template_get_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        template: &str,
    ) -> Result<TemplateView> {
        self.project_authorize(actor, project_id, Action::TemplateRead)
            .await?;
        Ok(match self.template_find(project_id, template).await? {
            Found::Builtin(spec) => builtin_view(spec),
            Found::Project(row) => row_view(row),
        })
    }

    pub(super) async fn template_create_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        request: TemplateRequest,
    ) -> Result<TemplateView> {
        let tenant_id = self
            .project_authorize(actor, project_id, Action::TemplateManage)
            .await?;
        let errors = template_check(&request, false);
        if !errors.is_empty() {
            return Err(AppPlatformError::Invalid(errors));
        }
        let row = TemplateRow {
            id: TemplateId::generate(),
            project_id,
            spec: request,
            version: 1,
            updated_at: self.clock.now(),
        };
        let mut tx = self.db.begin().await.map_err(internal)?;
        if !store::template_insert_in_tx(&mut tx, tenant_id, &row)
            .await
            .map_err(internal)?
        {
            return Err(AppPlatformError::DuplicateName("template", row.spec.name));
        }
        self.audit_in_tx(
            &mut tx,
            actor,
            "app.template.create",
            row.id.to_string(),
            template_details(project_id, &row),
        )
        .await?;
        tx.commit().await.map_err(internal)?;
        Ok(row_view(row))
    }

    pub(super) async fn template_replace_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        template: &str,
        request: TemplateRequest,
    ) -> Result<TemplateView> {
        self.project_authorize(actor, project_id, Action::TemplateManage)
            .await?;
        let Found::Project(old) = self.template_find(project_id, template).await? else {
            return Err(AppPlatformError::Invalid(vec![(
                "template".into(),
                "a built-in cannot be changed: create your own from its body".into(),
            )]));
        };
        let errors = template_check(&request, false);
        if !errors.is_empty() {
            return Err(AppPlatformError::Invalid(errors));
        }
        let row = TemplateRow {
            spec: request,
            version: old.version + 1,
            updated_at: self.clock.now(),
            ..old
        };
        let mut tx = self.db.begin().await.map_err(internal)?;
        match store::template_replace_in_tx(&mut tx, &row).await {
            Ok(true) => {}
            Ok(false) => {
                return Err(AppPlatformError::Conflict(
                    "the template changed meanwhile: read it again and retry".into(),
                ));
            }
            Err(err) if err.is_unique_violation() => {
                return Err(AppPlatformError::DuplicateName("template", row.spec.name));
            }
            Err(err) => return Err(internal(err)),
        }
        self.audit_in_tx(
            &mut tx,
            actor,
            "app.template.replace",
            row.id.to_string(),
            template_details(project_id, &row),
        )
        .await?;
        tx.commit().await.map_err(internal)?;
        Ok(row_view(row))
    }

    pub(super) async fn template_delete_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        template: &str,
    ) -> Result<()> {
        self.project_authorize(actor, project_id, Action::TemplateManage)
            .await?;
        let Found::Project(row) = self.template_find(project_id, template).await? else {
            return Err(AppPlatformError::Invalid(vec![(
                "template".into(),
                "a built-in cannot be deleted".into(),
            )]));
        };
        let mut tx = self.db.begin().await.map_err(internal)?;
        if !store::template_delete_in_tx(&mut tx, project_id, row.id)
            .await
            .map_err(internal)?
        {
            return Err(AppPlatformError::NotFound("template"));
        }
        self.audit_in_tx(
            &mut tx,
            actor,
            "app.template.delete",
            row.id.to_string(),
            template_details(project_id, &row),
        )
        .await?;
        tx.commit().await.map_err(internal)?;
        Ok(())
    }

    pub(super) async fn template_render_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        template: &str,
        values: TemplateValues,
    ) -> Result<RenderedUserData> {
        self.project_authorize(actor, project_id, Action::TemplateRead)
            .await?;
        let found = self.template_find(project_id, template).await?;
        Self::template_render_found(&found, &values.variables)
    }
}
