-- depends: 0001_tenders
-- A tender is now a procedure: the notices that announce it (several sources, corrigenda)
-- are kept apart and merged into it; its versions are recorded. French full-text search with
-- accents folded; alert profiles, matches, dismissals, quarantine and CPV reference data.
-- (The first tenders table held only demo data: it is replaced, not migrated.)

DROP TABLE tenders;

CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french);
ALTER TEXT SEARCH CONFIGURATION fr_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;

CREATE TABLE tenders (
    id                  bigserial   PRIMARY KEY,
    procedure_key       text        NOT NULL UNIQUE,
    fingerprint         text,
    title               text        NOT NULL,
    description         text        NOT NULL DEFAULT '',
    buyer_name          text,
    buyer_siret         text,
    cpv_main            text,
    cpv_codes           text[]      NOT NULL DEFAULT '{}',
    cpv_prefixes        text[]      NOT NULL DEFAULT '{}',  -- every prefix of every code
    nuts                text[]      NOT NULL DEFAULT '{}',
    departments         text[]      NOT NULL DEFAULT '{}',
    estimated_amount    numeric(16, 2),
    currency            text,
    deadline            timestamptz,
    procedure_type      text,
    notice_type         text        NOT NULL,
    reserved            text[]      NOT NULL DEFAULT '{}',
    social_criteria     boolean     NOT NULL DEFAULT false,
    url                 text,
    language            text,
    in_territory        boolean     NOT NULL DEFAULT false,
    renewal_expected_on date,
    notice              jsonb       NOT NULL,
    version             integer     NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    search              tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('fr_unaccent'::regconfig, title), 'A') ||
        setweight(to_tsvector('fr_unaccent'::regconfig, coalesce(buyer_name, '')), 'B') ||
        setweight(to_tsvector('fr_unaccent'::regconfig, description), 'C')
    ) STORED
);

CREATE INDEX tenders_search ON tenders USING gin (search);
CREATE INDEX tenders_cpv ON tenders USING gin (cpv_prefixes);
CREATE INDEX tenders_departments ON tenders USING gin (departments);
CREATE INDEX tenders_deadline ON tenders (deadline, id);
CREATE INDEX tenders_fingerprint ON tenders (fingerprint) WHERE fingerprint IS NOT NULL;

CREATE TABLE tender_lots (
    tender_id         bigint  NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    lot_id            text    NOT NULL,
    title             text,
    cpv_main          text,
    estimated_amount  numeric(16, 2),
    deadline          timestamptz,
    reserved          text[]  NOT NULL DEFAULT '{}',
    PRIMARY KEY (tender_id, lot_id)
);

CREATE TABLE tender_notices (
    source       text        NOT NULL,
    source_id    text        NOT NULL,
    tender_id    bigint      NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    notice_type  text        NOT NULL,
    digest       text        NOT NULL,
    notice       jsonb       NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, source_id)
);

CREATE INDEX tender_notices_tender ON tender_notices (tender_id);

CREATE TABLE tender_versions (
    tender_id    bigint      NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    version      integer     NOT NULL,
    source       text        NOT NULL,
    source_id    text        NOT NULL,
    changes      jsonb       NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tender_id, version)
);

CREATE TABLE quarantine (
    id          bigserial   PRIMARY KEY,
    origin      text        NOT NULL,
    reason      text        NOT NULL,
    excerpt     text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cpv_codes (
    code      text PRIMARY KEY CHECK (code ~ '^[0-9]{8}$'),
    label_fr  text NOT NULL,
    label_en  text,
    parent    text
);

CREATE TABLE alert_profiles (
    id              bigserial   PRIMARY KEY,
    structure_id    bigint      NOT NULL,
    name            text        NOT NULL,
    cpv_prefixes    text[]      NOT NULL DEFAULT '{}',
    keywords        text[]      NOT NULL DEFAULT '{}',
    keyword_lexemes jsonb       NOT NULL DEFAULT '[]',
    departments     text[]      NOT NULL DEFAULT '{}',
    min_value       numeric(16, 2),
    max_value       numeric(16, 2),
    reserved_only   boolean     NOT NULL DEFAULT false,
    notice_kinds    text[]      NOT NULL DEFAULT '{contract,prior_information,renewal}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (structure_id, name)
);

CREATE INDEX alert_profiles_updated ON alert_profiles (updated_at);

-- Deleted profiles are remembered so that matching processes drop them from their index.
CREATE TABLE alert_profiles_deleted (
    id          bigint      PRIMARY KEY,
    deleted_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE matches (
    id            bigserial   PRIMARY KEY,
    tender_id     bigint      NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    profile_id    bigint      NOT NULL,
    structure_id  bigint      NOT NULL,
    score         numeric(5, 1) NOT NULL,
    reasons       jsonb       NOT NULL,
    lots          text[]      NOT NULL DEFAULT '{}',
    matched_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tender_id, profile_id)
);

CREATE INDEX matches_structure ON matches (structure_id, matched_at DESC);

CREATE TABLE dismissals (
    tender_id     bigint      NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    structure_id  bigint      NOT NULL,
    reason        text        NOT NULL,
    dismissed_by  text        NOT NULL,
    dismissed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tender_id, structure_id)
);

CREATE TABLE feed_cursors (
    source      text        PRIMARY KEY,
    cursor      jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
