-- depends: 0002_registry_and_cases
-- Expiry warnings already announced: one when a document nears its end of validity, one
-- when it has passed it.

CREATE TABLE document_warnings (
    document_id bigint      NOT NULL REFERENCES vault_documents (id) ON DELETE CASCADE,
    valid_until date        NOT NULL,
    expired     boolean     NOT NULL,
    sent_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (document_id, valid_until, expired)
);
