-- depends: 0002_password_resets
-- Buyers (role acheteur: their organisation, public or private, with its SIRET) and the
-- territory's facilitator of social clauses (role facilitateur); buyers signing up on their
-- own, kept pending until their address is confirmed; the public directory's contact messages,
-- kept until their sender confirms their address (and counted for the rate limits).

ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'conseiller', 'membre', 'acheteur', 'facilitateur'));
ALTER TABLE users
    ADD COLUMN organisation       text,
    ADD COLUMN organisation_siret text CHECK (organisation_siret ~ '^[0-9]{14}$'),
    ADD COLUMN buyer_kind         text CHECK (buyer_kind IN ('public', 'private')),
    ADD CONSTRAINT users_buyer_organisation
        CHECK (role <> 'acheteur' OR (organisation IS NOT NULL AND buyer_kind IS NOT NULL));

ALTER TABLE invitations DROP CONSTRAINT invitations_role_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_role_check
    CHECK (role IN ('admin', 'conseiller', 'membre', 'acheteur', 'facilitateur'));
ALTER TABLE invitations
    ADD COLUMN organisation       text,
    ADD COLUMN organisation_siret text,
    ADD COLUMN buyer_kind         text CHECK (buyer_kind IN ('public', 'private'));

CREATE TABLE pending_signups (
    token_hash         text        PRIMARY KEY,
    email              text        NOT NULL CHECK (email = lower(email)),
    name               text        NOT NULL,
    password_hash      text        NOT NULL,
    organisation       text        NOT NULL,
    organisation_siret text        NOT NULL CHECK (organisation_siret ~ '^[0-9]{14}$'),
    buyer_kind         text        NOT NULL CHECK (buyer_kind IN ('public', 'private')),
    ip                 text        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz NOT NULL,
    confirmed_at       timestamptz
);

CREATE INDEX pending_signups_email ON pending_signups (email, created_at);
CREATE INDEX pending_signups_ip ON pending_signups (ip, created_at);

CREATE TABLE contact_messages (
    id            uuid        PRIMARY KEY,
    token_hash    text        NOT NULL UNIQUE,
    structure_id  bigint      NOT NULL,
    sender_name   text        NOT NULL,
    sender_email  text        NOT NULL CHECK (sender_email = lower(sender_email)),
    organisation  text,
    subject       text        NOT NULL,
    body          text        NOT NULL,
    ip            text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    confirmed_at  timestamptz,
    relayed_at    timestamptz
);

CREATE INDEX contact_messages_sender ON contact_messages (sender_email, created_at);
CREATE INDEX contact_messages_ip ON contact_messages (ip, created_at);
CREATE INDEX contact_messages_structure ON contact_messages (structure_id, created_at);
