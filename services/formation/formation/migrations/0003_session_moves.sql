-- depends: 0002_registrations
-- Sessions can be moved to other dates: each move is kept, the invitation's SEQUENCE follows
-- the session's revision, and a reminder is claimed once per start date (a J-7 sent for the
-- old date is sent again for the new one).

ALTER TABLE sessions
    ADD COLUMN revision integer NOT NULL DEFAULT 0 CHECK (revision >= 0);

CREATE TABLE session_moves (
    id              bigserial   PRIMARY KEY,
    session_id      bigint      NOT NULL REFERENCES sessions (id),
    from_starts_at  timestamptz NOT NULL,
    from_ends_at    timestamptz NOT NULL,
    to_starts_at    timestamptz NOT NULL,
    to_ends_at      timestamptz NOT NULL,
    reason          text,
    moved_by        text        NOT NULL,
    moved_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (to_ends_at > to_starts_at)
);
CREATE INDEX session_moves_session ON session_moves (session_id, id);

ALTER TABLE session_reminders ADD COLUMN starts_at timestamptz;
UPDATE session_reminders r SET starts_at = s.starts_at FROM sessions s WHERE s.id = r.session_id;
ALTER TABLE session_reminders
    ALTER COLUMN starts_at SET NOT NULL,
    DROP CONSTRAINT session_reminders_pkey,
    ADD PRIMARY KEY (session_id, starts_at, days_before);
