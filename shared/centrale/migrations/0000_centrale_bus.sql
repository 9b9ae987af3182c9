-- The transactional outbox (events written with the change they announce) and the inbox
-- (ids of the events a handler already applied), present in every service's database.

CREATE TABLE centrale_outbox (
    id           uuid PRIMARY KEY,
    event_type   text        NOT NULL,
    envelope     jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    attempts     integer     NOT NULL DEFAULT 0,
    last_error   text
);

CREATE INDEX centrale_outbox_pending ON centrale_outbox (created_at) WHERE published_at IS NULL;

CREATE FUNCTION centrale_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('centrale_outbox', NEW.event_type);
    RETURN NULL;
END;
$$;

CREATE TRIGGER centrale_outbox_notify AFTER INSERT ON centrale_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION centrale_outbox_notify();

CREATE TABLE centrale_inbox (
    event_id   uuid        NOT NULL,
    handler    text        NOT NULL,
    event_type text        NOT NULL,
    handled_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, handler)
);
