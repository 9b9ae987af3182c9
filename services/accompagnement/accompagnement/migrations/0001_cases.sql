-- depends: 0000_centrale_bus
-- Cases mirror their CaseWorkflow: listed and filtered here without asking Temporal.

CREATE TABLE cases (
    id           bigserial   PRIMARY KEY,
    structure_id bigint      NOT NULL,
    tender_id    bigint,
    title        text        NOT NULL,
    stage        text        NOT NULL DEFAULT 'diagnosis',
    workflow_id  text        UNIQUE,
    opened_by    text        NOT NULL,
    opened_at    timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX cases_structure ON cases (structure_id);
CREATE INDEX cases_stage ON cases (stage);

CREATE TABLE case_stage_history (
    id          bigserial   PRIMARY KEY,
    case_id     bigint      NOT NULL REFERENCES cases (id),
    from_stage  text,
    to_stage    text        NOT NULL,
    changed_by  text        NOT NULL,
    reason      text,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    -- One row per workflow step: a retried activity must not write the change twice.
    step        integer     NOT NULL,
    UNIQUE (case_id, step)
);
