-- depends: 0009_awards_cpv_class
-- Buyers' needs: what a public or private buyer posts to the Centrale. An advisor validates it
-- (it then becomes a tender of source « centrale », matched and alerted like any other) or
-- sends it back with a reason; structures answer « intéressé » with a message and perhaps a
-- quote; the buyer records who it chose and for how much.
--
-- * ``structures.siret``: a structure's SIRET (structure.* events), the winner's of a need's
--   award, so that the structure's references in the directory count it.

ALTER TABLE structures ADD COLUMN siret text;

CREATE TABLE needs (
    id               bigserial   PRIMARY KEY,
    owner            text        NOT NULL,  -- the buyer's token subject (« user:12 »)
    buyer_name       text        NOT NULL,
    buyer_siret      text        CHECK (buyer_siret ~ '^[0-9]{14}$'),
    buyer_kind       text        NOT NULL CHECK (buyer_kind IN ('public', 'private')),
    buyer_contact    text        NOT NULL,
    buyer_email      text        NOT NULL,
    object           text        NOT NULL,
    description      text        NOT NULL,
    cpv_codes        text[]      NOT NULL DEFAULT '{}',
    departement      text        NOT NULL,
    place            text        NOT NULL DEFAULT '',
    lots             jsonb       NOT NULL DEFAULT '[]',
    deadline         timestamptz NOT NULL,
    budget_band      text        NOT NULL,
    reservation      text        NOT NULL DEFAULT 'none'
                     CHECK (reservation IN ('none', 'insertion', 'sheltered_workshop', 'ess')),
    social_clause    boolean     NOT NULL DEFAULT false,
    insertion_hours  numeric(12, 2) CHECK (insertion_hours >= 0),
    status           text        NOT NULL DEFAULT 'submitted'
                     CHECK (status IN ('submitted', 'returned', 'published', 'decided')),
    return_reason    text,
    reviewed_by      text,
    reviewed_at      timestamptz,
    tender_id        bigint      UNIQUE REFERENCES tenders (id),
    decided_at       timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX needs_owner ON needs (owner, created_at DESC);
CREATE INDEX needs_status ON needs (status, created_at);

CREATE TABLE need_attachments (
    id            bigserial   PRIMARY KEY,
    need_id       bigint      NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    filename      text        NOT NULL,
    content_type  text        NOT NULL,
    size          integer     NOT NULL,
    content       bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX need_attachments_need ON need_attachments (need_id);

CREATE TABLE need_answers (
    id                 bigserial   PRIMARY KEY,
    need_id            bigint      NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    structure_id       bigint      NOT NULL,
    message            text        NOT NULL,
    quote_filename     text,
    quote_content_type text,
    quote              bytea,
    answered_by        text        NOT NULL,
    contact_email      text,       -- who answered, for the buyer to write to
    case_id            bigint,     -- the case the structure opened from it (case.opened)
    outcome            text        CHECK (outcome IN ('chosen', 'not_chosen')),
    amount             numeric(14, 2) CHECK (amount >= 0),
    decided_at         timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (need_id, structure_id)
);

CREATE INDEX need_answers_structure ON need_answers (structure_id, created_at DESC);
