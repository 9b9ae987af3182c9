-- depends: 0000_centrale_bus
-- People who log in, the invitations that create their accounts, and login attempts
-- (for rate limiting across every web worker).

CREATE TABLE users (
    id               bigserial   PRIMARY KEY,
    email            text        NOT NULL UNIQUE CHECK (email = lower(email)),
    name             text        NOT NULL,
    password_hash    text        NOT NULL,
    role             text        NOT NULL CHECK (role IN ('admin', 'conseiller', 'membre')),
    structure_id     bigint,
    active           boolean     NOT NULL DEFAULT true,
    session_version  integer     NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    last_login_at    timestamptz,
    CHECK (role <> 'membre' OR structure_id IS NOT NULL)
);

CREATE TABLE invitations (
    token_hash    text        PRIMARY KEY,
    email         text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('admin', 'conseiller', 'membre')),
    structure_id  bigint,
    invited_by    bigint      REFERENCES users (id),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE login_attempts (
    id          bigserial   PRIMARY KEY,
    email       text        NOT NULL,
    ip          text        NOT NULL,
    success     boolean     NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX login_attempts_email ON login_attempts (email, at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);
