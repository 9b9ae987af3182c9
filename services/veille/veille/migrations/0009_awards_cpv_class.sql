-- depends: 0008_market_memory
-- Who else wins on a winner's trades: its awards' CPV classes (four digits), kept on each award
-- so that a winner's page groups a class's few thousand awards through an index instead of
-- every award of every tender sharing a prefix (469 ms at p95 among 1,000,000 awards).

ALTER TABLE awards ADD COLUMN cpv_class text;
UPDATE awards a SET cpv_class = left(t.cpv_main, 4) FROM tenders t
 WHERE t.id = a.tender_id AND t.cpv_main IS NOT NULL;
CREATE INDEX awards_cpv_class ON awards (cpv_class, winner_key) WHERE cpv_class IS NOT NULL;
