-- depends: 0001_cases
-- The structures registry, advisors, accompagnement's own copy of veille's tenders, and what a
-- case gathers: deadline, advisor, notes and hours, diagnosis, checklist, groupement, outcome.

CREATE TABLE structures (
    id                       bigserial   PRIMARY KEY,
    legal_name               text        NOT NULL,
    siret                    char(14)    NOT NULL UNIQUE,
    legal_form               text        NOT NULL,
    category                 text        NOT NULL,
    insertion_kind           text,
    street                   text,
    postal_code              text,
    city                     text,
    departement              text        NOT NULL,
    activities               text[]      NOT NULL DEFAULT '{}',
    headcount                integer     CHECK (headcount >= 0),
    annual_turnover          numeric(14, 2) CHECK (annual_turnover >= 0),
    insurance_coverage       numeric(14, 2) CHECK (insurance_coverage >= 0),
    insurer                  text,
    insurance_expires_on     date,
    -- Social value, for the mémoire technique and the funders.
    insertion_hours_per_year integer     CHECK (insertion_hours_per_year >= 0),
    people_supported         integer     CHECK (people_supported >= 0),
    local_employment_percent numeric(5, 2) CHECK (local_employment_percent BETWEEN 0 AND 100),
    social_mission           text,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX structures_category ON structures (category);

CREATE TABLE structure_references (
    id           bigserial PRIMARY KEY,
    structure_id bigint    NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    position     integer   NOT NULL,
    title        text      NOT NULL,
    buyer        text      NOT NULL,
    year         integer   NOT NULL,
    amount       numeric(14, 2),
    cpv_codes    text[]    NOT NULL DEFAULT '{}'
);

CREATE INDEX structure_references_structure ON structure_references (structure_id);

CREATE TABLE structure_contacts (
    id           bigserial PRIMARY KEY,
    structure_id bigint    NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    position     integer   NOT NULL,
    name         text      NOT NULL,
    email        text      NOT NULL,
    role         text,
    phone        text
);

CREATE INDEX structure_contacts_structure ON structure_contacts (structure_id);

CREATE TABLE advisors (
    id         bigserial   PRIMARY KEY,
    name       text        NOT NULL,
    email      text        NOT NULL UNIQUE,
    active     boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Kept from veille's tender.published / tender.updated events; never read from veille's base.
CREATE TABLE tenders (
    id               bigint      PRIMARY KEY,  -- veille's tender id
    version          integer     NOT NULL DEFAULT 1,
    source           text,
    source_id        text,
    title            text        NOT NULL,
    deadline         timestamptz,
    buyer_name       text,
    buyer_siret      text,
    cpv_main         text,
    cpv_additional   text[]      NOT NULL DEFAULT '{}',
    departments      text[]      NOT NULL DEFAULT '{}',
    procedure_type   text,
    notice_type      text,
    reserved         text[]      NOT NULL DEFAULT '{}',
    social_criteria  boolean     NOT NULL DEFAULT false,
    estimated_amount numeric(16, 2),
    lots             jsonb       NOT NULL DEFAULT '[]',
    url              text,
    received_at      timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX tenders_source ON tenders (source, source_id);

ALTER TABLE cases
    ADD COLUMN kind                 text    NOT NULL DEFAULT 'tender',
    ADD COLUMN buyer_name           text,
    ADD COLUMN deadline             timestamptz,
    ADD COLUMN lot_numbers          text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN advisor_id           bigint  REFERENCES advisors (id),
    ADD COLUMN reminder_days        integer[],
    ADD COLUMN min_headcount        integer CHECK (min_headcount >= 0),
    ADD COLUMN min_annual_turnover  numeric(14, 2) CHECK (min_annual_turnover >= 0),
    ADD COLUMN submitted_at         timestamptz,
    ADD COLUMN decided_at           timestamptz,
    ADD COLUMN closed_at            timestamptz,
    ADD COLUMN outcome_amount       numeric(14, 2),
    ADD COLUMN buyer_feedback       text,
    ADD COLUMN consortium_formed_at timestamptz,
    ADD CONSTRAINT cases_kind CHECK (kind IN ('tender', 'private_quote')),
    ADD CONSTRAINT cases_private_buyer CHECK (kind <> 'private_quote' OR buyer_name IS NOT NULL);

-- NOT VALID: cases opened before the registry existed keep their bare structure numbers.
ALTER TABLE cases ADD CONSTRAINT cases_structure_fk
    FOREIGN KEY (structure_id) REFERENCES structures (id) NOT VALID;
ALTER TABLE cases ADD CONSTRAINT cases_tender_fk
    FOREIGN KEY (tender_id) REFERENCES tenders (id) NOT VALID;

CREATE INDEX cases_tender ON cases (tender_id);
CREATE INDEX cases_advisor ON cases (advisor_id);

CREATE TABLE case_notes (
    id         bigserial   PRIMARY KEY,
    case_id    bigint      NOT NULL REFERENCES cases (id),
    body       text        NOT NULL,
    author     text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX case_notes_case ON case_notes (case_id);

-- Coaching hours, counted for the funders.
CREATE TABLE case_time_entries (
    id          bigserial    PRIMARY KEY,
    case_id     bigint       NOT NULL REFERENCES cases (id),
    advisor_id  bigint       REFERENCES advisors (id),
    spent_on    date         NOT NULL,
    hours       numeric(5, 2) NOT NULL CHECK (hours > 0 AND hours <= 24),
    activity    text         NOT NULL,
    comment     text,
    recorded_by text         NOT NULL,
    created_at  timestamptz  NOT NULL DEFAULT now()
);

CREATE INDEX case_time_entries_case ON case_time_entries (case_id);
CREATE INDEX case_time_entries_advisor ON case_time_entries (advisor_id, spent_on);

-- What the case workflow announced (reminders, escalations, deadline alerts): a retried
-- activity finds its row and emits nothing twice.
CREATE TABLE case_alerts (
    case_id    bigint      NOT NULL REFERENCES cases (id),
    kind       text        NOT NULL,
    key        text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (case_id, kind, key)
);

CREATE TABLE diagnoses (
    id                  bigserial    PRIMARY KEY,
    case_id             bigint       NOT NULL REFERENCES cases (id),
    scores              jsonb        NOT NULL,
    weights             jsonb        NOT NULL,
    decision            text         NOT NULL,
    score               numeric(4, 1) NOT NULL,
    reasons             text[]       NOT NULL,
    recommended_modules text[]       NOT NULL DEFAULT '{}',
    comment             text,
    completed_by        text         NOT NULL,
    completed_at        timestamptz  NOT NULL DEFAULT now()
);

CREATE INDEX diagnoses_case ON diagnoses (case_id, completed_at);

-- A structure's document vault; the file itself (optional) is kept here, size-limited.
CREATE TABLE vault_documents (
    id           bigserial   PRIMARY KEY,
    structure_id bigint      NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    kind         text        NOT NULL,
    title        text        NOT NULL,
    issued_on    date,
    expires_on   date,
    filename     text,
    content_type text,
    size_bytes   integer     CHECK (size_bytes >= 0),
    content      bytea,
    uploaded_by  text        NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX vault_documents_structure ON vault_documents (structure_id, kind);

CREATE TABLE checklist_items (
    id          bigserial   PRIMARY KEY,
    case_id     bigint      NOT NULL REFERENCES cases (id),
    position    integer     NOT NULL,
    kind        text        NOT NULL,
    status      text        NOT NULL,
    required    boolean     NOT NULL DEFAULT true,
    issued_on   date,
    expires_on  date,
    document_id bigint      REFERENCES vault_documents (id) ON DELETE SET NULL,
    comment     text,
    updated_by  text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (case_id, kind)
);

CREATE TABLE consortium_members (
    id             bigserial    PRIMARY KEY,
    case_id        bigint       NOT NULL REFERENCES cases (id),
    structure_id   bigint       NOT NULL REFERENCES structures (id),
    role           text         NOT NULL,
    share_percent  numeric(5, 2),
    status         text         NOT NULL CHECK (status IN ('lead', 'invited', 'accepted', 'declined')),
    message        text,
    answer_comment text,
    invited_by     text,
    invited_at     timestamptz  NOT NULL DEFAULT now(),
    answered_at    timestamptz,
    UNIQUE (case_id, structure_id)
);

CREATE INDEX consortium_members_structure ON consortium_members (structure_id);
