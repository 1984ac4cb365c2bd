//! Image sync: each bound site's boot resources are read into `maas_site_images` when the site
//! is bound and then on the images controller's interval, so what tenants may choose is known
//! without asking a region per request and survives a region's outage.

use std::collections::HashMap;

use ingot_contracts::BoxFuture;
use ingot_contracts::maas::{MaasError, SiteImageCatalog, SiteImages, SitePolicy};
use ingot_kernel::db::DbError;
use ingot_kernel::id::SiteId;

use super::{MaasService, internal, upstream};
use crate::model;
use crate::store;

impl MaasService {
    /// Reads one site's deployable images off its region and keeps them; the number kept.
    pub async fn images_sync_site(&self, site_id: SiteId) -> Result<usize, MaasError> {
        let binding = self.binding_load(site_id).await?;
        let resources = binding.client.boot_resources().await.map_err(upstream)?;
        let images = model::region_images(&resources);
        let mut tx = self.db.begin().await.map_err(internal)?;
        store::site_images_replace_in_tx(&mut tx, site_id, &images, self.clock.now())
            .await
            .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        Ok(images.len())
    }

    /// One image sync at every bound site; a site's failure is logged and keeps its last images.
    pub async fn images_sync_all(&self) -> Result<usize, DbError> {
        let mut synced = 0;
        for binding in store::bindings_all(self.db.reader()).await? {
            match self.images_sync_site(binding.site_id).await {
                Ok(_) => synced += 1,
                Err(err) => {
                    tracing::warn!(site_id = %binding.site_id, error = %err, "image sync failed; the site keeps the images it had");
                }
            }
        }
        Ok(synced)
    }
}

impl SiteImageCatalog for MaasService {
    fn site_images(&self) -> BoxFuture<'_, Result<Vec<SiteImages>, MaasError>> {
        Box::pin(async move {
            let mut offered: HashMap<SiteId, (Vec<model::RegionImage>, ingot_kernel::Timestamp)> =
                HashMap::new();
            for (site_id, image, synced_at) in
                store::site_images_all(self.db.reader()).await.map_err(internal)?
            {
                offered
                    .entry(site_id)
                    .or_insert_with(|| (Vec::new(), synced_at))
                    .0
                    .push(image);
            }
            let mut sites = Vec::new();
            for binding in store::bindings_all(self.db.reader()).await.map_err(internal)? {
                let policy: SitePolicy = serde_json::from_str(&binding.policy).map_err(internal)?;
                let (images, synced_at) = match offered.remove(&binding.site_id) {
                    Some((images, at)) => (model::images_allowed(&policy, &images), Some(at)),
                    None => (Vec::new(), None),
                };
                sites.push(SiteImages {
                    site_id: binding.site_id,
                    images,
                    synced_at,
                });
            }
            Ok(sites)
        })
    }
}
