//! Operations service: readiness probes and the ownership registry behind `OperationsApi`.

use std::sync::Arc;

use ingot_contracts::BoxFuture;
use ingot_contracts::iam::{Action, Actor, Authorizer, Resource};
use ingot_contracts::operations::{
    CheckResult, HealthReport, OperationsApi, OwnershipError, OwnershipRegistry,
};
use ingot_kernel::cache::Cache;
use ingot_kernel::db::Db;
use metrics_exporter_prometheus::PrometheusHandle;

use crate::model;

pub struct OperationsService {
    pub(crate) version: String,
    registry: OwnershipRegistry,
    authorizer: Arc<dyn Authorizer>,
    db: Db,
    cache: Cache,
    pub(crate) metrics: PrometheusHandle,
}

impl OperationsService {
    pub fn new(
        version: String,
        registry: OwnershipRegistry,
        authorizer: Arc<dyn Authorizer>,
        db: Db,
        cache: Cache,
        metrics: PrometheusHandle,
    ) -> OperationsService {
        OperationsService {
            version,
            registry,
            authorizer,
            db,
            cache,
            metrics,
        }
    }

    /// Liveness: the process answers. Deliberately checks nothing else, so a database outage
    /// does not get healthy replicas restarted.
    pub fn health(&self) -> HealthReport {
        HealthReport {
            status: "ok".into(),
            version: self.version.clone(),
            checks: Vec::new(),
        }
    }

    /// Readiness: the database answers, and Redis when one is configured.
    pub async fn readiness(&self) -> HealthReport {
        let mut checks = Vec::new();
        let database = self.db.ping().await;
        checks.push(CheckResult {
            name: "database".into(),
            ok: database.is_ok(),
            detail: database.err().map(|_| "database did not answer".into()),
        });
        if self.cache.is_redis() {
            let cache = self.cache.ping().await;
            checks.push(CheckResult {
                name: "cache".into(),
                ok: cache.is_ok(),
                detail: cache.err().map(|_| "redis did not answer".into()),
            });
        }
        HealthReport {
            status: model::readiness_status(&checks).into(),
            version: self.version.clone(),
            checks,
        }
    }
}

impl OperationsApi for OperationsService {
    fn ownership_get<'a>(
        &'a self,
        actor: &'a Actor,
    ) -> BoxFuture<'a, Result<OwnershipRegistry, OwnershipError>> {
        Box::pin(async move {
            self.authorizer
                .authorize(actor, Action::OwnershipRead, Resource::Platform)
                .into_result()
                .map_err(OwnershipError::Denied)?;
            Ok(self.registry.clone())
        })
    }
}
