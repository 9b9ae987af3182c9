"""Accompagnement's SQL through psycopg, one module per table family; every change that
others must hear of is written with its event (the outbox) in the same transaction."""

from .cases import (get_case, list_cases, open_case, record_stage_change,  # noqa: F401
                    stage_history)
