//! Read Models service: follows the event history into each projection's generations, answers
//! the dashboards (cache-aside, the cache never the truth), and rebuilds projections beside the
//! live ones. Authorization is decided here for every call.
//!
//! Cache keys carry the projection, its generation, the answer's scope (a tenant, or `ops`) and
//! the scope's event position: an event moves the position, so an answer cached before it is
//! never read again (it just expires). Reading the position is one primary-key read; a cached
//! answer whose stored scope is not the one asked for is discarded, so a key mix-up cannot hand
//! one tenant another's answer. A cache error is a miss: Redis down or flushed changes speed,
//! never answers.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use ingot_contracts::iam::{Action, Actor, Authorizer, Resource};
use ingot_contracts::inventory::InventoryApi;
use ingot_contracts::read_models::{
    Answer, AsOf, CacheOutcome, CapacityDashboard, ConsumerLag, GenerationStatus, HealthDashboard,
    ProjectionStatus, ReadModelError, ReadModelsApi, RevenueDashboard, TenantOverview,
};
use ingot_kernel::Clock;
use ingot_kernel::cache::Cache;
use ingot_kernel::db::{Db, DbError};
use ingot_kernel::id::TenantId;
use ingot_kernel::money::Currency;
use ingot_kernel::outbox::{self, OutboxPosition};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::model::{Docs, Names, Need, OPS_SCOPE, Projection, capacity, health, revenue, tenant_overview};
use crate::store::{self, ACTIVE, BUILDING, GenerationRow, ScopeState};

type Result<T> = std::result::Result<T, ReadModelError>;

/// How long a retired generation's documents stay, for queries that read its position just
/// before the swap.
const RETIRED_KEPT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
pub struct ReadModelsConfig {
    /// How long a cached answer may be served (it is also superseded by any newer event).
    pub cache_ttl: Duration,
    /// Off: every answer is composed from the documents (`read_models.cache = false`).
    pub cache_enabled: bool,
    /// The installation's currency, for answers about tenants whose money never moved.
    pub currency: Currency,
    /// Events read per transaction.
    pub batch_max: i64,
    /// Batches one pass applies per generation before moving on.
    pub batches_per_pass: usize,
}

impl Default for ReadModelsConfig {
    fn default() -> ReadModelsConfig {
        ReadModelsConfig {
            cache_ttl: Duration::from_secs(10),
            cache_enabled: true,
            currency: Currency::USD,
            batch_max: 500,
            batches_per_pass: 40,
        }
    }
}

/// Every projection this build knows, in the order they are followed.
pub fn projections() -> Vec<Arc<dyn Projection>> {
    vec![
        Arc::new(tenant_overview::TenantOverviewProjection),
        Arc::new(capacity::CapacityProjection),
        Arc::new(health::HealthProjection),
        Arc::new(revenue::RevenueProjection),
    ]
}

/// What one pass over every projection did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowReport {
    pub events_applied: u64,
    /// Generations swapped in, as `projection/g{n}`.
    pub swapped: Vec<String>,
    /// Some generation has more to read than the pass took.
    pub behind: bool,
}

pub struct ReadModelsService {
    db: Db,
    clock: Arc<dyn Clock>,
    cache: Cache,
    authorizer: Arc<dyn Authorizer>,
    config: ReadModelsConfig,
    projections: Vec<Arc<dyn Projection>>,
    /// Where operators' dashboards get site and SKU names (the catalog's API).
    catalog: Option<Arc<dyn InventoryApi>>,
    /// When retired generations are next looked for (µs): twice per [`RETIRED_KEPT`] is enough,
    /// not every pass.
    purge_due_us: std::sync::atomic::AtomicI64,
}

/// A cached answer and the scope it was composed for.
#[derive(Serialize, Deserialize)]
struct Cached<T> {
    scope: String,
    body: T,
}

fn internal(err: impl std::fmt::Debug) -> ReadModelError {
    tracing::error!(error = ?err, "read models failed");
    ReadModelError::Unavailable
}

fn position_text(p: OutboxPosition) -> String {
    format!("{}.{}", p.txid.max(0), p.seq)
}

fn parse_body(key: &str, body: &str) -> std::result::Result<serde_json::Value, DbError> {
    serde_json::from_str(body).map_err(|_| {
        tracing::error!(doc_key = key, "read-model document is not JSON");
        ingot_kernel::db::column::corrupt("read-model document")
    })
}

impl ReadModelsService {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        cache: Cache,
        authorizer: Arc<dyn Authorizer>,
        config: ReadModelsConfig,
    ) -> ReadModelsService {
        ReadModelsService {
            db,
            clock,
            cache,
            authorizer,
            config,
            projections: projections(),
            catalog: None,
            purge_due_us: std::sync::atomic::AtomicI64::new(i64::MIN),
        }
    }

    /// Names sites and SKUs in operators' dashboards through the catalog's API.
    pub fn with_catalog(mut self, catalog: Arc<dyn InventoryApi>) -> ReadModelsService {
        self.catalog = Some(catalog);
        self
    }

    /// Site and SKU names as `actor` may read them; none when the catalog cannot say (the
    /// dashboard then shows ids).
    async fn names(&self, actor: &Actor) -> Names {
        let mut names = Names::default();
        let Some(catalog) = &self.catalog else {
            return names;
        };
        if let Ok(sites) = catalog.sites_list(actor).await {
            names.sites = sites.into_iter().map(|s| (s.id, s.name)).collect();
        }
        if let Ok(skus) = catalog.skus_list(actor).await {
            names.skus = skus.into_iter().map(|s| (s.id, s.name)).collect();
        }
        names
    }

    /// The same service following other projections (tests: a projection's new version).
    pub fn with_projections(mut self, projections: Vec<Arc<dyn Projection>>) -> ReadModelsService {
        self.projections = projections;
        self
    }

    fn projection(&self, name: &str) -> Option<&Arc<dyn Projection>> {
        self.projections.iter().find(|p| p.name() == name)
    }

    // ---------------------------------------------------------------------------------------
    // Following the event history.

    /// One pass: every projection's generations read what is new; a rebuilt generation that
    /// has caught up is swapped in.
    pub async fn follow_pass(&self) -> std::result::Result<FollowReport, DbError> {
        let mut report = FollowReport::default();
        let now = self.clock.now().as_micros();
        if now >= self.purge_due_us.load(std::sync::atomic::Ordering::Relaxed) {
            for projection in &self.projections {
                self.retired_purge(projection.as_ref()).await?;
            }
            let next = now.saturating_add(i64::try_from(RETIRED_KEPT.as_micros() / 2).unwrap_or(i64::MAX));
            self.purge_due_us
                .store(next, std::sync::atomic::Ordering::Relaxed);
        }
        for projection in &self.projections {
            let generations = self.generations_ensure(projection.as_ref()).await?;
            for generation in generations {
                // A generation built by other code (an older version) is left as it is: it
                // answers until its replacement, built by this code, catches up.
                if generation.version != projection.version() {
                    continue;
                }
                let (applied, caught_up) = self
                    .generation_follow(projection.as_ref(), generation.generation)
                    .await?;
                report.events_applied += applied;
                report.behind |= !caught_up;
                if generation.state == BUILDING
                    && caught_up
                    && self.swap(projection.as_ref(), generation.generation).await?
                {
                    report
                        .swapped
                        .push(format!("{}/g{}", projection.name(), generation.generation));
                }
            }
        }
        Ok(report)
    }

    /// The projection's live generations, creating the first one (active, filled from the
    /// history as it is read) or, when the code's version is newer than the active one's, a
    /// building one beside it.
    async fn generations_ensure(
        &self,
        projection: &dyn Projection,
    ) -> std::result::Result<Vec<GenerationRow>, DbError> {
        let name = projection.name();
        let version = projection.version();
        let generations = store::generations(self.db.reader(), name).await?;
        let active = generations.iter().find(|g| g.state == ACTIVE);
        let building = generations.iter().find(|g| g.state == BUILDING);
        // A rebuild older code started will never be swapped in by this code: this code's
        // version takes its place.
        let outdated = building.filter(|b| b.version < version).map(|b| b.generation);
        let create = match (active, building) {
            (None, None) => Some(ACTIVE),
            (Some(active), None) if active.version < version => Some(BUILDING),
            (Some(active), Some(_)) if outdated.is_some() && active.version < version => Some(BUILDING),
            _ => None,
        };
        if create.is_none() && outdated.is_none() {
            return Ok(generations);
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        // Only if it is still building: another process may have swapped it in meanwhile,
        // and an active generation's cursor must stay.
        if let Some(outdated) = outdated
            && store::generation_retire_in_tx(&mut tx, name, outdated, now).await?
        {
            outbox::cursor_drop_in_tx(&mut tx, &store::consumer_name(name, outdated)).await?;
        }
        if let Some(state) = create {
            let next = store::generation_max(&mut *tx, name).await? + 1;
            // `false`: another process made one first; the unique indexes keep it to one.
            if store::generation_create_in_tx(&mut tx, name, next, version, state, now).await? {
                tracing::info!(
                    projection = name,
                    generation = next,
                    state,
                    "read-model generation created"
                );
            }
        }
        tx.commit().await?;
        store::generations(self.db.reader(), name).await
    }

    /// Reads the generation's events until caught up or the pass's share is used.
    /// Returns (events applied, caught up).
    async fn generation_follow(
        &self,
        projection: &dyn Projection,
        generation: i64,
    ) -> std::result::Result<(u64, bool), DbError> {
        let mut applied = 0;
        for _ in 0..self.config.batches_per_pass {
            match self.batch_apply(projection, generation).await? {
                None => return Ok((applied, true)),
                Some((read, n)) => {
                    applied += n;
                    if read < usize::try_from(self.config.batch_max).unwrap_or(usize::MAX) {
                        return Ok((applied, true));
                    }
                }
            }
        }
        Ok((applied, false))
    }

    /// Applies one batch of events to one generation, documents, scopes and cursor in one
    /// transaction. `None`: nothing to read; otherwise (events read, events applied).
    async fn batch_apply(
        &self,
        projection: &dyn Projection,
        generation: i64,
    ) -> std::result::Result<Option<(usize, u64)>, DbError> {
        let name = projection.name();
        let consumer = store::consumer_name(name, generation);
        if !outbox::pending(&self.db, &consumer).await? {
            return Ok(None);
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        if !store::generation_claim_in_tx(&mut tx, name, generation).await? {
            // Retired meanwhile (swapped out by another process): nothing more to build.
            tx.rollback().await?;
            return Ok(None);
        }
        let batch =
            outbox::batch_fetch_in_tx(&self.db, &mut tx, &consumer, self.config.batch_max, now).await?;
        let Some(last) = batch.last else {
            tx.commit().await?;
            return Ok(None);
        };

        let mut keys = BTreeSet::new();
        let mut prefixes = BTreeSet::new();
        let needs: Vec<Vec<Need>> = batch.events.iter().map(|e| projection.needs(e)).collect();
        for need in needs.iter().flatten() {
            match need {
                Need::Key(key) => keys.insert(key.clone()),
                Need::Prefix(prefix) => prefixes.insert(prefix.clone()),
            };
        }
        let mut docs = Docs::default();
        let keys: Vec<String> = keys.into_iter().collect();
        for (key, body) in store::docs_by_key(&mut tx, name, generation, &keys).await? {
            let value = parse_body(&key, &body)?;
            docs.loaded(key, Some(value));
        }
        for prefix in &prefixes {
            for (key, body) in store::docs_by_prefix(&mut *tx, name, generation, prefix, None, None).await? {
                let value = parse_body(&key, &body)?;
                docs.loaded(key, Some(value));
            }
        }
        for key in keys {
            docs.loaded(key, None);
        }

        let mut scopes: BTreeMap<String, ingot_kernel::Timestamp> = BTreeMap::new();
        let mut applied = 0u64;
        let mut last_event_at = None;
        for (event, need) in batch.events.iter().zip(&needs) {
            if need.is_empty() {
                continue;
            }
            match projection.apply(event, &mut docs) {
                Ok(()) => {
                    applied += 1;
                    last_event_at = Some(event.occurred_at);
                    if let Some(scope) = projection.scope(event) {
                        let at = scopes.entry(scope).or_insert(event.occurred_at);
                        *at = (*at).max(event.occurred_at);
                    }
                }
                Err(err) => {
                    // Skipped the same way on every rebuild, so generations still agree.
                    metrics::counter!("ingot_read_model_events_skipped_total", "projection" => name)
                        .increment(1);
                    tracing::warn!(projection = name, event_id = %event.id, error = %err, "event skipped");
                }
            }
        }
        for (key, value) in docs.changes() {
            let body = value.map(serde_json::Value::to_string);
            store::doc_write_in_tx(&mut tx, name, generation, key, body.as_deref()).await?;
        }
        for (scope, at) in &scopes {
            store::scope_touch_in_tx(&mut tx, name, generation, scope, last, *at).await?;
        }
        store::generation_progress_in_tx(&mut tx, name, generation, last, applied, last_event_at).await?;
        outbox::cursor_advance_in_tx(&mut tx, &consumer, last, now).await?;
        tx.commit().await?;
        metrics::counter!("ingot_read_model_events_applied_total", "projection" => name).increment(applied);
        Ok(Some((batch.events.len(), applied)))
    }

    /// Swaps a caught-up building generation in and drops the one it replaces. Queries switch
    /// with the commit: they read whichever generation is active.
    async fn swap(&self, projection: &dyn Projection, generation: i64) -> std::result::Result<bool, DbError> {
        let name = projection.name();
        let mut tx = self.db.begin().await?;
        let Some(retired) =
            store::generation_activate_in_tx(&mut tx, name, generation, self.clock.now()).await?
        else {
            // No longer building: another process swapped it (or a newer one) in.
            tx.rollback().await?;
            return Ok(false);
        };
        // The retired generation's cursor goes now (nothing reads it again: batches claim a
        // live generation first); its documents stay a while for queries already reading them.
        for old in &retired {
            outbox::cursor_drop_in_tx(&mut tx, &store::consumer_name(name, *old)).await?;
        }
        tx.commit().await?;
        tracing::info!(
            projection = name,
            generation,
            "rebuilt read-model generation swapped in"
        );
        Ok(true)
    }

    /// Drops the documents of generations retired longer ago than any query takes.
    async fn retired_purge(&self, projection: &dyn Projection) -> std::result::Result<(), DbError> {
        let name = projection.name();
        let before = self.clock.now().minus(RETIRED_KEPT);
        for generation in store::generations_retired_before(self.db.reader(), name, before).await? {
            let mut tx = self.db.begin().await?;
            store::generation_purge_in_tx(&mut tx, name, generation).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Starts a rebuild of `name`: a new generation, built from the first event beside the
    /// active one. A rebuild already under way is returned as it is.
    /// Starts a rebuild of `name`: a new generation of this code's version, built from the
    /// first event beside the active one. A rebuild already under way is returned as it is.
    /// Where a newer version is live, only `force` (after a downgrade) builds this one over it.
    pub async fn rebuild_start(&self, name: &str, force: bool) -> Result<ProjectionStatus> {
        let projection = self
            .projection(name)
            .ok_or(ReadModelError::UnknownProjection)?
            .clone();
        let version = projection.version();
        let generations = store::generations(self.db.reader(), name)
            .await
            .map_err(internal)?;
        if !force && generations.iter().any(|g| g.version > version) {
            // Older code must not build an older shape over a newer one (rolling upgrades).
            return Err(ReadModelError::NewerVersionLive);
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await.map_err(internal)?;
        let mut building = generations.iter().any(|g| g.state == BUILDING);
        for other in generations
            .iter()
            .filter(|g| g.state == BUILDING && g.version != version)
        {
            // Forced: another version's rebuild gives way to this one.
            if store::generation_retire_in_tx(&mut tx, name, other.generation, now)
                .await
                .map_err(internal)?
            {
                outbox::cursor_drop_in_tx(&mut tx, &store::consumer_name(name, other.generation))
                    .await
                    .map_err(internal)?;
                building = false;
            }
        }
        if !building {
            let next = store::generation_max(&mut *tx, name).await.map_err(internal)? + 1;
            let state = if generations.is_empty() { ACTIVE } else { BUILDING };
            store::generation_create_in_tx(&mut tx, name, next, version, state, now)
                .await
                .map_err(internal)?;
        }
        tx.commit().await.map_err(internal)?;
        self.status_of(projection.as_ref()).await
    }

    /// Rebuilds `names` and follows until each new generation is swapped in and nothing is left
    /// to read; `progress` hears how far they are. Beside a running server either may make the
    /// progress (they take turns on each cursor); a pass that found nothing waits a moment.
    /// Returns each projection with the generation now answering.
    pub async fn rebuild_to_the_end(
        &self,
        names: &[String],
        force: bool,
        progress: &mut (dyn FnMut(&str) + Send),
    ) -> Result<Vec<(String, i64)>> {
        let mut targets = Vec::new();
        for name in names {
            let status = self.rebuild_start(name, force).await?;
            let generation = status.building.or(status.active).map_or(0, |g| g.generation);
            progress(&format!("{name}: rebuilding as generation {generation}"));
            targets.push((name.clone(), generation));
        }
        let mut tick = tokio::time::interval(Duration::from_millis(200));
        loop {
            let report = self.follow_pass().await.map_err(internal)?;
            let statuses = self.statuses().await?;
            let waiting: Vec<String> = targets
                .iter()
                .filter_map(|(name, generation)| {
                    let status = statuses.iter().find(|s| &s.ownership.name == name)?;
                    match (&status.active, &status.building) {
                        (Some(active), _) if active.generation >= *generation => None,
                        (_, Some(building)) => Some(format!(
                            "{name} at {} ({} events)",
                            building.position, building.events_applied
                        )),
                        _ => Some(name.clone()),
                    }
                })
                .collect();
            if waiting.is_empty() && !report.behind {
                return Ok(targets);
            }
            if report.events_applied == 0 {
                tick.tick().await;
            } else if !waiting.is_empty() {
                progress(&format!("building: {}", waiting.join("; ")));
            }
        }
    }

    async fn status_of(&self, projection: &dyn Projection) -> Result<ProjectionStatus> {
        let generations = store::generations(self.db.reader(), projection.name())
            .await
            .map_err(internal)?;
        let status = |state: &str| {
            generations
                .iter()
                .find(|g| g.state == state)
                .map(|g| GenerationStatus {
                    generation: g.generation,
                    version: g.version,
                    position: position_text(g.position),
                    events_applied: g.events_applied,
                })
        };
        Ok(ProjectionStatus {
            ownership: projection.ownership(),
            version: projection.version(),
            active: status(ACTIVE),
            building: status(BUILDING),
        })
    }

    /// Every projection's documents in its active generation (for equality checks).
    pub async fn active_docs(
        &self,
        name: &str,
    ) -> std::result::Result<Vec<(String, serde_json::Value)>, DbError> {
        let Some(active) = store::generations(self.db.reader(), name)
            .await?
            .into_iter()
            .find(|g| g.state == ACTIVE)
        else {
            return Ok(Vec::new());
        };
        store::docs_all(self.db.reader(), name, active.generation)
            .await?
            .into_iter()
            .map(|(key, body)| {
                let value = parse_body(&key, &body)?;
                Ok((key, value))
            })
            .collect()
    }

    pub async fn statuses(&self) -> Result<Vec<ProjectionStatus>> {
        let mut out = Vec::new();
        for projection in &self.projections {
            out.push(self.status_of(projection.as_ref()).await?);
        }
        Ok(out)
    }

    // ---------------------------------------------------------------------------------------
    // Answering.

    async fn scope_state(&self, projection: &str, scope: &str) -> Result<ScopeState> {
        let state = store::scope_state(self.db.reader(), projection, scope)
            .await
            .map_err(internal)?;
        // Before the first pass made a generation: an empty answer at the start of history.
        Ok(state.unwrap_or(ScopeState {
            generation: 0,
            generation_stamp: 0,
            position: OutboxPosition { txid: 0, seq: 0 },
            last_event_at: None,
        }))
    }

    fn as_of(&self, projection: &str, state: &ScopeState) -> AsOf {
        AsOf {
            projection: projection.to_string(),
            generation: state.generation,
            position: position_text(state.position),
            last_event_at: state.last_event_at,
            composed_at: self.clock.now(),
            cache: CacheOutcome::Miss,
        }
    }

    fn cache_key(projection: &str, state: &ScopeState, scope: &str, variant: &str) -> String {
        format!(
            "ingot:rm:v1:{projection}:g{}-{}:{scope}:{}{variant}",
            state.generation,
            state.generation_stamp,
            position_text(state.position)
        )
    }

    /// The cached answer under `key` if it is for `scope`; `Err(())` when the cache is down.
    async fn cache_read<T: DeserializeOwned>(
        &self,
        projection: &str,
        key: &str,
        scope: &str,
    ) -> std::result::Result<Option<T>, ()> {
        let bytes = match self.cache.get(key).await {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Ok(None),
            Err(err) => {
                tracing::debug!(error = %err, "cache unreachable; answering from the projection");
                return Err(());
            }
        };
        match serde_json::from_slice::<Cached<T>>(&bytes) {
            Ok(cached) if cached.scope == scope => Ok(Some(cached.body)),
            _ => {
                metrics::counter!("ingot_read_model_cache_rejected_total", "projection" => projection.to_string())
                    .increment(1);
                let _ = self.cache.delete(key).await;
                Ok(None)
            }
        }
    }

    async fn cache_write<T: Serialize>(&self, key: &str, scope: &str, body: &T) {
        let cached = Cached {
            scope: scope.to_string(),
            body,
        };
        if let Ok(bytes) = serde_json::to_vec(&cached)
            && let Err(err) = self.cache.set(key, &bytes, self.config.cache_ttl).await
        {
            tracing::debug!(error = %err, "cache write failed");
        }
    }

    /// Cache-aside around `compose`, which builds the answer from the given generation.
    async fn answer<T, F, Fut>(&self, projection: &str, scope: &str, variant: &str, compose: F) -> Result<T>
    where
        T: Serialize + DeserializeOwned + WithAsOf,
        F: FnOnce(ScopeState, AsOf) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let state = self.scope_state(projection, scope).await?;
        let key = Self::cache_key(projection, &state, scope, variant);
        // Nothing is cached before the first generation exists: there is nothing to name it by.
        let cached = self.config.cache_enabled && state.generation != 0;
        let outcome = if !cached {
            CacheOutcome::Off
        } else {
            match self.cache_read::<T>(projection, &key, scope).await {
                Ok(Some(mut hit)) => {
                    hit.as_of_mut().cache = CacheOutcome::Hit;
                    metrics::counter!("ingot_read_model_cache_total", "projection" => projection.to_string(), "outcome" => "hit")
                        .increment(1);
                    return Ok(hit);
                }
                Ok(None) => CacheOutcome::Miss,
                Err(()) => CacheOutcome::Unavailable,
            }
        };
        let outcome_label = match outcome {
            CacheOutcome::Miss => "miss",
            CacheOutcome::Unavailable => "unavailable",
            _ => "off",
        };
        metrics::counter!("ingot_read_model_cache_total", "projection" => projection.to_string(), "outcome" => outcome_label)
            .increment(1);
        let as_of = self.as_of(projection, &state);
        let mut body = compose(state, as_of).await?;
        if outcome == CacheOutcome::Miss {
            self.cache_write(&key, scope, &body).await;
        }
        body.as_of_mut().cache = outcome;
        Ok(body)
    }

    async fn doc<T: DeserializeOwned + Default>(
        &self,
        projection: &str,
        generation: i64,
        key: &str,
    ) -> Result<T> {
        let mut conn = self.db.reader().acquire().await.map_err(internal)?;
        let found = store::docs_by_key(&mut conn, projection, generation, &[key.to_string()])
            .await
            .map_err(internal)?;
        match found.into_iter().next() {
            Some((_, body)) => serde_json::from_str(&body).map_err(internal),
            None => Ok(T::default()),
        }
    }

    async fn docs_prefixed<T: DeserializeOwned>(
        &self,
        projection: &str,
        generation: i64,
        prefix: &str,
        range: (Option<&str>, Option<&str>),
    ) -> Result<Vec<(String, T)>> {
        store::docs_by_prefix(self.db.reader(), projection, generation, prefix, range.0, range.1)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|(key, body)| {
                let doc = serde_json::from_str(&body).map_err(internal)?;
                Ok((key[prefix.len()..].to_string(), doc))
            })
            .collect()
    }

    async fn controller_lag(&self) -> Result<Vec<ConsumerLag>> {
        let now = self.clock.now();
        Ok(outbox::backlogs(&self.db, 10_000)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|b| ConsumerLag {
                consumer: b.consumer,
                behind: b.behind,
                lag_seconds: b
                    .oldest_unread_at
                    .map_or(0.0, |at| now.since(at).as_millis() as f64 / 1000.0),
            })
            .collect())
    }
}

/// Answers that state what they reflect.
pub trait WithAsOf {
    fn as_of_mut(&mut self) -> &mut AsOf;
}

macro_rules! with_as_of {
    ($($t:ty),*) => {$(
        impl WithAsOf for $t {
            fn as_of_mut(&mut self) -> &mut AsOf {
                &mut self.as_of
            }
        }
    )*};
}
with_as_of!(
    TenantOverview,
    CapacityDashboard,
    HealthDashboard,
    RevenueDashboard
);

impl ReadModelsApi for ReadModelsService {
    fn tenant_overview<'a>(&'a self, actor: &'a Actor, tenant_id: TenantId) -> Answer<'a, TenantOverview> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::OverviewRead, Resource::Tenant(tenant_id))?;
            let name = tenant_overview::NAME;
            let scope = tenant_id.to_string();
            self.answer(name, &scope, "", |state, as_of| async move {
                let doc: tenant_overview::TenantDoc = self
                    .doc(name, state.generation, &tenant_overview::doc_key(tenant_id))
                    .await?;
                Ok(tenant_overview::render(
                    &doc,
                    tenant_id,
                    self.config.currency,
                    self.clock.now(),
                    as_of,
                ))
            })
            .await
        })
    }

    fn capacity<'a>(&'a self, actor: &'a Actor) -> Answer<'a, CapacityDashboard> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::OpsDashboardRead, Resource::Platform)?;
            let name = capacity::NAME;
            self.answer(name, OPS_SCOPE, "", |state, as_of| async move {
                let cells: Vec<capacity::CellDoc> = self
                    .docs_prefixed(name, state.generation, capacity::CELL_PREFIX, (None, None))
                    .await?
                    .into_iter()
                    .map(|(_, doc)| doc)
                    .collect();
                Ok(capacity::render(&cells, &self.names(actor).await, as_of))
            })
            .await
        })
    }

    fn health<'a>(&'a self, actor: &'a Actor) -> Answer<'a, HealthDashboard> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::OpsDashboardRead, Resource::Platform)?;
            let name = health::NAME;
            self.answer(name, OPS_SCOPE, "", |state, as_of| async move {
                let doc: health::HealthDoc = self.doc(name, state.generation, health::DOC_KEY).await?;
                let lag = self.controller_lag().await?;
                Ok(health::render(&doc, lag, self.clock.now(), as_of))
            })
            .await
        })
    }

    fn revenue<'a>(&'a self, actor: &'a Actor, days: u32) -> Answer<'a, RevenueDashboard> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::RevenueRead, Resource::Platform)?;
            if !(1..=366).contains(&days) {
                return Err(ReadModelError::Invalid("days", "1 to 366".into()));
            }
            let name = revenue::NAME;
            let variant = format!(":d{days}");
            self.answer(name, OPS_SCOPE, &variant, |state, as_of| async move {
                let now = self.clock.now();
                let first = now
                    .day_start()
                    .minus(Duration::from_secs(86_400 * u64::from(days - 1)))
                    .day();
                let last = now.day();
                let found: BTreeMap<String, revenue::DayDoc> = self
                    .docs_prefixed(
                        name,
                        state.generation,
                        revenue::DAY_PREFIX,
                        (Some(&first), Some(&last)),
                    )
                    .await?
                    .into_iter()
                    .collect();
                let names = self.names(actor).await;
                Ok(revenue::render(
                    &found,
                    &names,
                    days,
                    self.config.currency,
                    now,
                    as_of,
                ))
            })
            .await
        })
    }

    fn projections<'a>(&'a self, actor: &'a Actor) -> Answer<'a, Vec<ProjectionStatus>> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::ReadModelManage, Resource::Platform)?;
            self.statuses().await
        })
    }

    fn rebuild<'a>(&'a self, actor: &'a Actor, name: &'a str, force: bool) -> Answer<'a, ProjectionStatus> {
        Box::pin(async move {
            self.authorizer
                .allow(actor, Action::ReadModelManage, Resource::Platform)?;
            self.rebuild_start(name, force).await
        })
    }
}

/// The ownership every projection declares, for `GET /v1/admin/ownership` and the docs.
pub fn ownerships() -> Vec<ingot_contracts::read_models::ProjectionOwnership> {
    projections().iter().map(|p| p.ownership()).collect()
}
