-- depends: 0001_sessions
-- Registrations with their waitlist, attendance and survey; reminders sent; recommendations
-- kept from accompagnement's diagnoses.
--
-- Capacity is enforced twice: the store locks the session row before deciding between a
-- seat and the waitlist, and the database itself refuses more confirmed registrations than
-- seats (sessions.confirmed_count, kept by a trigger, is checked against capacity).

ALTER TABLE sessions
    ADD COLUMN video_url                text,
    ADD COLUMN registration_close_hours numeric(6, 2) NOT NULL DEFAULT 24
        CHECK (registration_close_hours >= 0),
    ADD COLUMN registrations_closed_at  timestamptz,
    ADD COLUMN cancel_reason            text,
    ADD COLUMN survey_requested_at      timestamptz,
    ADD COLUMN confirmed_count          integer NOT NULL DEFAULT 0,
    ADD CONSTRAINT sessions_capacity_never_exceeded
        CHECK (confirmed_count >= 0 AND confirmed_count <= capacity);

CREATE INDEX sessions_module_start ON sessions (module_code, starts_at);
CREATE INDEX sessions_start ON sessions (starts_at);

CREATE TABLE registrations (
    id                     bigserial   PRIMARY KEY,
    session_id             bigint      NOT NULL REFERENCES sessions (id),
    structure_id           bigint      NOT NULL,
    person_name            text        NOT NULL,
    email                  text        NOT NULL,
    status                 text        NOT NULL
                           CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    registered_by          text        NOT NULL,
    created_at             timestamptz NOT NULL DEFAULT now(),
    confirmed_at           timestamptz,
    promoted_at            timestamptz,
    cancelled_at           timestamptz,
    cancelled_by           text,
    attended               boolean,
    attended_hours         numeric(5, 2) CHECK (attended_hours > 0),
    attendance_recorded_at timestamptz,
    survey_score           smallint    CHECK (survey_score BETWEEN 1 AND 5),
    survey_comment         text,
    surveyed_at            timestamptz,
    CHECK ((survey_score IS NULL) = (surveyed_at IS NULL)),
    CHECK (attended IS TRUE OR attended_hours IS NULL)
);

-- One live registration per person and session (a cancelled one may be renewed).
CREATE UNIQUE INDEX registrations_one_per_person
    ON registrations (session_id, lower(email)) WHERE status <> 'cancelled';
-- The waitlist, in arrival order (ids are handed out under the session's lock).
CREATE INDEX registrations_waitlist ON registrations (session_id, id) WHERE status = 'waitlisted';
CREATE INDEX registrations_structure ON registrations (structure_id, session_id);

CREATE FUNCTION registrations_count_confirmed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.session_id = NEW.session_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'confirmed' THEN
        UPDATE sessions SET confirmed_count = confirmed_count - 1 WHERE id = OLD.session_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'confirmed' THEN
        UPDATE sessions SET confirmed_count = confirmed_count + 1 WHERE id = NEW.session_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER registrations_count_confirmed
    AFTER INSERT OR UPDATE OF status, session_id OR DELETE ON registrations
    FOR EACH ROW EXECUTE FUNCTION registrations_count_confirmed();

-- J-N reminders already sent: a retried activity never reminds twice.
CREATE TABLE session_reminders (
    session_id  bigint      NOT NULL REFERENCES sessions (id),
    days_before integer     NOT NULL,
    people      integer     NOT NULL,
    sent_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, days_before)
);

-- Modules recommended to a structure by its diagnoses (diagnosis.completed).
CREATE TABLE structure_recommendations (
    structure_id   bigint      NOT NULL,
    module_code    text        NOT NULL,
    case_ids       bigint[]    NOT NULL DEFAULT '{}',
    recommended_at timestamptz NOT NULL,
    PRIMARY KEY (structure_id, module_code)
);
