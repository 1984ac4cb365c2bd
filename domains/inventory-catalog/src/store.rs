//! Inventory.Catalog store: SQL for the `inv_*` tables only; converts rows to model values and back.
//! Structured values (hardware facts, SKU constraints, reasons) are JSON text, portable across both
//! backends.

use ingot_contracts::inventory::{EligibleNode, NodeHistoryEntry};
use ingot_kernel::Timestamp;
use ingot_kernel::db::column::{corrupt, enum_from_text, enum_to_text, from_json, parse, to_json};
use ingot_kernel::db::{DbError, Tx};
use ingot_kernel::id::{AllocationId, NodeId, SiteId, SkuId};
use ingot_kernel::money::{Currency, Money};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

use crate::model::{
    Capacity, CapacityKey, HealthCondition, Node, NodeStanding, NodeState, Placement, Site, Sku,
    capacity_recount,
};

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

async fn site_where<'e, E: Executor<'e, Database = Any>>(
    db: E,
    condition: &'static str,
    value: String,
) -> Result<Option<Site>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT id, name, region, country, status FROM inv_sites WHERE {condition} = $1"
    ));
    sqlx::query(sql)
        .bind(value)
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(site_from_row)
        .transpose()
}

pub async fn site_by_name<'e, E: Executor<'e, Database = Any>>(
    db: E,
    name: &str,
) -> Result<Option<Site>, DbError> {
    site_where(db, "name", name.to_string()).await
}

pub async fn site_get<'e, E: Executor<'e, Database = Any>>(
    db: E,
    id: SiteId,
) -> Result<Option<Site>, DbError> {
    site_where(db, "id", id.to_string()).await
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
        "INSERT INTO inv_skus (id, name, description, active, constraints, created_at_us, updated_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(sku.id.to_string())
    .bind(&sku.name)
    .bind(&sku.description)
    .bind(i64::from(sku.active))
    .bind(to_json(&sku.constraints))
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn sku_from_row(row: &AnyRow) -> Result<Sku, DbError> {
    Ok(Sku {
        id: parse(&row.try_get::<String, _>("id")?, "sku id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        active: row.try_get::<i64, _>("active")? != 0,
        constraints: from_json(&row.try_get::<String, _>("constraints")?, "sku constraints")?,
    })
}

pub async fn skus_list<'e, E: Executor<'e, Database = Any>>(db: E) -> Result<Vec<Sku>, DbError> {
    sqlx::query("SELECT id, name, description, active, constraints FROM inv_skus ORDER BY name")
        .fetch_all(db)
        .await?
        .iter()
        .map(sku_from_row)
        .collect()
}

pub async fn sku_get<'e, E: Executor<'e, Database = Any>>(db: E, id: SkuId) -> Result<Option<Sku>, DbError> {
    sqlx::query("SELECT id, name, description, active, constraints FROM inv_skus WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(sku_from_row)
        .transpose()
}

pub async fn sku_update_in_tx(tx: &mut Tx, sku: &Sku, now: Timestamp) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE inv_skus SET description = $1, active = $2, constraints = $3, updated_at_us = $4 WHERE id = $5",
    )
    .bind(&sku.description)
    .bind(i64::from(sku.active))
    .bind(to_json(&sku.constraints))
    .bind(now.as_micros())
    .bind(sku.id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const NODE_COLUMNS: &str = "id, site_id, hostname, state, facts, rack, position, fabric_group, source_ref, sku_id, \
     unmatched_reasons, assigned, created_at_us, updated_at_us";

fn node_from_row(row: &AnyRow) -> Result<Node, DbError> {
    let sku_id: Option<String> = row.try_get("sku_id")?;
    let position: Option<i64> = row.try_get("position")?;
    Ok(Node {
        id: parse(&row.try_get::<String, _>("id")?, "node id")?,
        site_id: parse(&row.try_get::<String, _>("site_id")?, "site id")?,
        hostname: row.try_get("hostname")?,
        state: enum_from_text(&row.try_get::<String, _>("state")?, "node state")?,
        facts: from_json(&row.try_get::<String, _>("facts")?, "hardware facts")?,
        placement: Placement {
            rack: row.try_get("rack")?,
            position: position
                .map(|p| u32::try_from(p).map_err(|_| corrupt("position")))
                .transpose()?,
            fabric_group: row.try_get("fabric_group")?,
        },
        source_ref: row.try_get("source_ref")?,
        sku_id: sku_id.map(|s| parse(&s, "sku id")).transpose()?,
        unmatched_reasons: from_json(
            &row.try_get::<String, _>("unmatched_reasons")?,
            "unmatched reasons",
        )?,
        assigned: row.try_get::<i64, _>("assigned")? != 0,
        created_at: Timestamp::from_micros(row.try_get("created_at_us")?),
        updated_at: Timestamp::from_micros(row.try_get("updated_at_us")?),
    })
}

/// Inserts a node and recounts its capacity row.
pub async fn node_insert_in_tx(tx: &mut Tx, node: &Node) -> Result<(), DbError> {
    node_row_insert_in_tx(tx, node).await?;
    capacity_refresh_in_tx(tx, node.site_id, node.sku_id, node.updated_at).await
}

/// Inserts many nodes, then recounts each capacity row they touch once (in key order, so
/// concurrent batches lock rows in the same order).
pub async fn nodes_insert_in_tx(tx: &mut Tx, nodes: &[Node], now: Timestamp) -> Result<(), DbError> {
    let mut keys = std::collections::BTreeSet::new();
    for node in nodes {
        node_row_insert_in_tx(tx, node).await?;
        keys.insert((node.site_id, node.sku_id));
    }
    for (site_id, sku_id) in keys {
        capacity_refresh_in_tx(tx, site_id, sku_id, now).await?;
    }
    Ok(())
}

async fn node_row_insert_in_tx(tx: &mut Tx, node: &Node) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO inv_nodes (id, site_id, hostname, state, facts, rack, position, fabric_group, source_ref, \
         sku_id, unmatched_reasons, assigned, created_at_us, updated_at_us) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(node.id.to_string())
    .bind(node.site_id.to_string())
    .bind(&node.hostname)
    .bind(enum_to_text(&node.state))
    .bind(to_json(&node.facts))
    .bind(node.placement.rack.as_deref())
    .bind(node.placement.position.map(i64::from))
    .bind(node.placement.fabric_group.as_deref())
    .bind(node.source_ref.as_deref())
    .bind(node.sku_id.map(|s| s.to_string()))
    .bind(to_json(&node.unmatched_reasons))
    .bind(i64::from(node.assigned))
    .bind(node.created_at.as_micros())
    .bind(node.updated_at.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn node_where<'e, E: Executor<'e, Database = Any>>(
    db: E,
    condition: &'static str,
    value: String,
) -> Result<Option<Node>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {NODE_COLUMNS} FROM inv_nodes WHERE {condition} = $1"
    ));
    sqlx::query(sql)
        .bind(value)
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(node_from_row)
        .transpose()
}

pub async fn node_get<'e, E: Executor<'e, Database = Any>>(
    db: E,
    id: NodeId,
) -> Result<Option<Node>, DbError> {
    node_where(db, "id", id.to_string()).await
}

/// Nodes in a given state, for Operations' signals (quarantined ones wait for a person).
pub async fn nodes_in_state<'e, E: Executor<'e, Database = Any>>(
    db: E,
    state: NodeState,
) -> Result<Vec<Node>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {NODE_COLUMNS} FROM inv_nodes WHERE state = $1 ORDER BY id"
    ));
    sqlx::query(sql)
        .bind(enum_to_text(&state))
        .fetch_all(db)
        .await?
        .iter()
        .map(node_from_row)
        .collect()
}

pub async fn node_by_source_ref<'e, E: Executor<'e, Database = Any>>(
    db: E,
    source_ref: &str,
) -> Result<Option<Node>, DbError> {
    node_where(db, "source_ref", source_ref.to_string()).await
}

pub async fn node_by_hostname<'e, E: Executor<'e, Database = Any>>(
    db: E,
    hostname: &str,
) -> Result<Option<Node>, DbError> {
    node_where(db, "hostname", hostname.to_string()).await
}

/// Filters for [`nodes_page`]; `sku: Some(None)` means unmatched nodes.
#[derive(Debug, Clone, Default)]
pub struct NodeQuery {
    pub site_id: Option<SiteId>,
    pub sku_id: Option<Option<SkuId>>,
    pub state: Option<NodeState>,
    /// Hostname to continue after.
    pub after: Option<String>,
    pub limit: u32,
}

/// Nodes in hostname order, `limit + 1` of them so the caller can tell whether more follow.
pub async fn nodes_page<'e, E: Executor<'e, Database = Any>>(
    db: E,
    query: &NodeQuery,
) -> Result<Vec<Node>, DbError> {
    let mut conditions: Vec<String> = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    let mut bind = |column_test: &str, value: String| {
        binds.push(value);
        conditions.push(format!("{column_test} ${}", binds.len()));
    };
    if let Some(site_id) = query.site_id {
        bind("site_id =", site_id.to_string());
    }
    if let Some(Some(sku_id)) = query.sku_id {
        bind("sku_id =", sku_id.to_string());
    }
    if let Some(state) = query.state {
        bind("state =", enum_to_text(&state));
    }
    if let Some(after) = &query.after {
        bind("hostname >", after.clone());
    }
    if query.sku_id == Some(None) {
        conditions.push("sku_id IS NULL".into());
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {NODE_COLUMNS} FROM inv_nodes {filter} ORDER BY hostname LIMIT {}",
        i64::from(query.limit) + 1
    ));
    let mut statement = sqlx::query(sql);
    for value in binds {
        statement = statement.bind(value);
    }
    statement.fetch_all(db).await?.iter().map(node_from_row).collect()
}

/// Every node's id, facts and SKU, for re-matching the fleet (retired nodes are left alone).
pub async fn nodes_for_rematch<'e, E: Executor<'e, Database = Any>>(db: E) -> Result<Vec<Node>, DbError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {NODE_COLUMNS} FROM inv_nodes WHERE state <> 'retired' ORDER BY hostname"
    ));
    sqlx::query(sql)
        .fetch_all(db)
        .await?
        .iter()
        .map(node_from_row)
        .collect()
}

/// Moves a node from `from` to `to` only if it is still in `from`: concurrent transitions
/// cannot both win. Returns whether this one did; recounts capacity when it did.
pub async fn node_state_update_in_tx(
    tx: &mut Tx,
    node: &Node,
    to: NodeState,
    now: Timestamp,
) -> Result<bool, DbError> {
    // The decision to move the node was taken on `node` as read, including whether Allocation
    // had it assigned (maintenance is refused for assigned nodes): if either changed since, the
    // move is not made.
    let done = sqlx::query(
        "UPDATE inv_nodes SET state = $1, updated_at_us = $2 WHERE id = $3 AND state = $4 AND assigned = $5",
    )
    .bind(enum_to_text(&to))
    .bind(now.as_micros())
    .bind(node.id.to_string())
    .bind(enum_to_text(&node.state))
    .bind(i64::from(node.assigned))
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    capacity_refresh_in_tx(tx, node.site_id, node.sku_id, now).await?;
    Ok(true)
}

/// Appends one line to the node's history, in the transaction of the change it records.
pub async fn node_history_append_in_tx(
    tx: &mut Tx,
    node_id: NodeId,
    at: Timestamp,
    entry: (&str, &str, Option<AllocationId>),
) -> Result<(), DbError> {
    let (kind, detail, allocation_id) = entry;
    sqlx::query(
        "INSERT INTO inv_node_history (id, node_id, at_us, kind, detail, allocation_id) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(ingot_kernel::id::new_ulid().to_string())
    .bind(node_id.to_string())
    .bind(at.as_micros())
    .bind(kind)
    .bind(detail)
    .bind(allocation_id.map(|id| id.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The node's history, newest first.
pub async fn node_history<'e, E: Executor<'e, Database = Any>>(
    db: E,
    node_id: NodeId,
    limit: u32,
) -> Result<Vec<NodeHistoryEntry>, DbError> {
    let rows = sqlx::query(
        "SELECT at_us, kind, detail, allocation_id FROM inv_node_history WHERE node_id = $1 \
         ORDER BY at_us DESC, id DESC LIMIT $2",
    )
    .bind(node_id.to_string())
    .bind(i64::from(limit))
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(NodeHistoryEntry {
                at: Timestamp::from_micros(row.try_get("at_us")?),
                kind: row.try_get("kind")?,
                detail: row.try_get("detail")?,
                allocation_id: row
                    .try_get::<Option<String>, _>("allocation_id")?
                    .map(|id| parse(&id, "allocation id"))
                    .transpose()?,
            })
        })
        .collect()
}

/// Sets a node's SKU (or unmatched reasons) and recounts both capacity rows it touches.
pub async fn node_sku_update_in_tx(
    tx: &mut Tx,
    node: &Node,
    sku_id: Option<SkuId>,
    unmatched_reasons: &[String],
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query("UPDATE inv_nodes SET sku_id = $1, unmatched_reasons = $2, updated_at_us = $3 WHERE id = $4")
        .bind(sku_id.map(|s| s.to_string()))
        .bind(to_json(&unmatched_reasons))
        .bind(now.as_micros())
        .bind(node.id.to_string())
        .execute(&mut **tx)
        .await?;
    // Rows are locked in key order, so two transactions moving nodes between the same two SKUs
    // cannot deadlock on each other.
    let mut keys = [node.sku_id, sku_id];
    keys.sort();
    capacity_refresh_in_tx(tx, node.site_id, keys[0], now).await?;
    if keys[1] != keys[0] {
        capacity_refresh_in_tx(tx, node.site_id, keys[1], now).await?;
    }
    Ok(())
}

pub async fn node_facts_update_in_tx(
    tx: &mut Tx,
    id: NodeId,
    hostname: &str,
    facts: &crate::model::HardwareFacts,
    placement: &Placement,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE inv_nodes SET hostname = $1, facts = $2, rack = $3, position = $4, fabric_group = $5, \
         updated_at_us = $6 WHERE id = $7",
    )
    .bind(hostname)
    .bind(to_json(facts))
    .bind(placement.rack.as_deref())
    .bind(placement.position.map(i64::from))
    .bind(placement.fabric_group.as_deref())
    .bind(now.as_micros())
    .bind(id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records Allocation's assignment fact. Returns the node when it is known here (an event may
/// name a node Inventory has not registered, which then changes nothing).
/// Marks a node assigned (or not) and recounts its capacity row.
pub async fn node_assigned_set_in_tx(
    tx: &mut Tx,
    id: NodeId,
    assigned: bool,
    now: Timestamp,
) -> Result<bool, DbError> {
    let Some((site_id, sku_id)) = node_assigned_mark_in_tx(tx, id, assigned, now).await? else {
        return Ok(false);
    };
    capacity_refresh_in_tx(tx, site_id, sku_id, now).await?;
    Ok(true)
}

/// Marks a node assigned (or not) and returns the capacity row it counts in, `None` for a node
/// Inventory does not know. The caller refreshes that row once per batch of such changes
/// (`capacity_refresh_in_tx`): a recount reads the whole row's nodes.
pub async fn node_assigned_mark_in_tx(
    tx: &mut Tx,
    id: NodeId,
    assigned: bool,
    now: Timestamp,
) -> Result<Option<(SiteId, Option<SkuId>)>, DbError> {
    let Some(row) = sqlx::query("SELECT site_id, sku_id FROM inv_nodes WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut **tx)
        .await?
    else {
        return Ok(None);
    };
    let site_id: SiteId = parse(&row.try_get::<String, _>("site_id")?, "site id")?;
    let sku_id: Option<SkuId> = row
        .try_get::<Option<String>, _>("sku_id")?
        .map(|sku| parse(&sku, "sku id"))
        .transpose()?;
    sqlx::query("UPDATE inv_nodes SET assigned = $1, updated_at_us = $2 WHERE id = $3")
        .bind(i64::from(assigned))
        .bind(now.as_micros())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(Some((site_id, sku_id)))
}

/// Nodes Allocation may hand out: available, unassigned, with no health condition that prevents
/// allocation. Hostname order, so the choice is deterministic.
pub async fn nodes_eligible<'e, E: Executor<'e, Database = Any>>(
    db: E,
    sku_id: SkuId,
    site_id: SiteId,
    sample: Option<u32>,
) -> Result<Vec<EligibleNode>, DbError> {
    // Only what Allocation chooses by: this runs on every admission.
    let sql = match sample {
        None => {
            "SELECT id, hostname, fabric_group FROM inv_nodes n WHERE sku_id = $1 AND site_id = $2 \
             AND state = 'available' AND assigned = 0 AND NOT EXISTS (SELECT 1 FROM inv_node_health h \
             WHERE h.node_id = n.id AND h.action = 'prevents_allocation') ORDER BY hostname LIMIT $3"
        }
        Some(_) => {
            "SELECT id, hostname, fabric_group FROM inv_nodes n WHERE sku_id = $1 AND site_id = $2 \
             AND state = 'available' AND assigned = 0 AND NOT EXISTS (SELECT 1 FROM inv_node_health h \
             WHERE h.node_id = n.id AND h.action = 'prevents_allocation') ORDER BY random() LIMIT $3"
        }
    };
    sqlx::query(sql)
        .bind(sku_id.to_string())
        .bind(site_id.to_string())
        .bind(sample.map_or(i64::MAX, i64::from))
        .fetch_all(db)
        .await?
        .iter()
        .map(|row| {
            Ok(EligibleNode {
                node_id: parse(&row.try_get::<String, _>("id")?, "node id")?,
                hostname: row.try_get("hostname")?,
                site_id,
                fabric_group: row.try_get("fabric_group")?,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Health.

/// Raises or refreshes a condition and recounts the node's capacity row (a condition that
/// prevents allocation takes an available node out of the available count).
pub async fn health_upsert_in_tx(
    tx: &mut Tx,
    node: &Node,
    condition: &HealthCondition,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO inv_node_health (node_id, kind, action, source, since_us, detail) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (node_id, kind) DO UPDATE SET action = excluded.action, source = excluded.source, \
         detail = excluded.detail",
    )
    .bind(node.id.to_string())
    .bind(&condition.kind)
    .bind(enum_to_text(&condition.action))
    .bind(&condition.source)
    .bind(condition.since.as_micros())
    .bind(condition.detail.as_deref())
    .execute(&mut **tx)
    .await?;
    capacity_refresh_in_tx(tx, node.site_id, node.sku_id, now).await
}

/// Clears the condition of `kind`, returning it as it was (`None` if there was none).
pub async fn health_clear_in_tx(
    tx: &mut Tx,
    node: &Node,
    kind: &str,
    now: Timestamp,
) -> Result<Option<HealthCondition>, DbError> {
    let cleared = health_of(&mut **tx, node.id)
        .await?
        .into_iter()
        .find(|c| c.kind == kind);
    if cleared.is_none() {
        return Ok(None);
    }
    sqlx::query("DELETE FROM inv_node_health WHERE node_id = $1 AND kind = $2")
        .bind(node.id.to_string())
        .bind(kind)
        .execute(&mut **tx)
        .await?;
    capacity_refresh_in_tx(tx, node.site_id, node.sku_id, now).await?;
    Ok(cleared)
}

fn health_from_row(row: &AnyRow) -> Result<HealthCondition, DbError> {
    Ok(HealthCondition {
        kind: row.try_get("kind")?,
        action: enum_from_text(&row.try_get::<String, _>("action")?, "health action")?,
        source: row.try_get("source")?,
        since: Timestamp::from_micros(row.try_get("since_us")?),
        detail: row.try_get("detail")?,
    })
}

pub async fn health_of<'e, E: Executor<'e, Database = Any>>(
    db: E,
    node_id: NodeId,
) -> Result<Vec<HealthCondition>, DbError> {
    Ok(health_of_many(db, &[node_id])
        .await?
        .remove(&node_id)
        .unwrap_or_default())
}

/// The conditions of several nodes in one query, for rendering a page of them.
pub async fn health_of_many<'e, E: Executor<'e, Database = Any>>(
    db: E,
    node_ids: &[NodeId],
) -> Result<std::collections::BTreeMap<NodeId, Vec<HealthCondition>>, DbError> {
    let mut by_node = std::collections::BTreeMap::new();
    if node_ids.is_empty() {
        return Ok(by_node);
    }
    let placeholders: Vec<String> = (1..=node_ids.len()).map(|i| format!("${i}")).collect();
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT node_id, kind, action, source, since_us, detail FROM inv_node_health WHERE node_id IN ({}) \
         ORDER BY node_id, kind",
        placeholders.join(", ")
    ));
    let mut query = sqlx::query(sql);
    for id in node_ids {
        query = query.bind(id.to_string());
    }
    for row in query.fetch_all(db).await? {
        let node_id: NodeId = parse(&row.try_get::<String, _>("node_id")?, "node id")?;
        by_node
            .entry(node_id)
            .or_insert_with(Vec::new)
            .push(health_from_row(&row)?);
    }
    Ok(by_node)
}

// ---------------------------------------------------------------------------------------------
// Offers.

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

fn offer_from_row(row: &AnyRow) -> Result<(SkuId, SiteId, Money), DbError> {
    let currency: Currency = parse(&row.try_get::<String, _>("currency")?, "currency")?;
    Ok((
        parse(&row.try_get::<String, _>("sku_id")?, "sku id")?,
        parse(&row.try_get::<String, _>("site_id")?, "site id")?,
        Money::from_micros(row.try_get("hourly_price_micros")?, currency),
    ))
}

/// Every offer: (sku, site, hourly list price).
pub async fn offers_list<'e, E: Executor<'e, Database = Any>>(
    db: E,
) -> Result<Vec<(SkuId, SiteId, Money)>, DbError> {
    sqlx::query(
        "SELECT sku_id, site_id, hourly_price_micros, currency FROM inv_offers ORDER BY sku_id, site_id",
    )
    .fetch_all(db)
    .await?
    .iter()
    .map(offer_from_row)
    .collect()
}

pub async fn offer_get<'e, E: Executor<'e, Database = Any>>(
    db: E,
    sku_id: SkuId,
    site_id: SiteId,
) -> Result<Option<Money>, DbError> {
    sqlx::query(
        "SELECT sku_id, site_id, hourly_price_micros, currency FROM inv_offers WHERE sku_id = $1 AND site_id = $2",
    )
    .bind(sku_id.to_string())
    .bind(site_id.to_string())
    .fetch_optional(db)
    .await?
    .as_ref()
    .map(|row| offer_from_row(row).map(|(_, _, price)| price))
    .transpose()
}

/// An offer as the public catalog shows it, read in one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogOffer {
    pub sku_id: SkuId,
    pub sku: String,
    pub site_id: SiteId,
    pub site: String,
    pub hourly_price: Money,
    pub available: u32,
}

/// Offers of active SKUs at active sites with their live availability, by SKU and site name.
pub async fn catalog_offers<'e, E: Executor<'e, Database = Any>>(
    db: E,
) -> Result<Vec<CatalogOffer>, DbError> {
    sqlx::query(
        "SELECT o.sku_id, k.name AS sku, o.site_id, s.name AS site, o.hourly_price_micros, o.currency, \
         COALESCE(c.available, 0) AS available FROM inv_offers o \
         JOIN inv_skus k ON k.id = o.sku_id JOIN inv_sites s ON s.id = o.site_id \
         LEFT JOIN inv_capacity c ON c.site_id = o.site_id AND c.sku_key = o.sku_id \
         WHERE k.active = 1 AND s.status = 'active' ORDER BY k.name, s.name",
    )
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| {
        let (sku_id, site_id, hourly_price) = offer_from_row(row)?;
        Ok(CatalogOffer {
            sku_id,
            sku: row.try_get("sku")?,
            site_id,
            site: row.try_get("site")?,
            hourly_price,
            available: count(row, "available")?,
        })
    })
    .collect()
}

// ---------------------------------------------------------------------------------------------
// Capacity.

fn sku_key(sku_id: Option<SkuId>) -> String {
    sku_id.map(|s| s.to_string()).unwrap_or_default()
}

fn sku_from_key(key: &str) -> Result<Option<SkuId>, DbError> {
    (!key.is_empty()).then(|| parse(key, "sku id")).transpose()
}

fn count(row: &AnyRow, column: &str) -> Result<u32, DbError> {
    u32::try_from(row.try_get::<i64, _>(column)?).map_err(|_| corrupt(column))
}

fn capacity_from_row(row: &AnyRow) -> Result<Capacity, DbError> {
    Ok(Capacity {
        total: count(row, "total")?,
        available: count(row, "available")?,
        assigned: count(row, "assigned")?,
        maintenance: count(row, "maintenance")?,
        onboarding: count(row, "onboarding")?,
        unmatched: count(row, "unmatched")?,
    })
}

/// Recounts one site × SKU row from the nodes themselves, inside the transaction that changed
/// them: the stored capacity is a recount, so it cannot drift from node states.
///
/// The row is written (and so locked) before counting. Two transactions changing nodes of the
/// same row therefore count one after the other; without the lock, each would count under its
/// own snapshot and the later commit would store a count missing the other's change.
pub async fn capacity_refresh_in_tx(
    tx: &mut Tx,
    site_id: SiteId,
    sku_id: Option<SkuId>,
    now: Timestamp,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO inv_capacity (site_id, sku_key, total, available, assigned, maintenance, onboarding, unmatched, \
         updated_at_us) VALUES ($1, $2, 0, 0, 0, 0, 0, 0, $3) ON CONFLICT (site_id, sku_key) DO UPDATE SET \
         updated_at_us = excluded.updated_at_us",
    )
    .bind(site_id.to_string())
    .bind(sku_key(sku_id))
    .bind(now.as_micros())
    .execute(&mut **tx)
    .await?;
    const STANDING: &str = "SELECT state, assigned, (SELECT COUNT(*) FROM inv_node_health h WHERE h.node_id = n.id \
         AND h.action = 'prevents_allocation') AS blocking FROM inv_nodes n WHERE site_id = $1";
    let rows = match sku_id {
        Some(sku_id) => {
            sqlx::query(sqlx::AssertSqlSafe(format!("{STANDING} AND sku_id = $2")))
                .bind(site_id.to_string())
                .bind(sku_id.to_string())
                .fetch_all(&mut **tx)
                .await?
        }
        None => {
            sqlx::query(sqlx::AssertSqlSafe(format!("{STANDING} AND sku_id IS NULL")))
                .bind(site_id.to_string())
                .fetch_all(&mut **tx)
                .await?
        }
    };
    let standings = rows
        .iter()
        .map(|row| {
            Ok(NodeStanding {
                site_id,
                sku_id,
                state: enum_from_text(&row.try_get::<String, _>("state")?, "node state")?,
                assigned: row.try_get::<i64, _>("assigned")? != 0,
                blocked: row.try_get::<i64, _>("blocking")? != 0,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    let counted = capacity_recount(&standings)
        .remove(&(site_id, sku_id))
        .unwrap_or_default();
    sqlx::query(
        "UPDATE inv_capacity SET total = $1, available = $2, assigned = $3, maintenance = $4, onboarding = $5, \
         unmatched = $6 WHERE site_id = $7 AND sku_key = $8",
    )
    .bind(i64::from(counted.total))
    .bind(i64::from(counted.available))
    .bind(i64::from(counted.assigned))
    .bind(i64::from(counted.maintenance))
    .bind(i64::from(counted.onboarding))
    .bind(i64::from(counted.unmatched))
    .bind(site_id.to_string())
    .bind(sku_key(sku_id))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stored capacity rows (zero rows included), by site and SKU id.
pub async fn capacity_list<'e, E: Executor<'e, Database = Any>>(
    db: E,
) -> Result<Vec<(CapacityKey, Capacity)>, DbError> {
    sqlx::query(
        "SELECT site_id, sku_key, total, available, assigned, maintenance, onboarding, unmatched FROM inv_capacity \
         ORDER BY site_id, sku_key",
    )
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| {
        let site_id: SiteId = parse(&row.try_get::<String, _>("site_id")?, "site id")?;
        let sku_id = sku_from_key(&row.try_get::<String, _>("sku_key")?)?;
        Ok(((site_id, sku_id), capacity_from_row(row)?))
    })
    .collect()
}

/// Copies the current capacity into the history under `hour`; repeating an hour changes nothing.
/// (`WHERE 1 = 1` is SQLite's documented way to parse `INSERT … SELECT … ON CONFLICT`.)
pub async fn capacity_snapshot_in_tx(tx: &mut Tx, hour: Timestamp) -> Result<u64, DbError> {
    let done = sqlx::query(
        "INSERT INTO inv_capacity_history (hour_us, site_id, sku_key, total, available, assigned, maintenance, \
         onboarding, unmatched) SELECT $1, site_id, sku_key, total, available, assigned, maintenance, onboarding, \
         unmatched FROM inv_capacity WHERE 1 = 1 ON CONFLICT (hour_us, site_id, sku_key) DO NOTHING",
    )
    .bind(hour.as_micros())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// History rows with `from <= hour < to`, oldest first.
pub async fn capacity_history<'e, E: Executor<'e, Database = Any>>(
    db: E,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<(Timestamp, CapacityKey, Capacity)>, DbError> {
    sqlx::query(
        "SELECT hour_us, site_id, sku_key, total, available, assigned, maintenance, onboarding, unmatched \
         FROM inv_capacity_history WHERE hour_us >= $1 AND hour_us < $2 ORDER BY hour_us, site_id, sku_key",
    )
    .bind(from.as_micros())
    .bind(to.as_micros())
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| {
        let site_id: SiteId = parse(&row.try_get::<String, _>("site_id")?, "site id")?;
        let sku_id = sku_from_key(&row.try_get::<String, _>("sku_key")?)?;
        Ok((
            Timestamp::from_micros(row.try_get("hour_us")?),
            (site_id, sku_id),
            capacity_from_row(row)?,
        ))
    })
    .collect()
}
