-- depends: 0005_calendar_feeds
-- Close stage changes of one case are told in one email: an email of a group waits a short
-- while before it leaves, and the group's later events rewrite it instead of adding one.

ALTER TABLE emails ADD COLUMN group_key text;

CREATE INDEX emails_group ON emails (recipient, group_key)
    WHERE status = 'pending' AND group_key IS NOT NULL;
