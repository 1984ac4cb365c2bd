//! Admission and assignment: every precondition weighed (authorization, KYC, quotas, runway,
//! capacity, placement), then `count` nodes bound all-or-nothing in one transaction that the
//! database's one-live-allocation-per-node index guards.

use std::collections::HashSet;

use ingot_contracts::allocation::{
    AdmissionView, AllocationCreateRequest, AllocationCreated, AllocationError, AllocationRequested,
    LaunchAsk, LaunchInputsError, NodeAssigned, NodeDeployRequested, PlacementPolicy, Refusal,
    user_data_seal_context,
};
use ingot_contracts::billing::{BurnDecision, BurnRateRequest, BurnRefusal, RunwayReservation};
use ingot_contracts::iam::{Action, Actor, AuditEntry, KycPolicy};
use ingot_contracts::inventory::{EligibleNode, OfferView};
use ingot_contracts::maas::SiteImages;
use ingot_kernel::Timestamp;
use ingot_kernel::db::Tx;
use ingot_kernel::event::DomainEvent;
use ingot_kernel::id::{AllocationId, NodeId, ProjectId, SiteId, SkuId, TenantId};

use super::{AllocationService, Result, internal};
use crate::model::{Admission, Candidate, admission_decide, fabric_pick, site_pick};
use crate::store::{self, AssignError, NewAllocation};

fn billing_unavailable(err: ingot_contracts::billing::BillingError) -> AllocationError {
    tracing::error!(error = %err, "the balance policy did not answer");
    AllocationError::Unavailable("billing")
}

/// What a node's deploy request carries, from the allocation being admitted or as stored.
pub(super) struct DeployOrder<'a> {
    pub id: AllocationId,
    pub tenant_id: TenantId,
    pub image: &'a str,
    pub ssh_keys: &'a [String],
    pub user_data_sealed: Option<&'a str>,
}

impl DeployOrder<'_> {
    pub(super) fn of_new(new: &NewAllocation) -> DeployOrder<'_> {
        DeployOrder {
            id: new.id,
            tenant_id: new.tenant_id,
            image: &new.image,
            ssh_keys: &new.ssh_keys,
            user_data_sealed: new.user_data_sealed.as_deref(),
        }
    }

    pub(super) fn of_row(row: &store::AllocationRow) -> DeployOrder<'_> {
        DeployOrder {
            id: row.id,
            tenant_id: row.tenant_id,
            image: &row.image,
            ssh_keys: &row.ssh_keys,
            user_data_sealed: row.user_data_sealed.as_deref(),
        }
    }
}

/// Nodes one allocation may ask for.
const COUNT_MAX: u32 = 256;
const SSH_KEYS_MAX: usize = 32;
const SSH_KEY_BYTES_MAX: usize = 16 * 1024;
const USER_DATA_BYTES_MAX: usize = 16 * 1024;
/// Times the assignment is tried again when racing admissions took the chosen nodes.
const ASSIGN_ATTEMPTS: usize = 8;

/// The image a site deploys when none is asked: its policy's first that its region offers.
fn site_default_image(site_images: &[SiteImages], site_id: SiteId) -> Option<String> {
    site_images
        .iter()
        .find(|s| s.site_id == site_id)?
        .images
        .iter()
        .find(|i| i.default)
        .map(|i| i.name.clone())
}

/// The offers at sites that can deploy `image` (their region has it and their policy allows
/// it; a site whose images were never read is not held to it). None left: the image is refused
/// by name, before anything else is weighed.
fn images_filter(
    offers: Vec<OfferView>,
    image: Option<&str>,
    site_images: &[SiteImages],
) -> Result<Vec<OfferView>> {
    let Some(image) = image else {
        return Ok(offers);
    };
    let deploys = |site_id: SiteId| match site_images.iter().find(|s| s.site_id == site_id) {
        Some(known) if known.synced_at.is_some() => known.images.iter().any(|i| i.name == image),
        _ => true,
    };
    let sites: Vec<String> = offers.iter().map(|o| o.site.clone()).collect();
    let kept: Vec<OfferView> = offers.into_iter().filter(|o| deploys(o.site_id)).collect();
    if kept.is_empty() {
        return Err(AllocationError::Invalid(vec![(
            "image".into(),
            format!(
                "{image} is not offered at {} (see GET /v1/images)",
                sites.join(", ")
            ),
        )]));
    }
    Ok(kept)
}

/// Field-level checks of a create request: nothing else is asked before these pass.
fn request_check(request: &AllocationCreateRequest, now: Timestamp) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    if request.sku.trim().is_empty() {
        errors.push(("sku".into(), "required".into()));
    }
    if request.count == 0 || request.count > COUNT_MAX {
        errors.push(("count".into(), format!("1 to {COUNT_MAX}")));
    }
    if let Some(image) = &request.image
        && (image.is_empty()
            || image.len() > 64
            || !image
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-./_".contains(&b)))
    {
        errors.push(("image".into(), "1 to 64 of a-z, 0-9, '-', '.', '/', '_'".into()));
    }
    if request.ssh_keys.len() > SSH_KEYS_MAX {
        errors.push(("ssh_keys".into(), format!("at most {SSH_KEYS_MAX}")));
    }
    // What a key or the user-data may be is App Platform's to say (`LaunchInputsResolver`);
    // only sizes are bounded before it is asked.
    for (i, key) in request.ssh_keys.iter().enumerate() {
        if key.is_empty() || key.len() > SSH_KEY_BYTES_MAX {
            errors.push((
                format!("ssh_keys[{i}]"),
                "a key id (key_…) or an OpenSSH public key line".into(),
            ));
        }
    }
    if let Some(user_data) = &request.user_data
        && user_data.len() > USER_DATA_BYTES_MAX
    {
        errors.push(("user_data".into(), format!("at most {USER_DATA_BYTES_MAX} bytes")));
    }
    if request.user_data.is_some() && request.template.is_some() {
        errors.push((
            "template".into(),
            "either user_data or a template, not both".into(),
        ));
    }
    if let Some(release_at) = request.release_at
        && release_at <= now
    {
        errors.push(("release_at".into(), "must be in the future".into()));
    }
    errors
}

/// Candidates in an order of the allocation's own: racing admissions try different nodes first,
/// so they rarely collide (collisions are still safe, only slower).
fn candidates_shuffled(
    eligible: &[EligibleNode],
    taken: &HashSet<NodeId>,
    seed: AllocationId,
) -> Vec<Candidate> {
    let mut candidates: Vec<Candidate> = eligible
        .iter()
        .filter(|n| !taken.contains(&n.node_id))
        .map(Candidate::from)
        .collect();
    let seed = seed.to_string();
    candidates.sort_by_cached_key(|c| {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (seed.as_str(), c.node_id.to_string()).hash(&mut hasher);
        hasher.finish()
    });
    candidates
}

/// `count` nodes under the placement policy, or `None`.
fn nodes_pick(candidates: &[Candidate], count: usize, placement: PlacementPolicy) -> Option<Vec<NodeId>> {
    match placement {
        PlacementPolicy::SameFabric => fabric_pick(candidates, count),
        PlacementPolicy::Any => {
            (candidates.len() >= count).then(|| candidates.iter().take(count).map(|c| c.node_id).collect())
        }
    }
}

/// The largest number of candidates sharing one fabric group.
fn fabric_largest(candidates: &[Candidate]) -> u32 {
    let mut groups = std::collections::BTreeMap::<&str, u32>::new();
    for candidate in candidates {
        if let Some(group) = &candidate.fabric_group {
            *groups.entry(group).or_default() += 1;
        }
    }
    groups.into_values().max().unwrap_or(0)
}

/// One site that sells the SKU, with what could be handed out there now.
struct SiteOption {
    offer: OfferView,
    /// Eligible nodes: all of them under `same_fabric` (group sizes matter), else a sample.
    eligible: Vec<EligibleNode>,
    candidates: Vec<Candidate>,
}

impl SiteOption {
    /// How many nodes this site could give the request under its placement: Inventory's count
    /// of what it could hand out, or the largest fabric group.
    fn servable(&self, placement: PlacementPolicy) -> usize {
        match placement {
            PlacementPolicy::Any => (self.offer.available as usize).max(self.candidates.len()),
            PlacementPolicy::SameFabric => fabric_largest(&self.candidates) as usize,
        }
    }
}

/// How many eligible nodes an admission reads: under `same_fabric` all (group sizes decide),
/// otherwise a random sample with room for nodes taken meanwhile.
fn sample_of(placement: PlacementPolicy, count: u32) -> Option<u32> {
    match placement {
        PlacementPolicy::SameFabric => None,
        PlacementPolicy::Any => Some(count.saturating_mul(2).saturating_add(32)),
    }
}

/// Nodes a tenant holds: all SKUs (for KYC), and the quotas' view of this SKU and project.
struct InUse {
    all: u32,
    tenant_sku: u32,
    project_sku: u32,
}

fn in_use_of(rows: &[(ProjectId, SkuId, u32)], project_id: ProjectId, sku_id: SkuId) -> InUse {
    InUse {
        all: rows.iter().map(|r| r.2).sum(),
        tenant_sku: rows.iter().filter(|r| r.1 == sku_id).map(|r| r.2).sum(),
        project_sku: rows
            .iter()
            .filter(|r| r.0 == project_id && r.1 == sku_id)
            .map(|r| r.2)
            .sum(),
    }
}

fn burn_refusal(refusal: BurnRefusal, asked: u32) -> Refusal {
    match refusal {
        BurnRefusal::InsufficientRunway {
            runway_hours,
            needed,
            available,
        } => Refusal::Runway {
            hours: runway_hours,
            needed,
            available,
        },
        BurnRefusal::NodeLimit { max, running } => Refusal::KycNodeLimit { max, running, asked },
    }
}

/// Everything the admission of one request weighs.
struct Context {
    tenant_id: TenantId,
    project_id: ProjectId,
    kyc: KycPolicy,
    quotas: Vec<store::QuotaRow>,
}

impl Context {
    fn admission(
        &self,
        sku: &OfferView,
        asked: u32,
        in_use: &InUse,
        site: Option<&SiteOption>,
        placement: PlacementPolicy,
    ) -> Admission {
        let quotas = self
            .quotas
            .iter()
            .filter(|q| q.sku_id == sku.sku_id)
            .filter_map(|q| match q.project_id {
                None => Some(("tenant".to_string(), q.max_nodes, in_use.tenant_sku)),
                Some(p) if p == self.project_id => {
                    Some(("project".to_string(), q.max_nodes, in_use.project_sku))
                }
                Some(_) => None,
            })
            .collect();
        Admission {
            asked,
            sku: sku.sku.clone(),
            sku_allowed: self.kyc.allows_sku(&sku.sku),
            kyc_nodes: (self.kyc.max_concurrent_nodes, in_use.all),
            quotas,
            runway: None,
            eligible: site.map_or(0, |s| s.servable(PlacementPolicy::Any) as u32),
            fabric_largest: (placement == PlacementPolicy::SameFabric)
                .then(|| site.map_or(0, |s| fabric_largest(&s.candidates))),
        }
    }
}

impl AllocationService {
    pub(super) async fn create(
        &self,
        actor: &Actor,
        project_id: ProjectId,
        request: AllocationCreateRequest,
    ) -> Result<AllocationCreated> {
        let tenant_id = self
            .project_authorize(actor, project_id, Action::AllocationManage)
            .await?;
        let now = self.clock.now();
        let errors = request_check(&request, now);
        if !errors.is_empty() {
            return Err(AllocationError::Invalid(errors));
        }
        let ask = LaunchAsk {
            ssh_keys: &request.ssh_keys,
            user_data: request.user_data.as_deref(),
            template: request.template.as_ref(),
        };
        let inputs = self
            .deps
            .launch
            .launch_inputs(actor, project_id, ask)
            .await
            .map_err(|err| match err {
                LaunchInputsError::Invalid(errors) => AllocationError::Invalid(errors),
                LaunchInputsError::Unavailable => AllocationError::Unavailable("SSH keys and templates"),
            })?;
        let request = AllocationCreateRequest {
            ssh_keys: inputs.ssh_keys,
            user_data: inputs.user_data,
            template: None,
            ..request
        };
        let offers: Vec<OfferView> = self
            .deps
            .catalog
            .catalog_offers()
            .await
            .map_err(|_| AllocationError::Unavailable("the catalog"))?
            .into_iter()
            .filter(|o| o.sku == request.sku)
            .collect();
        if offers.is_empty() {
            return Err(AllocationError::Invalid(vec![(
                "sku".into(),
                "no such SKU on offer".into(),
            )]));
        }
        let offers: Vec<OfferView> = match &request.site {
            None => offers,
            Some(site) => {
                let at_site: Vec<OfferView> = offers.into_iter().filter(|o| &o.site == site).collect();
                if at_site.is_empty() {
                    return Err(AllocationError::Invalid(vec![(
                        "site".into(),
                        "the SKU is not offered at this site".into(),
                    )]));
                }
                at_site
            }
        };
        let site_images = self
            .deps
            .images
            .site_images()
            .await
            .map_err(|_| AllocationError::Unavailable("the sites' image lists"))?;
        let offers = images_filter(offers, request.image.as_deref(), &site_images)?;
        let context = Context {
            tenant_id,
            project_id,
            kyc: self
                .deps
                .kyc
                .kyc_policy_get(tenant_id)
                .await
                .map_err(|_| AllocationError::Unavailable("the KYC policy"))?,
            quotas: store::quotas_of_tenant(self.db.reader(), tenant_id)
                .await
                .map_err(internal)?,
        };
        let allocation_id = AllocationId::generate();
        let mut sites = Vec::with_capacity(offers.len());
        for offer in offers {
            let eligible = self
                .deps
                .inventory
                .eligible_nodes(
                    offer.sku_id,
                    offer.site_id,
                    sample_of(request.placement, request.count),
                )
                .await
                .map_err(|_| AllocationError::Unavailable("the inventory"))?;
            let candidates = candidates_shuffled(&eligible, &HashSet::new(), allocation_id);
            sites.push(SiteOption {
                offer,
                eligible,
                candidates,
            });
        }
        let count = request.count as usize;
        let per_site: Vec<(SiteId, usize)> = sites
            .iter()
            .map(|s| (s.offer.site_id, s.servable(request.placement)))
            .collect();
        // The site that can serve it all; failing that, the one that comes closest (for the
        // refusal's numbers).
        let chosen = site_pick(&per_site, count)
            .or_else(|| per_site.iter().max_by_key(|(_, n)| *n).map(|(site, _)| *site))
            .and_then(|site_id| sites.iter().find(|s| s.offer.site_id == site_id));
        let Some(site) = chosen else {
            return Err(AllocationError::Internal);
        };
        let in_use = in_use_of(
            &store::tenant_nodes_in_use(self.db.reader(), tenant_id)
                .await
                .map_err(internal)?,
            project_id,
            site.offer.sku_id,
        );
        let mut admission =
            context.admission(&site.offer, request.count, &in_use, Some(site), request.placement);
        let burn = BurnRateRequest {
            tenant_id,
            node_count: request.count,
            hourly_price: site.offer.hourly_price,
        };
        let total_price = site
            .offer
            .hourly_price
            .checked_mul(i64::from(request.count))
            .map_err(|_| AllocationError::Invalid(vec![("count".into(), "too many for one price".into())]))?;

        if request.dry_run {
            let decision = self
                .deps
                .balance
                .burn_rate_approve(burn)
                .await
                .map_err(billing_unavailable)?;
            if let BurnDecision::Refused(refusal) = decision {
                let refusal = burn_refusal(refusal, request.count);
                // KYC's node limit is already weighed from IAM's policy; runway is Billing's.
                if matches!(refusal, Refusal::Runway { .. }) {
                    admission.runway = Some(refusal);
                }
            }
            let refusals = admission_decide(&admission);
            return Ok(AllocationCreated::DryRun(AdmissionView {
                admitted: refusals.is_empty(),
                site: (site.servable(request.placement) >= count).then(|| site.offer.site.clone()),
                hourly_price: Some(total_price),
                refusals,
            }));
        }

        let refusals = admission_decide(&admission);
        if !refusals.is_empty() {
            return Err(AllocationError::Refused(refusals));
        }
        let user_data_sealed = match &request.user_data {
            Some(text) => Some(
                self.secrets
                    .seal(text.as_bytes(), &user_data_seal_context(allocation_id))
                    .map_err(internal)?,
            ),
            None => None,
        };
        let new = NewAllocation {
            id: allocation_id,
            tenant_id,
            project_id,
            sku_id: site.offer.sku_id,
            sku_name: site.offer.sku.clone(),
            site_id: site.offer.site_id,
            site_name: site.offer.site.clone(),
            node_count: request.count,
            image: request
                .image
                .clone()
                .or_else(|| site_default_image(&site_images, site.offer.site_id))
                .unwrap_or_else(|| self.config.default_image.clone()),
            placement: request.placement,
            ssh_keys: request.ssh_keys.clone(),
            user_data_sealed,
            hourly_price: site.offer.hourly_price,
            release_at: request.release_at,
        };
        self.assign(actor, &context, &new, &site.eligible, burn).await?;
        // Committed: a failure from here on must not answer 503, which clients (the SDK) repeat
        // automatically and which would create a second allocation.
        let row = store::allocation_get(self.db.reader(), allocation_id)
            .await
            .map_err(|err| {
                tracing::error!(error = ?err, %allocation_id, "allocation created but not read back");
                AllocationError::Internal
            })?
            .ok_or(AllocationError::Internal)?;
        Ok(AllocationCreated::Allocation(Box::new(self.view(row).await?)))
    }

    /// Records the allocation with its nodes and its runway (reserved by Billing in the same
    /// transaction), all or nothing. Admissions of one tenant queue on its admission row, so
    /// quotas and KYC limits are checked again there against what is committed. Inventory's eligible nodes may include nodes just assigned (it learns of
    /// assignments from events): the database refuses those without aborting the transaction,
    /// and others are chosen instead; when too few are left the choice starts afresh.
    async fn assign(
        &self,
        actor: &Actor,
        context: &Context,
        new: &NewAllocation,
        eligible: &[EligibleNode],
        burn: BurnRateRequest,
    ) -> Result<()> {
        let count = new.node_count as usize;
        let sku = OfferView {
            sku_id: new.sku_id,
            sku: new.sku_name.clone(),
            site_id: new.site_id,
            site: new.site_name.clone(),
            hourly_price: new.hourly_price,
            available: 0,
        };
        // Nodes the database refused as serving another live allocation (Inventory had not yet
        // heard of it), remembered across attempts.
        let mut taken: HashSet<NodeId> = HashSet::new();
        let mut eligible = eligible.to_vec();
        // The last attempt gave way to Billing, not to a shortage of nodes.
        let mut billing_busy = false;
        for attempt in 0..ASSIGN_ATTEMPTS {
            billing_busy = false;
            if attempt > 0 {
                // Too few were free: read Inventory's eligible nodes again.
                eligible = self
                    .deps
                    .inventory
                    .eligible_nodes(new.sku_id, new.site_id, sample_of(new.placement, new.node_count))
                    .await
                    .map_err(|_| AllocationError::Unavailable("the inventory"))?;
            }
            let now = self.clock.now();
            let mut tx = self.db.begin().await.map_err(internal)?;
            store::tenant_admission_lock_in_tx(&mut tx, context.tenant_id)
                .await
                .map_err(internal)?;
            let in_use = in_use_of(
                &store::tenant_nodes_in_use(&mut *tx, context.tenant_id)
                    .await
                    .map_err(internal)?,
                context.project_id,
                new.sku_id,
            );
            let option = SiteOption {
                offer: sku.clone(),
                eligible: Vec::new(),
                candidates: candidates_shuffled(&eligible, &taken, new.id),
            };
            let mut refusals = admission_decide(&context.admission(
                &sku,
                new.node_count,
                &in_use,
                Some(&option),
                new.placement,
            ));
            // Capacity and placement are settled by binding nodes below; here the tenant's limits
            // are checked again against what is committed.
            refusals.retain(|r| !matches!(r, Refusal::Capacity { .. } | Refusal::Placement { .. }));
            if !refusals.is_empty() {
                return Err(AllocationError::Refused(refusals));
            }
            store::allocation_insert_in_tx(&mut tx, new, now)
                .await
                .map_err(internal)?;
            // Billing reserves the runway in this same transaction: one commit records both.
            let reservation = RunwayReservation {
                allocation_id: new.id,
                request: burn.clone(),
            };
            match self
                .deps
                .balance
                .runway_reserve_in_tx(&mut tx, reservation, context.kyc.max_concurrent_nodes)
                .await
                .map_err(billing_unavailable)?
            {
                Some(BurnDecision::Approved { .. }) => {}
                Some(BurnDecision::Refused(refusal)) => {
                    return Err(AllocationError::Refused(vec![burn_refusal(
                        refusal,
                        new.node_count,
                    )]));
                }
                // The balance moved under it: start again.
                None => {
                    billing_busy = true;
                    drop(tx);
                    continue;
                }
            }
            // Bind nodes one by one; one the database says is taken is skipped (the transaction
            // goes on) and another chosen, within the placement, until all are bound.
            let mut picked: Vec<NodeId> = Vec::with_capacity(count);
            let mut hopeless = false;
            let complete = loop {
                let need = count - picked.len();
                if need == 0 {
                    break true;
                }
                let remaining: Vec<Candidate> = option
                    .candidates
                    .iter()
                    .filter(|c| !taken.contains(&c.node_id) && !picked.contains(&c.node_id))
                    .filter(|c| match picked.first() {
                        // Under same_fabric, the group the first bound node chose.
                        Some(first) if new.placement == PlacementPolicy::SameFabric => {
                            let group = option
                                .candidates
                                .iter()
                                .find(|f| f.node_id == *first)
                                .and_then(|f| f.fabric_group.as_ref());
                            c.fabric_group.as_ref() == group
                        }
                        _ => true,
                    })
                    .cloned()
                    .collect();
                let Some(mut choice) = nodes_pick(&remaining, need, new.placement) else {
                    if picked.is_empty() {
                        // Nothing bound yet and no choice fits what is known free: trying
                        // again on the same knowledge cannot help.
                        hopeless = true;
                    }
                    break false;
                };
                // Bound in id order: two admissions waiting on each other's nodes would deadlock
                // on PostgreSQL if each took its own order.
                choice.sort_unstable_by_key(|id| id.to_string());
                for node_id in choice {
                    let Some(node) = remaining.iter().find(|c| c.node_id == node_id) else {
                        return Err(AllocationError::Internal);
                    };
                    match store::node_assign_in_tx(&mut tx, new.id, node, now).await {
                        Ok(()) => picked.push(node_id),
                        Err(AssignError::Taken(_)) => {
                            taken.insert(node_id);
                        }
                        Err(AssignError::Db(err)) => return Err(internal(err)),
                    }
                }
            };
            if !complete {
                // Not enough left here once the taken ones are known: choose again afresh (a
                // same_fabric choice may fit another group), or refuse below.
                drop(tx);
                if hopeless && attempt > 0 {
                    break;
                }
                continue;
            }
            self.provisioning_start_in_tx(&mut tx, new, &picked, now)
                .await
                .map_err(internal)?;
            let entry = AuditEntry {
                action: "allocation.create",
                target: new.id.to_string(),
                details: serde_json::json!({
                    "project_id": new.project_id,
                    "sku": new.sku_name,
                    "site": new.site_name,
                    "count": new.node_count,
                    "nodes": picked,
                }),
            };
            self.deps
                .audit
                .audit_in_tx(&mut tx, actor, entry)
                .await
                .map_err(internal)?;
            tx.commit().await.map_err(internal)?;
            return Ok(());
        }
        // Too few free nodes once those taken meanwhile are known (or still colliding after
        // every attempt): refused as the placement or the capacity falls short.
        if billing_busy {
            return Err(AllocationError::Unavailable(
                "billing (the balance is busy; try again)",
            ));
        }
        let left = candidates_shuffled(&eligible, &taken, new.id);
        let asked = new.node_count;
        Err(AllocationError::Refused(vec![match new.placement {
            PlacementPolicy::SameFabric => Refusal::Placement {
                largest_group: fabric_largest(&left),
                asked,
            },
            PlacementPolicy::Any => Refusal::Capacity {
                available: u32::try_from(left.len()).unwrap_or(u32::MAX),
                asked,
            },
        }]))
    }

    /// The admitted allocation's request, its nodes' assignments and deploy requests, in the
    /// transaction that recorded it.
    async fn provisioning_start_in_tx(
        &self,
        tx: &mut Tx,
        new: &NewAllocation,
        nodes: &[NodeId],
        now: Timestamp,
    ) -> std::result::Result<(), ingot_kernel::db::DbError> {
        let requested = AllocationRequested {
            allocation_id: new.id,
            tenant_id: new.tenant_id,
            project_id: new.project_id,
            sku_id: new.sku_id,
            site_id: new.site_id,
            node_count: new.node_count,
            at: now,
            sku_name: new.sku_name.clone(),
            site_name: new.site_name.clone(),
        };
        ingot_kernel::outbox::append_in_tx(tx, &requested.to_envelope(now)).await?;
        for node_id in nodes {
            self.deploy_request_in_tx(tx, &DeployOrder::of_new(new), *node_id, now)
                .await?;
        }
        Ok(())
    }

    /// A node joins the allocation: Inventory counts it assigned, provisioning deploys it.
    pub(super) async fn deploy_request_in_tx(
        &self,
        tx: &mut Tx,
        row: &DeployOrder<'_>,
        node_id: NodeId,
        now: Timestamp,
    ) -> std::result::Result<(), ingot_kernel::db::DbError> {
        let assigned = NodeAssigned {
            allocation_id: row.id,
            tenant_id: row.tenant_id,
            node_id,
        };
        ingot_kernel::outbox::append_in_tx(tx, &assigned.to_envelope(now)).await?;
        let deploy = NodeDeployRequested {
            allocation_id: row.id,
            tenant_id: row.tenant_id,
            node_id,
            image: row.image.to_string(),
            ssh_keys: row.ssh_keys.to_vec(),
            user_data_sealed: row.user_data_sealed.map(String::from),
        };
        ingot_kernel::outbox::append_in_tx(tx, &deploy.to_envelope(now)).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_checked_field_by_field() {
        let now = Timestamp::from_secs(1_800_000_000);
        let good = AllocationCreateRequest {
            sku: "gpu-8x-h100".into(),
            count: 2,
            site: None,
            image: Some("jammy".into()),
            ssh_keys: vec!["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq me@laptop".into()],
            user_data: Some("#cloud-config\n".into()),
            template: None,
            release_at: Some(Timestamp::from_secs(1_800_003_600)),
            placement: PlacementPolicy::Any,
            dry_run: false,
        };
        assert!(request_check(&good, now).is_empty());
        let bad = AllocationCreateRequest {
            count: 0,
            image: Some("Jammy Jellyfish".into()),
            ssh_keys: vec![String::new()],
            user_data: Some("x".repeat(USER_DATA_BYTES_MAX + 1)),
            template: Some(ingot_contracts::allocation::TemplateChoice {
                name: "ingot-docker-host".into(),
                variables: serde_json::Map::new(),
            }),
            release_at: Some(now),
            ..good
        };
        let fields: Vec<String> = request_check(&bad, now).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "count",
                "image",
                "ssh_keys[0]",
                "user_data",
                "template",
                "release_at"
            ]
        );
    }

    #[test]
    fn an_image_keeps_the_sites_that_deploy_it() {
        use ingot_contracts::maas::SiteImage;
        let offer = |site: &str| OfferView {
            sku_id: ingot_kernel::id::SkuId::generate(),
            sku: "cpu-64c".into(),
            site_id: SiteId::generate(),
            site: site.into(),
            hourly_price: ingot_kernel::Money::zero(ingot_kernel::money::Currency::USD),
            available: 1,
        };
        let (fra, ams, new) = (offer("fra1"), offer("ams1"), offer("new1"));
        let images = |site_id: SiteId, names: &[&str], synced: bool| SiteImages {
            site_id,
            images: names
                .iter()
                .enumerate()
                .map(|(i, n)| SiteImage {
                    name: (*n).into(),
                    os: "ubuntu".into(),
                    title: String::new(),
                    architectures: vec!["amd64".into()],
                    default: i == 0,
                })
                .collect(),
            synced_at: synced.then(|| Timestamp::from_secs(1)),
        };
        let known = vec![
            images(fra.site_id, &["noble", "jammy"], true),
            images(ams.site_id, &["jammy"], true),
            images(new.site_id, &[], false),
        ];
        let all = vec![fra.clone(), ams.clone(), new.clone()];
        let sites = |image: Option<&str>| -> Vec<String> {
            images_filter(all.clone(), image, &known)
                .unwrap()
                .into_iter()
                .map(|o| o.site)
                .collect()
        };
        // A site whose images were never read is not held to them.
        assert_eq!(sites(Some("noble")), ["fra1", "new1"]);
        assert_eq!(sites(Some("jammy")), ["fra1", "ams1", "new1"]);
        assert_eq!(sites(None), ["fra1", "ams1", "new1"]);
        let refused = images_filter(vec![ams.clone()], Some("noble"), &known).unwrap_err();
        assert!(
            matches!(refused, AllocationError::Invalid(ref f) if f[0].0 == "image" && f[0].1.contains("ams1"))
        );
        assert_eq!(site_default_image(&known, fra.site_id).as_deref(), Some("noble"));
        assert_eq!(site_default_image(&known, new.site_id), None);
    }

    #[test]
    fn racing_admissions_try_nodes_in_different_orders() {
        let eligible: Vec<EligibleNode> = (0..10)
            .map(|i| EligibleNode {
                node_id: NodeId::generate(),
                hostname: format!("n{i}"),
                site_id: SiteId::generate(),
                fabric_group: None,
            })
            .collect();
        let first = |seed| candidates_shuffled(&eligible, &HashSet::new(), seed)[0].node_id;
        let firsts: HashSet<NodeId> = (0..32).map(|_| first(AllocationId::generate())).collect();
        assert!(firsts.len() > 1, "every admission would start on the same node");
        let taken: HashSet<NodeId> = eligible.iter().take(4).map(|n| n.node_id).collect();
        assert_eq!(
            candidates_shuffled(&eligible, &taken, AllocationId::generate()).len(),
            6,
            "nodes serving live allocations are never candidates"
        );
    }
}
