-- depends: 0002_procedures_search_profiles
-- Reserved tenders are the ones the structures look for most; in deadline order they get an
-- index of their own (a ninth of the tenders), so "reserved in my département, soonest first"
-- walks a short index instead of the whole deadline index.

CREATE INDEX tenders_reserved_deadline ON tenders (deadline, id) WHERE reserved <> '{}';
