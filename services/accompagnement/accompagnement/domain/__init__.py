"""Pure domain of the accompagnement service.

Nothing in this package does I/O or imports Flask, psycopg, kombu or temporalio:
the API, the store and the Temporal workflows call these functions, never the
other way round. User-facing messages are in French; identifiers in English.
"""
