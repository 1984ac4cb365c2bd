//! Inventory.Catalog store: SQL for the `inv_*` tables only; converts rows to model values and back.
//! Structured values (hardware facts, SKU constraints, reasons) are JSON text, portable across both
//! backends.

use ingot_kernel::Timestamp;
use ingot_kernel::db::column::{corrupt, enum_from_text, enum_to_text, from_json, parse, to_json};
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::id::{NodeId, SiteId, SkuId};
use ingot_kernel::money::{Currency, Money};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

use crate::model::{Node, NodeState, Site, Sku};

pub async fn site_insert_in_tx(tx: &mut Tx, site: &Site, now: Timestamp) -> Result<(), DbError> {
    sqlx::query("INSERT INTO inv_sites (id, name, region, country, status, created_at_us) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(site.id.to_string())
        .bind(&site.name)
        .bind(&site.region)
        .bind(&site.country)
        .bind(enum_to_text(&site.status))
        .bind(now.as_micros())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn site_from_row(row: &AnyRow) -> Result<Site, DbError> {
    Ok(Site {
        id: parse(&row.try_get::<String, _>("id")?, "site id")?,
        name: row.try_get("name")?,
        region: row.try_get("region")?,
        country: row.try_get("country")?,
        status: enum_from_text(&row.try_get::<String, _>("status")?, "site status")?,
    })
}

pub async fn sites_list<'e, E: Executor<'e, Database = Any>>(db: E) -> Result<Vec<Site>, DbError> {
    sqlx::query("SELECT id, name, region, country, status FROM inv_sites ORDER BY name")
        .fetch_all(db)
        .await?
        .iter()
        .map(site_from_row)
        .collect()
}

pub async fn sku_insert_in_tx(tx: &mut Tx, sku: &Sku, now: Timestamp) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO inv_skus (id, name, active, constraints, created_at_us, updated_at_us) VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(sku.id.to_string())
    .bind(&sku.name)
    .bind(i64::from(sku.active))
    .bind(to_json(&sku.constraints))
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn skus_list<'e, E: Executor<'e, Database = Any>>(db: E) -> Result<Vec<Sku>, DbError> {
    let rows = sqlx::query("SELECT id, name, active, constraints FROM inv_skus ORDER BY name")
        .fetch_all(db)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(Sku {
                id: parse(&row.try_get::<String, _>("id")?, "sku id")?,
                name: row.try_get("name")?,
                active: row.try_get::<i64, _>("active")? != 0,
                constraints: from_json(&row.try_get::<String, _>("constraints")?, "sku constraints")?,
            })
        })
        .collect()
}

const NODE_COLUMNS: &str =
    "id, site_id, hostname, state, facts, rack, position, fabric_group, sku_id, unmatched_reasons";

fn node_from_row(row: &AnyRow) -> Result<Node, DbError> {
    let sku_id: Option<String> = row.try_get("sku_id")?;
    let position: Option<i64> = row.try_get("position")?;
    Ok(Node {
        id: parse(&row.try_get::<String, _>("id")?, "node id")?,
        site_id: parse(&row.try_get::<String, _>("site_id")?, "site id")?,
        hostname: row.try_get("hostname")?,
        state: enum_from_text(&row.try_get::<String, _>("state")?, "node state")?,
        facts: from_json(&row.try_get::<String, _>("facts")?, "hardware facts")?,
        rack: row.try_get("rack")?,
        position: position
            .map(|p| u32::try_from(p).map_err(|_| corrupt("position")))
            .transpose()?,
        fabric_group: row.try_get("fabric_group")?,
        sku_id: sku_id.map(|s| parse(&s, "sku id")).transpose()?,
        unmatched_reasons: from_json(
            &row.try_get::<String, _>("unmatched_reasons")?,
            "unmatched reasons",
        )?,
    })
}

pub async fn node_insert_in_tx(tx: &mut Tx, node: &Node, now: Timestamp) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO inv_nodes (id, site_id, hostname, state, facts, rack, position, fabric_group, sku_id, \
         unmatched_reasons, created_at_us, updated_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
    )
    .bind(node.id.to_string())
    .bind(node.site_id.to_string())
    .bind(&node.hostname)
    .bind(enum_to_text(&node.state))
    .bind(to_json(&node.facts))
    .bind(node.rack.as_deref())
    .bind(node.position.map(i64::from))
    .bind(node.fabric_group.as_deref())
    .bind(node.sku_id.map(|s| s.to_string()))
    .bind(to_json(&node.unmatched_reasons))
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn node_get<'e, E: Executor<'e, Database = Any>>(
    db: E,
    id: NodeId,
) -> Result<Option<Node>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {NODE_COLUMNS} FROM inv_nodes WHERE id = $1"));
    sqlx::query(sql)
        .bind(id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(node_from_row)
        .transpose()
}

pub async fn nodes_of_site<'e, E: Executor<'e, Database = Any>>(
    db: E,
    site_id: SiteId,
) -> Result<Vec<Node>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {NODE_COLUMNS} FROM inv_nodes WHERE site_id = $1 ORDER BY hostname"
    ));
    sqlx::query(sql)
        .bind(site_id.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(node_from_row)
        .collect()
}

/// Moves a node from `from` to `to` only if it is still in `from`: concurrent transitions
/// cannot both win. Returns whether this one did.
pub async fn node_state_update_in_tx(
    tx: &mut Tx,
    id: NodeId,
    from: NodeState,
    to: NodeState,
    now: Timestamp,
) -> Result<bool, DbError> {
    let done =
        sqlx::query("UPDATE inv_nodes SET state = $1, updated_at_us = $2 WHERE id = $3 AND state = $4")
            .bind(enum_to_text(&to))
            .bind(now.as_micros())
            .bind(id.to_string())
            .bind(enum_to_text(&from))
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn node_sku_update_in_tx(
    tx: &mut Tx,
    id: NodeId,
    sku_id: Option<SkuId>,
    unmatched_reasons: &[String],
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query("UPDATE inv_nodes SET sku_id = $1, unmatched_reasons = $2, updated_at_us = $3 WHERE id = $4")
        .bind(sku_id.map(|s| s.to_string()))
        .bind(to_json(&unmatched_reasons))
        .bind(now.as_micros())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn offer_upsert_in_tx(
    tx: &mut Tx,
    sku_id: SkuId,
    site_id: SiteId,
    hourly_price: Money,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO inv_offers (sku_id, site_id, hourly_price_micros, currency, updated_at_us) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (sku_id, site_id) DO UPDATE SET hourly_price_micros = excluded.hourly_price_micros, \
         currency = excluded.currency, updated_at_us = excluded.updated_at_us",
    )
    .bind(sku_id.to_string())
    .bind(site_id.to_string())
    .bind(hourly_price.micros())
    .bind(hourly_price.currency().as_str())
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every offer: (sku, site, hourly list price).
pub async fn offers_list<'e, E: Executor<'e, Database = Any>>(
    db: E,
) -> Result<Vec<(SkuId, SiteId, Money)>, DbError> {
    let rows = sqlx::query(
        "SELECT sku_id, site_id, hourly_price_micros, currency FROM inv_offers ORDER BY sku_id, site_id",
    )
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            let currency: Currency = parse(&row.try_get::<String, _>("currency")?, "currency")?;
            Ok((
                parse(&row.try_get::<String, _>("sku_id")?, "sku id")?,
                parse(&row.try_get::<String, _>("site_id")?, "site id")?,
                Money::from_micros(row.try_get("hourly_price_micros")?, currency),
            ))
        })
        .collect()
}
