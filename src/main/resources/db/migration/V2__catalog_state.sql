-- The state of the bulk-loaded catalog: at most one row, written by `images seed` and by the
-- demo catalog. A seed commits 'loading' before it touches products or images and sets
-- 'ready' in the same transaction that completes the load (indexes built, ANALYZE done).
-- `serve` refuses to start while the row says 'loading'. No row: the catalog was never
-- seeded (empty, or built through the API) and is served as it is.
CREATE TABLE catalog_state (
    singleton      boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    status         text        NOT NULL CHECK (status IN ('loading', 'ready')),
    products       bigint      NOT NULL CHECK (products >= 0),
    images         bigint      CHECK (images >= 0),
    random_seed    bigint      NOT NULL,
    min_images     integer     NOT NULL,
    max_images     integer     NOT NULL,
    image_base_url text        NOT NULL DEFAULT '',
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz
);
