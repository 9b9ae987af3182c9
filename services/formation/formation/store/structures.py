"""Formation's copy of accompagnement's structures (``structure.registered`` / ``.updated``):
which structures a registration may be for."""

from __future__ import annotations

from typing import Any

import psycopg


def keep_structure(conn: psycopg.Connection, data: dict[str, Any]) -> None:
    conn.execute("INSERT INTO structures (id, name) VALUES (%(structure_id)s, %(legal_name)s)"
                 " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()",
                 {"structure_id": data["structure_id"],
                  "legal_name": data.get("legal_name") or ""})


def is_known(conn: psycopg.Connection, structure_id: int) -> bool:
    return conn.execute("SELECT 1 FROM structures WHERE id = %s",
                        (structure_id,)).fetchone() is not None
