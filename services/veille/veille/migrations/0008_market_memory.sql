-- depends: 0007_feed_polls
-- The market's memory read by buyer and winner pages: when each awarded contract ends (after
-- its avenants), from which renewals are computed again every day.

ALTER TABLE tenders ADD COLUMN contract_end date;
UPDATE tenders SET contract_end = coalesce((notice #>> '{contract,end}')::date,
                                           (notice ->> 'contract_end')::date)
 WHERE notice ? 'contract' OR notice ? 'contract_end';

CREATE INDEX tenders_contract_end ON tenders (contract_end) WHERE contract_end IS NOT NULL;
CREATE INDEX tenders_renewals ON tenders (renewal_expected_on) WHERE renewal_expected_on IS NOT NULL;
CREATE INDEX awards_winner_key ON awards (winner_key);
