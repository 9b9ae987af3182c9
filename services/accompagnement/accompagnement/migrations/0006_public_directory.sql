-- depends: 0005_tender_results
-- The public directory of the territory's structures: each structure's public card, listed
-- only while the structure consents; every consent given or withdrawn is kept, with who gave
-- it and the wording they agreed to.

CREATE EXTENSION IF NOT EXISTS unaccent;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION fr_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END $$;

CREATE TABLE directory_cards (
    structure_id  bigint      PRIMARY KEY REFERENCES structures (id) ON DELETE CASCADE,
    listed        boolean     NOT NULL DEFAULT false,
    listed_since  timestamptz,
    presentation  text        NOT NULL DEFAULT '',
    activities    text[]      NOT NULL DEFAULT '{}',  -- CPV codes or prefixes
    departements  text[]      NOT NULL DEFAULT '{}',
    communes      text[]      NOT NULL DEFAULT '{}',
    labels        text[]      NOT NULL DEFAULT '{}',
    website       text,
    -- the French labels of its activities and category, written with the card, for the search
    search_words  text        NOT NULL DEFAULT '',
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text
);

CREATE INDEX directory_cards_listed ON directory_cards (structure_id) WHERE listed;

CREATE TABLE directory_consents (
    id            bigserial   PRIMARY KEY,
    structure_id  bigint      NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    given         boolean     NOT NULL,
    wording       text        NOT NULL,
    given_by      text        NOT NULL,
    given_by_role text        NOT NULL,
    at            timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX directory_consents_structure ON directory_consents (structure_id, at DESC);
