-- depends: 0006_public_directory
-- The social-clause facilitator's follow-up: a note per tender of veille (the insertion hours
-- the buyer requires, whom to call at the buyer), read by the advisors; each awarded contract
-- carrying a clause (one per tender and lot), with its winner as veille's awards name it and
-- the CPV codes its subcontractors are sought by; the hours of insertion done each month,
-- entered by the facilitator, which the impact figures add up.

CREATE TABLE clause_notes (
    tender_id       bigint      PRIMARY KEY,  -- veille's tender id
    hours_required  numeric(12, 2) CHECK (hours_required >= 0),
    buyer_contact   text        NOT NULL DEFAULT '',
    note            text        NOT NULL DEFAULT '',
    updated_by      text        NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE clause_contracts (
    id              bigserial   PRIMARY KEY,
    tender_id       bigint      NOT NULL,  -- veille's tender id
    lot_id          text        NOT NULL DEFAULT '',  -- '' : the whole tender
    title           text        NOT NULL,
    buyer_name      text,
    winner_name     text        NOT NULL,
    winner_siret    text        CHECK (winner_siret ~ '^[0-9]{14}$'),
    cpv_codes       text[]      NOT NULL DEFAULT '{}',
    hours_required  numeric(12, 2) CHECK (hours_required >= 0),
    -- The insertion structures told they could subcontract (clause.subcontracting_offered).
    structures_told bigint[]    NOT NULL DEFAULT '{}',
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tender_id, lot_id)
);

CREATE TABLE clause_hours (
    contract_id     bigint      NOT NULL REFERENCES clause_contracts (id) ON DELETE CASCADE,
    month           date        NOT NULL CHECK (extract(day FROM month) = 1),
    hours           numeric(12, 2) NOT NULL CHECK (hours >= 0),
    entered_by      text        NOT NULL,
    entered_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (contract_id, month)
);

CREATE INDEX clause_hours_month ON clause_hours (month);
