-- Inventory.Catalog: each node's history as operators read it on the node's page — registered,
-- every lifecycle move (with its reason and who or what moved it), assigned and freed — written
-- in the same transaction as the change. Ids are ULIDs, so id order is time order per writer.
CREATE TABLE inv_node_history (
    id TEXT PRIMARY KEY,
    node_id TEXT NOT NULL REFERENCES inv_nodes (id),
    at_us BIGINT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    allocation_id TEXT
);
CREATE INDEX inv_node_history_by_node ON inv_node_history (node_id, at_us);
