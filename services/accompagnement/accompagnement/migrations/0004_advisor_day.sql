-- depends: 0003_document_warnings
-- What the advisors' day in the portail needs: notes shared with the structure on purpose
-- (internal by default), which lots each partner of a groupement holds, one open case per
-- structure and tender, and the audit trail of changes to structures, documents, advisors
-- and outcomes.

ALTER TABLE case_notes ADD COLUMN shared boolean NOT NULL DEFAULT false;

ALTER TABLE consortium_members ADD COLUMN lot_numbers text[] NOT NULL DEFAULT '{}';

CREATE UNIQUE INDEX cases_one_open_per_structure_and_tender ON cases (structure_id, tender_id)
    WHERE tender_id IS NOT NULL AND stage NOT IN ('won', 'lost', 'abandoned', 'missed');

CREATE TABLE audit_log (
    id           bigserial   PRIMARY KEY,
    object_type  text        NOT NULL CHECK (object_type IN ('structure', 'case')),
    object_id    bigint      NOT NULL,
    action       text        NOT NULL,
    summary      text        NOT NULL,
    actor        text        NOT NULL,
    details      jsonb       NOT NULL DEFAULT '{}',
    at           timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_log_object ON audit_log (object_type, object_id, at);
