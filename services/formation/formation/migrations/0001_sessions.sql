-- depends: 0000_centrale_bus
-- Training modules and their dated sessions.

CREATE TABLE modules (
    code        text PRIMARY KEY,
    title       text    NOT NULL,
    objectives  text    NOT NULL DEFAULT '',
    duration_h  numeric(5, 2) NOT NULL CHECK (duration_h > 0)
);

CREATE TABLE sessions (
    id           bigserial   PRIMARY KEY,
    module_code  text        NOT NULL REFERENCES modules (code),
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    place        text        NOT NULL,
    trainer      text        NOT NULL,
    capacity     integer     NOT NULL CHECK (capacity > 0),
    status       text        NOT NULL DEFAULT 'scheduled'
                 CHECK (status IN ('scheduled', 'cancelled', 'held')),
    workflow_id  text        UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
