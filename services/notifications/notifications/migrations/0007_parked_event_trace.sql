-- depends: 0006_grouped_emails
-- The trace an event was parked in (W3C traceparent/tracestate): when its structure arrives,
-- the event is routed again in its own trace, so its email is not counted in the structure's.
-- NULL when traces are off.

ALTER TABLE parked_events ADD COLUMN trace_context jsonb;
