-- depends: 0003_buyers_and_directory
-- Sessions held by the server: the cookie carries a random key whose SHA-256 is kept here, so
-- that logging out ends the session for any copy of the cookie (a signed cookie alone would
-- open the pages until it expires). Login attempts remember their account and address pair
-- for throttling (see portail.throttle).

CREATE TABLE login_sessions (
    key_hash    text        PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);

CREATE INDEX login_sessions_user ON login_sessions (user_id);
CREATE INDEX login_sessions_expiry ON login_sessions (expires_at);
CREATE INDEX login_attempts_failures ON login_attempts (email, ip, at) WHERE NOT success;
