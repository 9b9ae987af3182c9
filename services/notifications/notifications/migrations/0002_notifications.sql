-- depends: 0001_received_events
-- Notifications proper: its own directory (kept from events), the in-app feed, preferences,
-- deliveries and the emails that carry them, digests, and the structures' calendars.

-- The directory -------------------------------------------------------------------------------

CREATE TABLE directory_structures (
    structure_id        bigint      PRIMARY KEY,
    legal_name          text        NOT NULL,
    siret               text,
    category            text,
    departement         text,
    -- the event the row comes from: an older event never overwrites a newer one
    source_event_id     uuid        NOT NULL,
    source_occurred_at  timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE directory_contacts (
    structure_id  bigint NOT NULL REFERENCES directory_structures ON DELETE CASCADE,
    email         text   NOT NULL CHECK (email = lower(email)),
    name          text,
    role          text,
    person_id     text,
    position      integer NOT NULL,
    PRIMARY KEY (structure_id, email)
);

CREATE INDEX directory_contacts_email ON directory_contacts (email);

CREATE TABLE directory_cases (
    case_id             bigint      PRIMARY KEY,
    structure_id        bigint,
    title               text,
    advisor             jsonb,       -- {id, name, email} of the last event that named one
    stage               text,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE consortium_invitations (
    case_id            bigint NOT NULL,
    structure_id       bigint NOT NULL,  -- the invited partner
    lead_structure_id  bigint NOT NULL,
    title              text,
    role               text,
    invited_at         timestamptz NOT NULL,
    PRIMARY KEY (case_id, structure_id)
);

-- Events about a structure the directory does not know yet: routed again when it arrives.
CREATE TABLE parked_events (
    event_id      uuid        NOT NULL,
    structure_id  bigint      NOT NULL,
    envelope      jsonb       NOT NULL,
    parked_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, structure_id)
);

CREATE INDEX parked_events_structure ON parked_events (structure_id);

-- The in-app feed: one notification per (event, person) -------------------------------------

CREATE TABLE notifications (
    id              bigserial   PRIMARY KEY,
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    kind            text        NOT NULL,
    recipient       text        NOT NULL CHECK (recipient = lower(recipient)),
    recipient_name  text,
    role            text        NOT NULL,
    structure_id    bigint,
    title           text        NOT NULL,
    summary         text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    read_at         timestamptz,
    UNIQUE (event_id, recipient)
);

CREATE INDEX notifications_feed ON notifications (recipient, id DESC);
CREATE INDEX notifications_unread ON notifications (recipient) WHERE read_at IS NULL;

-- Preferences: per person and kind (no row: the kind's default) ------------------------------

CREATE TABLE preferences (
    recipient   text        NOT NULL CHECK (recipient = lower(recipient)),
    kind        text        NOT NULL,
    mode        text        NOT NULL CHECK (mode IN ('immediate', 'digest', 'never')),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text        NOT NULL,
    PRIMARY KEY (recipient, kind)
);

-- Digests (one row per run; 0001 created the table) -----------------------------------------

ALTER TABLE digests ADD COLUMN email_count integer NOT NULL DEFAULT 0;
COMMENT ON COLUMN digests.event_count IS 'notifications held by the digest emails of this run';

-- Emails: what the SMTP server receives (one per immediate delivery, or one digest) ----------

CREATE TABLE emails (
    id               bigserial   PRIMARY KEY,
    purpose          text        NOT NULL CHECK (purpose IN ('immediate', 'digest')),
    recipient        text        NOT NULL CHECK (recipient = lower(recipient)),
    recipient_name   text,
    subject          text        NOT NULL,
    body_text        text        NOT NULL,
    body_html        text        NOT NULL,
    unsubscribe_url  text        NOT NULL,
    -- {filename, content_type, content, source}: source is a path of formation's API to fetch
    -- first (with a service token); content is the copy built from the event, used offline.
    attachment       jsonb,
    message_id       text        NOT NULL UNIQUE,
    digest_id        bigint      REFERENCES digests,
    status           text        NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    handed_over_at   timestamptz,  -- committed just before the end-of-data marker went out
    sent_at          timestamptz,
    confirmed_at     timestamptz,  -- the server's reply to the end of data, when received
    server_reply     text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (digest_id, recipient)
);

CREATE INDEX emails_due ON emails (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX emails_sending ON emails (handed_over_at) WHERE status = 'sending';

-- Deliveries: the decision for one (event, recipient, channel), recorded once ---------------

CREATE TABLE deliveries (
    id               bigserial   PRIMARY KEY,
    event_id         uuid        NOT NULL,
    event_type       text        NOT NULL,
    recipient        text        NOT NULL CHECK (recipient = lower(recipient)),
    channel          text        NOT NULL DEFAULT 'email' CHECK (channel IN ('email')),
    notification_id  bigint      NOT NULL REFERENCES notifications,
    kind             text        NOT NULL,
    mode             text        NOT NULL CHECK (mode IN ('immediate', 'digest', 'never')),
    status           text        NOT NULL
                     CHECK (status IN ('pending', 'sent', 'failed', 'skipped_by_preference')),
    email_id         bigint      REFERENCES emails,
    reason           text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, recipient, channel)
);

CREATE INDEX deliveries_email ON deliveries (email_id);
CREATE INDEX deliveries_for_digest ON deliveries (recipient, id)
    WHERE status = 'pending' AND mode = 'digest' AND email_id IS NULL;
CREATE INDEX deliveries_log ON deliveries (updated_at DESC, id DESC);

-- The sender sleeps on this channel; a new or re-queued email wakes it.
CREATE FUNCTION notifications_email_wake() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- one payload for all: PostgreSQL folds the duplicates of a transaction into one
    PERFORM pg_notify('notifications_emails', '');
    RETURN NULL;
END $$;

CREATE TRIGGER emails_wake AFTER INSERT OR UPDATE OF status ON emails
    FOR EACH ROW WHEN (NEW.status = 'pending') EXECUTE FUNCTION notifications_email_wake();

-- Calendars: one feed per structure -----------------------------------------------------------

CREATE TABLE calendar_entries (
    structure_id        bigint      NOT NULL,
    uid                 text        NOT NULL,
    category            text        NOT NULL CHECK (category IN ('echeance', 'formation')),
    summary             text        NOT NULL,
    description         text        NOT NULL,
    location            text,
    starts_at           timestamptz NOT NULL,
    ends_at             timestamptz,
    status              text        NOT NULL CHECK (status IN ('CONFIRMED', 'TENTATIVE', 'CANCELLED')),
    case_id             bigint,
    session_id          bigint,
    sequence            integer     NOT NULL DEFAULT 0,
    source_occurred_at  timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (structure_id, uid)
);

CREATE INDEX calendar_entries_session ON calendar_entries (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX calendar_entries_case ON calendar_entries (case_id) WHERE case_id IS NOT NULL;
