-- depends: 0000_centrale_bus
-- Every platform event notifications received (once each), and the digests compiled from them.

CREATE TABLE received_events (
    event_id     uuid        PRIMARY KEY,
    event_type   text        NOT NULL,
    subject      text        NOT NULL,
    producer     text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    data         jsonb       NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX received_events_type ON received_events (event_type, received_at);

CREATE TABLE digests (
    id           bigserial   PRIMARY KEY,
    workflow_id  text        NOT NULL UNIQUE,
    since        timestamptz,
    until        timestamptz NOT NULL,
    event_count  integer     NOT NULL,
    compiled_at  timestamptz NOT NULL DEFAULT now()
);
