-- depends: 0001_centrale_outbox_order
-- The trace an event belongs to (W3C traceparent/tracestate of the span that recorded it),
-- sent as AMQP headers by the relay so that its consumers continue the same trace. NULL when
-- traces are off.

ALTER TABLE centrale_outbox ADD COLUMN trace_context jsonb;
