-- depends: 0000_centrale_bus
-- Events leave the outbox in the order they were written. created_at is the transaction's
-- start time (now()), the same for every event of one transaction, and ids are random: a
-- tender's "published" could overtake its "updated". A sequence gives the order.

ALTER TABLE centrale_outbox ADD COLUMN seq bigserial;
ALTER TABLE centrale_outbox ALTER COLUMN created_at SET DEFAULT clock_timestamp();
DROP INDEX centrale_outbox_pending;
CREATE INDEX centrale_outbox_pending ON centrale_outbox (seq) WHERE published_at IS NULL;
