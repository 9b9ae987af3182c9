-- depends: 0000_centrale_bus
-- Tenders as normalised from every source; one row per (source, source_id).

CREATE TABLE tenders (
    id            bigserial   PRIMARY KEY,
    source        text        NOT NULL,
    source_id     text        NOT NULL,
    procedure_id  text,
    notice_type   text        NOT NULL DEFAULT 'contract',
    title         text        NOT NULL,
    buyer_name    text,
    cpv_main      text,
    deadline      timestamptz,
    notice        jsonb       NOT NULL,
    version       integer     NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source, source_id)
);

CREATE INDEX tenders_deadline ON tenders (deadline);
