-- depends: 0003_reserved_index
-- Matching processes keep the alert profiles in memory and look for changes before every
-- tender. One counter, bumped in the same transaction as any write to the profiles, lets them
-- see "nothing changed" in one row instead of re-reading the recently changed profiles.

CREATE TABLE alert_profiles_revision (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    revision   bigint  NOT NULL
);
INSERT INTO alert_profiles_revision (singleton, revision) VALUES (true, 0);

CREATE FUNCTION bump_alert_profiles_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE alert_profiles_revision SET revision = revision + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER alert_profiles_revision AFTER INSERT OR UPDATE OR DELETE ON alert_profiles
    FOR EACH STATEMENT EXECUTE FUNCTION bump_alert_profiles_revision();
