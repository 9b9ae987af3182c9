-- depends: 0003_notification_links
-- The trace of the event an email was queued for (W3C traceparent/tracestate), continued by
-- its sending. NULL when traces are off.

ALTER TABLE emails ADD COLUMN trace_context jsonb;
