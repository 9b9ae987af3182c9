-- depends: 0003_document_warnings
-- What became of the tenders cases answer (veille's tender.awarded and tender.cancelled):
-- awarded, unsuccessful (« infructueux ») or cancelled (« sans suite »), and when it was heard.

ALTER TABLE tenders
    ADD COLUMN result text CHECK (result IN ('awarded', 'unsuccessful', 'cancelled')),
    ADD COLUMN result_at timestamptz;
