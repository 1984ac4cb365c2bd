-- Projections: each named projection has generations; exactly one answers queries (`active`),
-- and a rebuild fills a `building` one beside it from the event history, then swaps it in.
-- The generation's event position is its outbox cursor's (`read-models/{projection}/g{generation}`),
-- copied here in the same transaction for status pages.
CREATE TABLE rm_generations (
    projection TEXT NOT NULL,
    generation BIGINT NOT NULL,
    version BIGINT NOT NULL,
    state TEXT NOT NULL,
    txid BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    events_applied BIGINT NOT NULL,
    last_event_at_us BIGINT,
    created_at_us BIGINT NOT NULL,
    activated_at_us BIGINT,
    retired_at_us BIGINT,
    PRIMARY KEY (projection, generation)
);
-- At most one generation answers, and at most one is built beside it, whoever creates them.
CREATE UNIQUE INDEX rm_generations_one_active ON rm_generations (projection) WHERE state = 'active';
CREATE UNIQUE INDEX rm_generations_one_building ON rm_generations (projection) WHERE state = 'building';

-- A projection's documents (JSON), by key.
CREATE TABLE rm_docs (
    projection TEXT NOT NULL,
    generation BIGINT NOT NULL,
    doc_key TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (projection, generation, doc_key)
);

-- The last event applied per answer scope (a tenant, or `ops`): what an answer reflects, and
-- what its cache key carries, so an answer cached before a newer event is never read again.
CREATE TABLE rm_scopes (
    projection TEXT NOT NULL,
    generation BIGINT NOT NULL,
    scope TEXT NOT NULL,
    txid BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    last_event_at_us BIGINT,
    PRIMARY KEY (projection, generation, scope)
);
