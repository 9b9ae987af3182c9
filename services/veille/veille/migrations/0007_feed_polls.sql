-- depends: 0006_lifecycle_awards_alerts
-- Feeds that lose nothing.
--
-- * A quarantined notice keeps its whole raw text (``content``), so that it can be read again
--   once its parser is fixed; ``excerpt`` stays the short view the list shows.
-- * Every poll of a live source is recorded: what the source announced (its total for the
--   windows the poll read), what came back, what was created, updated, left unchanged,
--   quarantined or skipped, and the parts of records left unread (unknown shapes). "Nothing
--   missed" is then a figure: announced = created + updated + unchanged + quarantined + skipped.

ALTER TABLE quarantine ADD COLUMN content text NOT NULL DEFAULT '';

CREATE TABLE feed_polls (
    id           bigserial   PRIMARY KEY,
    source       text        NOT NULL,
    run_id       text        NOT NULL UNIQUE,  -- the Temporal run: a retried opening is the same poll
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    status       text        NOT NULL DEFAULT 'running'
                             CHECK (status IN ('running', 'finished', 'failed')),
    first_cursor jsonb,
    last_cursor  jsonb,
    pages        integer     NOT NULL DEFAULT 0,
    announced    integer     NOT NULL DEFAULT 0,
    received     integer     NOT NULL DEFAULT 0,
    created      integer     NOT NULL DEFAULT 0,
    updated      integer     NOT NULL DEFAULT 0,
    unchanged    integer     NOT NULL DEFAULT 0,
    quarantined  integer     NOT NULL DEFAULT 0,
    skipped      integer     NOT NULL DEFAULT 0,
    unread       integer     NOT NULL DEFAULT 0,
    error        text
);

CREATE INDEX feed_polls_recent ON feed_polls (started_at DESC, id DESC);
