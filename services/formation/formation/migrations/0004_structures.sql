-- depends: 0003_session_moves
-- Formation's copy of accompagnement's registry (structure.registered / .updated over the
-- bus): a registration is for a structure of the registry, and its name is shown by it.

CREATE TABLE structures (
    id          bigint      PRIMARY KEY,
    name        text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
