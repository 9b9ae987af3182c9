-- depends: 0005_reserved_departments_index
-- What a tender became, and the market's memory.
--
-- * A tender and each of its lots carry their result (awarded, unsuccessful « infructueux »,
--   cancelled « sans suite »); ``closes_at`` is the last moment one of its lots can still be
--   answered (the lots' own deadlines, the tender's when it has none). Its state is derived:
--   the result when there is one, else open until ``closes_at``, closed after.
-- * Awards: one row per (tender, lot, winner), with the winner's SIRET when known, the
--   awarded amount and date, and the contract's end for renewals.
-- * Alerts: one per (tender, structure), listing every profile and lot that matched; matches
--   stay one per (tender, profile) as the record of which profile found what.
-- * Structures: veille's copy of accompagnement's structures (``structure.*`` events), for
--   the category a reserved lot is compared with.

ALTER TABLE tenders
    ADD COLUMN result text CHECK (result IN ('awarded', 'unsuccessful', 'cancelled')),
    ADD COLUMN closes_at timestamptz,
    ADD COLUMN documents_url text,
    ADD COLUMN social_clause boolean NOT NULL DEFAULT false,
    ADD COLUMN insertion_clause boolean NOT NULL DEFAULT false,
    ADD COLUMN buyer_key text,
    ADD COLUMN lots_text text NOT NULL DEFAULT '',
    ADD COLUMN result_at timestamptz;

UPDATE tenders t SET closes_at = coalesce(
    (SELECT max(coalesce(l.deadline, t.deadline)) FROM tender_lots l WHERE l.tender_id = t.id),
    t.deadline),
    buyer_key = coalesce(t.buyer_siret, 'nom:' || lower(t.buyer_name)),
    result = CASE WHEN t.notice_type = 'award' THEN 'awarded' END;

-- What a keyword is matched against: the title, the description and the lots, never the
-- buyer's name (a cleaning profile must not meet « Régie de nettoyage urbain » buying cars).
ALTER TABLE tenders ADD COLUMN content tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('fr_unaccent'::regconfig, title), 'A') ||
    setweight(to_tsvector('fr_unaccent'::regconfig, description), 'C') ||
    setweight(to_tsvector('fr_unaccent'::regconfig, lots_text), 'C')) STORED;
ALTER TABLE tenders ADD COLUMN buyer_search tsvector GENERATED ALWAYS AS (
    to_tsvector('fr_unaccent'::regconfig, coalesce(buyer_name, ''))) STORED;

CREATE INDEX tenders_open ON tenders (closes_at, id) WHERE result IS NULL;
CREATE INDEX tenders_reserved_open ON tenders (closes_at, id)
    WHERE result IS NULL AND reserved <> '{}';
CREATE INDEX tenders_buyer ON tenders (buyer_key);
CREATE INDEX tenders_buyer_search ON tenders USING gin (buyer_search);
CREATE INDEX tenders_content ON tenders USING gin (content);

ALTER TABLE tender_lots
    ADD COLUMN result text CHECK (result IN ('awarded', 'unsuccessful', 'cancelled')),
    ADD COLUMN social_clause boolean NOT NULL DEFAULT false,
    ADD COLUMN insertion_clause boolean NOT NULL DEFAULT false,
    ADD COLUMN insertion_hours numeric(10, 1);

CREATE TABLE awards (
    id             bigserial   PRIMARY KEY,
    tender_id      bigint      NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    lot_id         text        NOT NULL DEFAULT '',  -- '' : the whole contract
    winner_key     text        NOT NULL,             -- the SIRET, else the folded name
    winner_name    text,
    winner_siret   text        CHECK (winner_siret ~ '^[0-9]{14}$'),
    amount         numeric(16, 2),
    currency       text,
    awarded_on     date,
    contract_end   date,
    source         text        NOT NULL,
    source_id      text        NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tender_id, lot_id, winner_key)
);

CREATE INDEX awards_winner ON awards (winner_siret, awarded_on DESC) WHERE winner_siret IS NOT NULL;
CREATE INDEX awards_tender ON awards (tender_id);

CREATE TABLE alerts (
    id            bigserial   PRIMARY KEY,
    tender_id     bigint      NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    structure_id  bigint      NOT NULL,
    profile_ids   bigint[]    NOT NULL,
    lots          text[]      NOT NULL DEFAULT '{}',
    score         numeric(5, 1) NOT NULL,
    reasons       jsonb       NOT NULL,
    score_parts   jsonb       NOT NULL DEFAULT '[]',
    alerted_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tender_id, structure_id)
);

CREATE INDEX alerts_structure ON alerts (structure_id, alerted_at DESC);

-- Alerts for what was matched before (one per tender and structure, its best match's reasons).
INSERT INTO alerts (tender_id, structure_id, profile_ids, lots, score, reasons, alerted_at)
SELECT m.tender_id, m.structure_id, array_agg(m.profile_id ORDER BY m.score DESC, m.profile_id),
       coalesce((SELECT array_agg(DISTINCT lot ORDER BY lot) FROM matches m2, unnest(m2.lots) AS lot
                  WHERE m2.tender_id = m.tender_id AND m2.structure_id = m.structure_id), '{}'),
       max(m.score), (array_agg(m.reasons ORDER BY m.score DESC, m.profile_id))[1],
       min(m.matched_at)
  FROM matches m GROUP BY m.tender_id, m.structure_id;

CREATE TABLE structures (
    id              bigint      PRIMARY KEY,
    name            text        NOT NULL,
    category        text,
    insertion_kind  text,
    legal_form      text,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE alert_profiles ADD COLUMN clauses text[] NOT NULL DEFAULT '{}';
