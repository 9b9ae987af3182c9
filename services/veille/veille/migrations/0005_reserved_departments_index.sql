-- depends: 0004_profiles_revision
-- "Reserved tenders in my département" was the slowest search on a million tenders (80 ms at
-- p95): the département index found ten times the rows the reservation then kept, and the
-- exact count read them all. The reserved tenders get a département index of their own.

CREATE INDEX tenders_reserved_departments ON tenders USING gin (departments)
    WHERE reserved <> '{}';
