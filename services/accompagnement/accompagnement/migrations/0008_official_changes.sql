-- depends: 0007_clause_followup
-- A member's request to change their structure's official details (raison sociale, SIRET,
-- legal form, category, kind of SIAE: what decides the reserved lots it may answer), kept
-- with who asked and when, and who decided and when; an approval applies it.

CREATE TABLE structure_change_requests (
    id               bigserial   PRIMARY KEY,
    structure_id     bigint      NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    changes          jsonb       NOT NULL,  -- {field: new value}, the official fields only
    previous         jsonb       NOT NULL,  -- {field: value when asked}
    comment          text,
    status           text        NOT NULL DEFAULT 'pending'
                                 CHECK (status IN ('pending', 'approved', 'rejected')),
    requested_by     text        NOT NULL,
    requested_at     timestamptz NOT NULL DEFAULT now(),
    decided_by       text,
    decided_at       timestamptz,
    decision_reason  text,
    CHECK ((status = 'pending') = (decided_at IS NULL))
);

-- One request waits at a time per structure: a second one would race the first's approval.
CREATE UNIQUE INDEX structure_change_requests_one_pending
    ON structure_change_requests (structure_id) WHERE status = 'pending';
CREATE INDEX structure_change_requests_by_status
    ON structure_change_requests (status, requested_at);
