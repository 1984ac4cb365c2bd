-- Erases are proven by MAAS's own event log, by event id (not by either side's clock): before a
-- release or erase is sent, the machine's newest event id is recorded, and only a `Disks erased`
-- event after it counts. The erase mode requested is kept with the deployment it ended.
ALTER TABLE maas_deployments ADD COLUMN release_event_mark BIGINT;
ALTER TABLE maas_deployments ADD COLUMN release_erase TEXT;
ALTER TABLE maas_node_operations ADD COLUMN erase_event_mark BIGINT;
