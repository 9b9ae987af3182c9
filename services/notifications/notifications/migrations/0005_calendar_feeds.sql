-- depends: 0004_email_trace
-- The current address of each structure's calendar: regenerating it moves to the next
-- generation, and the addresses of earlier generations are refused.

CREATE TABLE calendar_feeds (
    structure_id   bigint      PRIMARY KEY,
    generation     integer     NOT NULL CHECK (generation > 0),
    regenerated_by text        NOT NULL,
    regenerated_at timestamptz NOT NULL DEFAULT now()
);
