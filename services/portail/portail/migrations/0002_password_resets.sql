-- depends: 0001_accounts
-- Password resets by an emailed link: the token is kept only as its SHA-256, for one hour,
-- used once.

CREATE TABLE password_resets (
    token_hash  text        PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX password_resets_user ON password_resets (user_id, created_at);
