//! Clusters: a head and workers, each node its own allocation (so a scale-down releases exactly
//! the workers it names), their user-data rendered from one template with the cluster's wiring.
//! Every allocation is asked of Allocation through its API with the caller's own authority.

use ingot_contracts::allocation::{
    AllocationApi, AllocationCreateRequest, AllocationCreated, AllocationError, AllocationState, LaunchAsk,
    LaunchInputsError, PlacementPolicy, ReleaseRequest, TemplateChoice,
};
use ingot_contracts::app_platform::{
    AppPlatformError, ClusterCreateRequest, ClusterNodeView, ClusterScaleRequest, ClusterView,
};
use ingot_contracts::iam::{Action, Actor, DenyReason};
use ingot_kernel::id::{AllocationId, ClusterId, ProjectId};
use serde_json::{Map, Value};

use super::{AppPlatformService, Result, internal};
use crate::model::cluster::{NodeSeen, WORKERS_MAX, cluster_name_ok, cluster_state};
use crate::store::clusters::{self as store, ClusterRow, MemberRow};

const HEAD: &str = "head";
const WORKER: &str = "worker";
/// What the head is told about where the head is.
const HEAD_SELF_ADDRESS: &str = "127.0.0.1";

fn variables_context(cluster_id: ClusterId) -> String {
    format!("app.cluster.variables:{cluster_id}")
}

fn token_context(cluster_id: ClusterId) -> String {
    format!("app.cluster.token:{cluster_id}")
}

/// One node to allocate: its role, index and the head's address as it will see it.
struct NodePlan<'a> {
    role: &'static str,
    index: u32,
    head_address: &'a str,
    site: Option<&'a str>,
}

impl AppPlatformService {
    fn allocations(&self) -> Result<&dyn AllocationApi> {
        self.allocations
            .get()
            .map(AsRef::as_ref)
            .ok_or(AppPlatformError::Unavailable("allocation"))
    }

    /// The template's values for one node: the caller's, then the cluster's wiring.
    fn node_values(
        cluster: &ClusterRow,
        variables: &Map<String, Value>,
        token: &str,
        node: &NodePlan<'_>,
    ) -> Map<String, Value> {
        let mut values = variables.clone();
        for (name, value) in [
            ("ingot_cluster_name", cluster.name.as_str()),
            ("ingot_role", node.role),
            ("ingot_head_address", node.head_address),
            ("ingot_cluster_token", token),
        ] {
            values.insert(name.to_string(), Value::String(value.to_string()));
        }
        values.insert("ingot_node_index".into(), Value::String(node.index.to_string()));
        values
    }

    fn node_request(
        cluster: &ClusterRow,
        variables: &Map<String, Value>,
        token: &str,
        node: &NodePlan<'_>,
    ) -> AllocationCreateRequest {
        AllocationCreateRequest {
            sku: if node.role == HEAD {
                cluster.sku.clone()
            } else {
                cluster.worker_sku.clone()
            },
            count: 1,
            site: node.site.map(String::from).or_else(|| cluster.site.clone()),
            image: cluster.image.clone(),
            ssh_keys: cluster.ssh_keys.clone(),
            user_data: None,
            template: Some(TemplateChoice {
                name: cluster.template.clone(),
                variables: Self::node_values(cluster, variables, token, node),
            }),
            release_at: None,
            placement: PlacementPolicy::Any,
            dry_run: false,
        }
    }

    /// Asks Allocation whether `count` more nodes of `sku` would be admitted now.
    async fn admission_check(
        &self,
        actor: &Actor,
        cluster: &ClusterRow,
        sku: &str,
        count: u32,
        site: Option<&str>,
    ) -> Result<()> {
        if count == 0 {
            return Ok(());
        }
        let request = AllocationCreateRequest {
            sku: sku.to_string(),
            count,
            site: site.map(String::from).or_else(|| cluster.site.clone()),
            image: cluster.image.clone(),
            ssh_keys: Vec::new(),
            user_data: None,
            template: None,
            release_at: None,
            placement: PlacementPolicy::Any,
            dry_run: true,
        };
        match self
            .allocations()?
            .allocation_create(actor, cluster.project_id, request)
            .await
            .map_err(AppPlatformError::Allocation)?
        {
            AllocationCreated::DryRun(decision) if !decision.admitted => Err(AppPlatformError::Allocation(
                AllocationError::Refused(decision.refusals),
            )),
            _ => Ok(()),
        }
    }

    /// Allocates one node and records it as the cluster's; its allocation.
    async fn node_allocate(
        &self,
        actor: &Actor,
        cluster: &ClusterRow,
        variables: &Map<String, Value>,
        token: &str,
        node: &NodePlan<'_>,
    ) -> Result<ingot_contracts::allocation::AllocationView> {
        let request = Self::node_request(cluster, variables, token, node);
        let created = self
            .allocations()?
            .allocation_create(actor, cluster.project_id, request)
            .await
            .map_err(|err| match err {
                // Field errors of the template's rendering name the cluster's own fields.
                AllocationError::Invalid(fields) => AppPlatformError::Invalid(
                    fields
                        .into_iter()
                        .map(|(f, m)| (f.strip_prefix("template.").unwrap_or(&f).to_string(), m))
                        .collect(),
                ),
                other => AppPlatformError::Allocation(other),
            })?;
        let AllocationCreated::Allocation(view) = created else {
            return Err(internal("a dry run answered a real create"));
        };
        let member = MemberRow {
            allocation_id: view.id,
            cluster_id: cluster.id,
            role: node.role.to_string(),
            index: node.index,
            removed_at: None,
        };
        let mut tx = self.db.begin().await.map_err(internal)?;
        store::member_insert_in_tx(&mut tx, &member, self.clock.now())
            .await
            .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        Ok(*view)
    }

    /// Releases allocations the cluster no longer wants, then notes them removed (a release
    /// that fails leaves the node counted, and the cluster degraded rather than leaking it).
    async fn nodes_release(&self, actor: &Actor, allocations: &[AllocationId], reason: &str) -> Result<()> {
        for allocation_id in allocations {
            let request = ReleaseRequest {
                reason: Some(reason.to_string()),
            };
            match self
                .allocations()?
                .allocation_release(actor, *allocation_id, request)
                .await
            {
                Ok(_) | Err(AllocationError::Ended) => {}
                Err(err) => return Err(AppPlatformError::Allocation(err)),
            }
            let mut tx = self.db.begin().await.map_err(internal)?;
            store::member_removed_in_tx(&mut tx, *allocation_id, self.clock.now())
                .await
                .map_err(internal)?;
            tx.commit().await.map_err(internal)?;
        }
        Ok(())
    }

    fn secrets_open(&self, cluster: &ClusterRow) -> Result<(Map<String, Value>, String)> {
        let variables = self
            .secrets
            .open(&cluster.variables_sealed, &variables_context(cluster.id))
            .map_err(internal)?;
        let token = self
            .secrets
            .open(&cluster.token_sealed, &token_context(cluster.id))
            .map_err(internal)?;
        Ok((
            serde_json::from_slice(&variables).map_err(internal)?,
            String::from_utf8(token).map_err(internal)?,
        ))
    }

    /// The cluster with its nodes as Allocation shows them now.
    async fn cluster_view(&self, actor: &Actor, cluster: &ClusterRow) -> Result<ClusterView> {
        let members = store::members_of(self.db.reader(), cluster.id)
            .await
            .map_err(internal)?;
        let mut nodes = Vec::new();
        let mut seen = Vec::new();
        for member in &members {
            let view = match self
                .allocations()?
                .allocation_get(actor, member.allocation_id)
                .await
            {
                Ok(view) => view,
                Err(AllocationError::NotFound(_)) => continue,
                Err(err) => return Err(AppPlatformError::Allocation(err)),
            };
            seen.push(NodeSeen {
                state: view.state,
                removed: member.removed_at.is_some(),
            });
            if member.removed_at.is_some()
                && matches!(view.state, AllocationState::Released | AllocationState::Failed)
            {
                continue;
            }
            let node = view.nodes.first();
            nodes.push(ClusterNodeView {
                role: member.role.clone(),
                index: member.index,
                allocation_id: member.allocation_id,
                state: view.state,
                hostname: node.map(|n| n.hostname.clone()),
                ip_addresses: node.map(|n| n.ip_addresses.clone()).unwrap_or_default(),
                ssh_command: node.and_then(|n| n.ssh_command.clone()),
            });
        }
        let state = cluster_state(cluster.deleting, &seen);
        Ok(ClusterView {
            id: cluster.id,
            project_id: cluster.project_id,
            name: cluster.name.clone(),
            template: cluster.template.clone(),
            state,
            sku: cluster.sku.clone(),
            worker_sku: cluster.worker_sku.clone(),
            workers: cluster.workers,
            active: u32::try_from(
                nodes
                    .iter()
                    .filter(|n| n.state == AllocationState::Active)
                    .count(),
            )
            .unwrap_or(u32::MAX),
            nodes,
            created_at: cluster.created_at,
        })
    }

    async fn cluster_load(&self, project_id: ProjectId, cluster: &str) -> Result<ClusterRow> {
        store::cluster_find(self.db.reader(), project_id, cluster)
            .await
            .map_err(internal)?
            .ok_or(AppPlatformError::NotFound("cluster"))
    }

    async fn cluster_audit(
        &self,
        actor: &Actor,
        action: &'static str,
        cluster: &ClusterRow,
        workers: u32,
    ) -> Result<()> {
        let mut tx = self.db.begin().await.map_err(internal)?;
        let details =
            serde_json::json!({"project_id": cluster.project_id, "name": cluster.name, "workers": workers});
        self.audit_in_tx(&mut tx, actor, action, cluster.id.to_string(), details)
            .await?;
        tx.commit().await.map_err(internal)
    }

    pub(super) async fn clusters_list_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
    ) -> Result<Vec<ClusterView>> {
        self.project_authorize(actor, project_id, Action::ClusterRead)
            .await?;
        let mut views = Vec::new();
        for cluster in store::clusters_of(self.db.reader(), project_id)
            .await
            .map_err(internal)?
        {
            views.push(self.cluster_view(actor, &cluster).await?);
        }
        Ok(views)
    }

    pub(super) async fn cluster_get_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        cluster: &str,
    ) -> Result<ClusterView> {
        self.project_authorize(actor, project_id, Action::ClusterRead)
            .await?;
        let cluster = self.cluster_load(project_id, cluster).await?;
        self.cluster_view(actor, &cluster).await
    }

    pub(super) async fn cluster_create_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        request: ClusterCreateRequest,
    ) -> Result<ClusterView> {
        let tenant_id = self
            .project_authorize(actor, project_id, Action::ClusterManage)
            .await?;
        let Some(created_by) = actor.user_id else {
            return Err(AppPlatformError::Denied(DenyReason::Unauthenticated));
        };
        let mut errors = Vec::new();
        if !cluster_name_ok(&request.name) {
            errors.push((
                "name".to_string(),
                "1 to 40 of a-z, 0-9, '-', starting with a letter".to_string(),
            ));
        }
        if request.workers > WORKERS_MAX {
            errors.push(("workers".into(), format!("0 to {WORKERS_MAX}")));
        }
        if request.variables.keys().any(|k| k.starts_with("ingot_")) {
            errors.push((
                "variables".into(),
                "ingot_… names are the cluster's to fill in".into(),
            ));
        }
        // The template must exist and render with these values before anything is allocated.
        match self.template_find(project_id, &request.template).await {
            Ok(found) => {
                let mut values = request.variables.clone();
                for name in crate::model::template::CONTEXT_VARIABLES {
                    values.insert(name.to_string(), Value::String("sample".into()));
                }
                if let Err(AppPlatformError::Invalid(problems)) = Self::template_render_found(&found, &values)
                {
                    errors.extend(problems);
                }
            }
            Err(AppPlatformError::NotFound(_)) => {
                errors.push(("template".into(), "no such template in this project".into()));
            }
            Err(err) => return Err(err),
        }
        // Keys named by id are resolved now: whoever scales the cluster later installs the same.
        let ask = LaunchAsk {
            ssh_keys: &request.ssh_keys,
            user_data: None,
            template: None,
        };
        let ssh_keys = match self.launch_inputs_impl(actor, project_id, ask).await {
            Ok(inputs) => inputs.ssh_keys,
            Err(LaunchInputsError::Invalid(problems)) => {
                errors.extend(problems);
                Vec::new()
            }
            Err(LaunchInputsError::Unavailable) => return Err(AppPlatformError::Unavailable("SSH keys")),
        };
        if !errors.is_empty() {
            return Err(AppPlatformError::Invalid(errors));
        }
        let id = ClusterId::generate();
        let mut token = [0u8; 24];
        getrandom::fill(&mut token).map_err(internal)?;
        let token = hex::encode(token);
        let now = self.clock.now();
        let cluster = ClusterRow {
            id,
            tenant_id,
            project_id,
            name: request.name,
            template: request.template,
            variables_sealed: self
                .secrets
                .seal(
                    &serde_json::to_vec(&request.variables).map_err(internal)?,
                    &variables_context(id),
                )
                .map_err(internal)?,
            token_sealed: self
                .secrets
                .seal(token.as_bytes(), &token_context(id))
                .map_err(internal)?,
            worker_sku: request.worker_sku.unwrap_or_else(|| request.sku.clone()),
            sku: request.sku,
            site: request.site,
            image: request.image,
            ssh_keys,
            workers: request.workers,
            deleting: false,
            created_by,
            created_at: now,
            updated_at: now,
        };
        // Everything at once first, so that a refusal comes before any node is allocated.
        if cluster.sku == cluster.worker_sku {
            self.admission_check(actor, &cluster, &cluster.sku, cluster.workers + 1, None)
                .await?;
        } else {
            self.admission_check(actor, &cluster, &cluster.sku, 1, None)
                .await?;
            self.admission_check(actor, &cluster, &cluster.worker_sku, cluster.workers, None)
                .await?;
        }
        let mut tx = self.db.begin().await.map_err(internal)?;
        if !store::cluster_insert_in_tx(&mut tx, &cluster)
            .await
            .map_err(internal)?
        {
            return Err(AppPlatformError::DuplicateName("cluster", cluster.name));
        }
        tx.commit().await.map_err(internal)?;
        self.cluster_audit(actor, "app.cluster.create", &cluster, cluster.workers)
            .await?;
        let variables = request.variables;
        let head = NodePlan {
            role: HEAD,
            index: 0,
            head_address: HEAD_SELF_ADDRESS,
            site: None,
        };
        let built = async {
            let head = self
                .node_allocate(actor, &cluster, &variables, &token, &head)
                .await
                .map_err(|err| (err, Vec::new()))?;
            let head_address = head.nodes.first().map(|n| n.hostname.clone()).unwrap_or_default();
            let mut made = vec![head.id];
            for index in 1..=cluster.workers {
                let worker = NodePlan {
                    role: WORKER,
                    index,
                    head_address: &head_address,
                    site: Some(&head.site),
                };
                match self
                    .node_allocate(actor, &cluster, &variables, &token, &worker)
                    .await
                {
                    Ok(view) => made.push(view.id),
                    Err(err) => return Err((err, made)),
                }
            }
            Ok(made)
        };
        let built: std::result::Result<Vec<AllocationId>, (AppPlatformError, Vec<AllocationId>)> =
            built.await;
        if let Err((err, made)) = built {
            // All or nothing: what was allocated goes back, and the name is free again.
            self.nodes_release(actor, &made, "the cluster could not be created whole")
                .await?;
            let mut tx = self.db.begin().await.map_err(internal)?;
            store::cluster_deleting_in_tx(&mut tx, cluster.id, self.clock.now())
                .await
                .map_err(internal)?;
            tx.commit().await.map_err(internal)?;
            return Err(err);
        }
        self.cluster_view(actor, &cluster).await
    }

    pub(super) async fn cluster_scale_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        cluster: &str,
        request: ClusterScaleRequest,
    ) -> Result<ClusterView> {
        self.project_authorize(actor, project_id, Action::ClusterManage)
            .await?;
        if request.workers > WORKERS_MAX {
            return Err(AppPlatformError::Invalid(vec![(
                "workers".into(),
                format!("0 to {WORKERS_MAX}"),
            )]));
        }
        let mut cluster = self.cluster_load(project_id, cluster).await?;
        if cluster.deleting {
            return Err(AppPlatformError::Conflict("the cluster is being deleted".into()));
        }
        let members = store::members_of(self.db.reader(), cluster.id)
            .await
            .map_err(internal)?;
        let live: Vec<&MemberRow> = members.iter().filter(|m| m.removed_at.is_none()).collect();
        let Some(head) = live.iter().find(|m| m.role == HEAD) else {
            return Err(AppPlatformError::Conflict("the cluster has no head node".into()));
        };
        let workers: Vec<&MemberRow> = live.iter().copied().filter(|m| m.role == WORKER).collect();
        let wanted = request.workers as usize;
        // Asked before anything changes: a scale-up that cannot fit is refused whole.
        let head_view = self
            .allocations()?
            .allocation_get(actor, head.allocation_id)
            .await
            .map_err(AppPlatformError::Allocation)?;
        let adding = u32::try_from(wanted.saturating_sub(workers.len())).unwrap_or(u32::MAX);
        self.admission_check(
            actor,
            &cluster,
            &cluster.worker_sku,
            adding,
            Some(&head_view.site),
        )
        .await?;
        // Two scalings at once: one wins, the other is told.
        let mut tx = self.db.begin().await.map_err(internal)?;
        if !store::cluster_workers_set_in_tx(
            &mut tx,
            cluster.id,
            cluster.workers,
            request.workers,
            self.clock.now(),
        )
        .await
        .map_err(internal)?
        {
            return Err(AppPlatformError::Conflict(
                "the cluster changed meanwhile: read it again and retry".into(),
            ));
        }
        tx.commit().await.map_err(internal)?;
        cluster.workers = request.workers;
        self.cluster_audit(actor, "app.cluster.scale", &cluster, request.workers)
            .await?;
        if workers.len() > wanted {
            // The newest go first.
            let surplus: Vec<AllocationId> =
                workers[wanted..].iter().rev().map(|m| m.allocation_id).collect();
            self.nodes_release(actor, &surplus, "the cluster was scaled down")
                .await?;
        } else if adding > 0 {
            let head_address = head_view
                .nodes
                .first()
                .map(|n| n.hostname.clone())
                .unwrap_or_default();
            let (variables, token) = self.secrets_open(&cluster)?;
            let next = members.iter().map(|m| m.index).max().unwrap_or(0) + 1;
            for index in next..next + adding {
                let worker = NodePlan {
                    role: WORKER,
                    index,
                    head_address: &head_address,
                    site: Some(&head_view.site),
                };
                self.node_allocate(actor, &cluster, &variables, &token, &worker)
                    .await?;
            }
        }
        self.cluster_view(actor, &cluster).await
    }

    pub(super) async fn cluster_delete_impl(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        cluster: &str,
    ) -> Result<ClusterView> {
        self.project_authorize(actor, project_id, Action::ClusterManage)
            .await?;
        let mut cluster = self.cluster_load(project_id, cluster).await?;
        let mut tx = self.db.begin().await.map_err(internal)?;
        store::cluster_deleting_in_tx(&mut tx, cluster.id, self.clock.now())
            .await
            .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        cluster.deleting = true;
        self.cluster_audit(actor, "app.cluster.delete", &cluster, 0)
            .await?;
        let live: Vec<AllocationId> = store::members_of(self.db.reader(), cluster.id)
            .await
            .map_err(internal)?
            .into_iter()
            .filter(|m| m.removed_at.is_none())
            .map(|m| m.allocation_id)
            .collect();
        self.nodes_release(actor, &live, "the cluster was deleted")
            .await?;
        self.cluster_view(actor, &cluster).await
    }
}
