//! App Platform service: use cases behind the contracts trait; authorization is decided here.

use std::sync::{Arc, OnceLock};

use ingot_contracts::allocation::AllocationApi;

use ingot_contracts::app_platform::{
    Answer, AppPlatformApi, AppPlatformError, ClusterCreateRequest, ClusterScaleRequest, ClusterView,
    DeliveryView, ImageView, RenderedUserData, SshKeyCreateRequest, SshKeyView, TemplateRequest,
    TemplateValues, TemplateView, WebhookCreateRequest, WebhookCreated, WebhookEventType,
    WebhookUpdateRequest, WebhookView,
};
use ingot_contracts::iam::{
    Action, Actor, AuditEntry, AuditTrail, Authorizer, DenyReason, ProjectAccessError, ProjectDirectory,
    Resource, project_access,
};
use ingot_contracts::inventory::InventoryApi;
use ingot_contracts::maas::SiteImageCatalog;
use ingot_kernel::Clock;
use ingot_kernel::crypto::SecretBox;
use ingot_kernel::db::Db;
use ingot_kernel::id::{DeliveryId, ProjectId, SiteId, SshKeyId, TenantId, UserId, WebhookId};

use crate::model::ssh_key::ssh_key_parse;
use crate::store::{self, KeyOwner};

mod clusters;
mod launch;
mod templates;
pub mod webhooks;

pub use webhooks::WebhookConfig;

type Result<T> = std::result::Result<T, AppPlatformError>;

/// Longest key name.
const NAME_CHARS_MAX: usize = 100;

/// The other domains' contracts App Platform composes.
pub struct AppPlatformDeps {
    pub authorizer: Arc<dyn Authorizer>,
    pub audit: Arc<dyn AuditTrail>,
    pub projects: Arc<dyn ProjectDirectory>,
    /// Site names (the catalog's offers: the sites tenants can deploy at).
    pub catalog: Arc<dyn InventoryApi>,
    /// Each site's images, from the MAAS domain.
    pub images: Arc<dyn SiteImageCatalog>,
}

pub struct AppPlatformService {
    db: Db,
    clock: Arc<dyn Clock>,
    /// Seals webhook secrets.
    secrets: SecretBox,
    deps: AppPlatformDeps,
    webhooks: WebhookConfig,
    webhook_client: Option<reqwest::Client>,
    /// Allocation's API, for clusters; attached once Allocation is built (it asks App Platform
    /// for launch inputs, so it is built after).
    allocations: OnceLock<Arc<dyn AllocationApi>>,
}

fn internal(err: impl std::fmt::Debug + 'static) -> AppPlatformError {
    if ingot_kernel::db::unavailable_in(&err) {
        tracing::warn!(error = ?err, "app platform: the database is unavailable");
        return AppPlatformError::Unavailable("the database");
    }
    tracing::error!(error = ?err, "app platform failed");
    AppPlatformError::Internal
}

impl AppPlatformService {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        secrets: SecretBox,
        deps: AppPlatformDeps,
        webhooks: WebhookConfig,
    ) -> AppPlatformService {
        AppPlatformService {
            webhook_client: webhooks::delivery_client(&webhooks),
            db,
            clock,
            secrets,
            deps,
            webhooks,
            allocations: OnceLock::new(),
        }
    }

    /// A user's own keys are credentials: managed in a session of that user (never with an
    /// API token, which could plant a key in its owner's keyring), as IAM decides.
    fn own_keys_authorize(&self, actor: &Actor) -> Result<UserId> {
        let user_id = actor
            .user_id
            .ok_or(AppPlatformError::Denied(DenyReason::Unauthenticated))?;
        self.deps
            .authorizer
            .allow(actor, Action::CredentialManage, Resource::User(user_id))?;
        Ok(user_id)
    }

    /// Records `action` on `target` in IAM's audit trail, in the caller's transaction.
    async fn audit_in_tx(
        &self,
        tx: &mut ingot_kernel::db::Tx,
        actor: &Actor,
        action: &'static str,
        target: String,
        details: serde_json::Value,
    ) -> Result<()> {
        let entry = AuditEntry {
            action,
            target,
            details,
        };
        self.deps
            .audit
            .audit_in_tx(tx, actor, entry)
            .await
            .map_err(internal)
    }

    /// Gives clusters Allocation's API; the first call wins.
    pub fn allocations_attach(&self, allocations: Arc<dyn AllocationApi>) {
        let _ = self.allocations.set(allocations);
    }

    async fn project_authorize(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        action: Action,
    ) -> Result<TenantId> {
        project_access(
            self.deps.projects.as_ref(),
            self.deps.authorizer.as_ref(),
            actor,
            project_id,
            action,
        )
        .await
        .map_err(|err| match err {
            ProjectAccessError::Denied(reason) => AppPlatformError::Denied(reason),
            ProjectAccessError::NotFound => AppPlatformError::NotFound("project"),
            ProjectAccessError::Unavailable => AppPlatformError::Unavailable("the project directory"),
        })
    }
}

impl AppPlatformService {
    /// Checks and keeps a key for its owner, audited.
    async fn ssh_key_add(
        &self,
        actor: &Actor,
        owner: KeyOwner,
        tenant_id: Option<TenantId>,
        request: SshKeyCreateRequest,
    ) -> Result<SshKeyView> {
        let mut errors = Vec::new();
        let name = request.name.trim();
        if name.is_empty() || name.chars().count() > NAME_CHARS_MAX || name.chars().any(char::is_control) {
            errors.push((
                "name".to_string(),
                format!("1 to {NAME_CHARS_MAX} printable characters"),
            ));
        }
        let parsed =
            ssh_key_parse(&request.public_key).map_err(|err| ("public_key".to_string(), err.to_string()));
        let key = match parsed {
            Ok(key) if errors.is_empty() => key,
            Ok(_) => return Err(AppPlatformError::Invalid(errors)),
            Err(field) => {
                errors.push(field);
                return Err(AppPlatformError::Invalid(errors));
            }
        };
        let Some(added_by) = actor.user_id else {
            return Err(AppPlatformError::Denied(DenyReason::Unauthenticated));
        };
        let view = SshKeyView {
            id: SshKeyId::generate(),
            project_id: match owner {
                KeyOwner::Project(project_id) => Some(project_id),
                KeyOwner::User(_) => None,
            },
            name: name.to_string(),
            kind: key.kind.as_str().to_string(),
            bits: key.bits,
            fingerprint: key.fingerprint,
            public_key: key.public_key,
            comment: key.comment,
            added_by,
            created_at: self.clock.now(),
        };
        let mut tx = self.db.begin().await.map_err(internal)?;
        if !store::ssh_key_insert_in_tx(&mut tx, owner, tenant_id, &view)
            .await
            .map_err(internal)?
        {
            return Err(AppPlatformError::DuplicateKey(view.fingerprint));
        }
        self.audit_in_tx(&mut tx, actor, "app.ssh_key.add", view.id.to_string(), serde_json::json!({"project_id": view.project_id, "fingerprint": view.fingerprint, "name": view.name}))
            .await?;
        tx.commit().await.map_err(internal)?;
        Ok(view)
    }

    /// Removes one of an owner's keys, audited.
    async fn ssh_key_remove(&self, actor: &Actor, owner: KeyOwner, key_id: SshKeyId) -> Result<()> {
        let mut tx = self.db.begin().await.map_err(internal)?;
        let Some(key) = store::ssh_key_delete_in_tx(&mut tx, owner, key_id)
            .await
            .map_err(internal)?
        else {
            return Err(AppPlatformError::NotFound("ssh key"));
        };
        self.audit_in_tx(
            &mut tx,
            actor,
            "app.ssh_key.remove",
            key.id.to_string(),
            serde_json::json!({"project_id": key.project_id, "fingerprint": key.fingerprint}),
        )
        .await?;
        tx.commit().await.map_err(internal)?;
        Ok(())
    }
}

impl AppPlatformApi for AppPlatformService {
    fn images_list<'a>(&'a self, actor: &'a Actor, site: Option<&'a str>) -> Answer<'a, Vec<ImageView>> {
        Box::pin(async move {
            if actor.user_id.is_none() {
                return Err(AppPlatformError::Denied(DenyReason::Unauthenticated));
            }
            let mut names: Vec<(SiteId, String)> = self
                .deps
                .catalog
                .catalog_offers()
                .await
                .map_err(|_| AppPlatformError::Unavailable("the catalog"))?
                .into_iter()
                .map(|offer| (offer.site_id, offer.site))
                .collect();
            names.sort();
            names.dedup();
            if let Some(wanted) = site
                && !names.iter().any(|(_, name)| name == wanted)
            {
                return Err(AppPlatformError::NotFound("site"));
            }
            let sites = self
                .deps
                .images
                .site_images()
                .await
                .map_err(|_| AppPlatformError::Unavailable("the sites' image lists"))?;
            let mut images = Vec::new();
            for (site_id, name) in names {
                if site.is_some_and(|wanted| wanted != name) {
                    continue;
                }
                let Some(at_site) = sites.iter().find(|s| s.site_id == site_id) else {
                    continue;
                };
                images.extend(at_site.images.iter().map(|image| ImageView {
                    site: name.clone(),
                    site_id,
                    name: image.name.clone(),
                    os: image.os.clone(),
                    title: image.title.clone(),
                    architectures: image.architectures.clone(),
                    default: image.default,
                    synced_at: at_site.synced_at,
                }));
            }
            Ok(images)
        })
    }

    fn ssh_keys_list<'a>(&'a self, actor: &'a Actor, project_id: ProjectId) -> Answer<'a, Vec<SshKeyView>> {
        Box::pin(async move {
            self.project_authorize(actor, project_id, Action::SshKeyRead)
                .await?;
            store::ssh_keys_of(self.db.reader(), KeyOwner::Project(project_id))
                .await
                .map_err(internal)
        })
    }

    fn ssh_key_create<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        request: SshKeyCreateRequest,
    ) -> Answer<'a, SshKeyView> {
        Box::pin(async move {
            let tenant_id = self
                .project_authorize(actor, project_id, Action::SshKeyManage)
                .await?;
            self.ssh_key_add(actor, KeyOwner::Project(project_id), Some(tenant_id), request)
                .await
        })
    }

    fn ssh_key_delete<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        key_id: SshKeyId,
    ) -> Answer<'a, ()> {
        Box::pin(async move {
            self.project_authorize(actor, project_id, Action::SshKeyManage)
                .await?;
            self.ssh_key_remove(actor, KeyOwner::Project(project_id), key_id)
                .await
        })
    }

    fn my_ssh_keys_list<'a>(&'a self, actor: &'a Actor) -> Answer<'a, Vec<SshKeyView>> {
        Box::pin(async move {
            let user_id = self.own_keys_authorize(actor)?;
            store::ssh_keys_of(self.db.reader(), KeyOwner::User(user_id))
                .await
                .map_err(internal)
        })
    }

    fn my_ssh_key_create<'a>(
        &'a self,
        actor: &'a Actor,
        request: SshKeyCreateRequest,
    ) -> Answer<'a, SshKeyView> {
        Box::pin(async move {
            let user_id = self.own_keys_authorize(actor)?;
            self.ssh_key_add(actor, KeyOwner::User(user_id), None, request)
                .await
        })
    }

    fn my_ssh_key_delete<'a>(&'a self, actor: &'a Actor, key_id: SshKeyId) -> Answer<'a, ()> {
        Box::pin(async move {
            let user_id = self.own_keys_authorize(actor)?;
            self.ssh_key_remove(actor, KeyOwner::User(user_id), key_id).await
        })
    }

    fn templates_list<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
    ) -> Answer<'a, Vec<TemplateView>> {
        Box::pin(self.templates_list_impl(actor, project_id))
    }

    fn template_get<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        template: &'a str,
    ) -> Answer<'a, TemplateView> {
        Box::pin(self.template_get_impl(actor, project_id, template))
    }

    fn template_create<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        request: TemplateRequest,
    ) -> Answer<'a, TemplateView> {
        Box::pin(self.template_create_impl(actor, project_id, request))
    }

    fn template_replace<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        template: &'a str,
        request: TemplateRequest,
    ) -> Answer<'a, TemplateView> {
        Box::pin(self.template_replace_impl(actor, project_id, template, request))
    }

    fn template_delete<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        template: &'a str,
    ) -> Answer<'a, ()> {
        Box::pin(self.template_delete_impl(actor, project_id, template))
    }

    fn template_render<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        template: &'a str,
        values: TemplateValues,
    ) -> Answer<'a, RenderedUserData> {
        Box::pin(self.template_render_impl(actor, project_id, template, values))
    }

    fn webhook_event_types(&self) -> Vec<WebhookEventType> {
        Self::webhook_event_types_impl()
    }

    fn webhooks_list<'a>(&'a self, actor: &'a Actor, project_id: ProjectId) -> Answer<'a, Vec<WebhookView>> {
        Box::pin(self.webhooks_list_impl(actor, project_id))
    }

    fn webhook_create<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        request: WebhookCreateRequest,
    ) -> Answer<'a, WebhookCreated> {
        Box::pin(self.webhook_create_impl(actor, project_id, request))
    }

    fn webhook_get<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        webhook_id: WebhookId,
    ) -> Answer<'a, WebhookView> {
        Box::pin(self.webhook_get_impl(actor, project_id, webhook_id))
    }

    fn webhook_update<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        webhook_id: WebhookId,
        request: WebhookUpdateRequest,
    ) -> Answer<'a, WebhookView> {
        Box::pin(self.webhook_update_impl(actor, project_id, webhook_id, request))
    }

    fn webhook_delete<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        webhook_id: WebhookId,
    ) -> Answer<'a, ()> {
        Box::pin(self.webhook_delete_impl(actor, project_id, webhook_id))
    }

    fn deliveries_list<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        webhook_id: WebhookId,
        limit: u32,
    ) -> Answer<'a, Vec<DeliveryView>> {
        Box::pin(self.deliveries_list_impl(actor, project_id, webhook_id, limit))
    }

    fn delivery_redeliver<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        webhook_id: WebhookId,
        delivery_id: DeliveryId,
    ) -> Answer<'a, DeliveryView> {
        Box::pin(self.delivery_redeliver_impl(actor, project_id, webhook_id, delivery_id))
    }

    fn clusters_list<'a>(&'a self, actor: &'a Actor, project_id: ProjectId) -> Answer<'a, Vec<ClusterView>> {
        Box::pin(self.clusters_list_impl(actor, project_id))
    }

    fn cluster_create<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        request: ClusterCreateRequest,
    ) -> Answer<'a, ClusterView> {
        Box::pin(self.cluster_create_impl(actor, project_id, request))
    }

    fn cluster_get<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        cluster: &'a str,
    ) -> Answer<'a, ClusterView> {
        Box::pin(self.cluster_get_impl(actor, project_id, cluster))
    }

    fn cluster_scale<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        cluster: &'a str,
        request: ClusterScaleRequest,
    ) -> Answer<'a, ClusterView> {
        Box::pin(self.cluster_scale_impl(actor, project_id, cluster, request))
    }

    fn cluster_delete<'a>(
        &'a self,
        actor: &'a Actor,
        project_id: ProjectId,
        cluster: &'a str,
    ) -> Answer<'a, ClusterView> {
        Box::pin(self.cluster_delete_impl(actor, project_id, cluster))
    }
}
