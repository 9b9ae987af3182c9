"""Each person's choice per kind of notification (no row: the kind's default)."""

from __future__ import annotations

import psycopg

from ..domain.kinds import Mode


def modes_for(conn: psycopg.Connection, recipient: str) -> dict[str, Mode]:
    rows = conn.execute("SELECT kind, mode FROM preferences WHERE recipient = %s", (recipient,))
    return {row["kind"]: Mode(row["mode"]) for row in rows}


def mode_for(conn: psycopg.Connection, recipient: str, kind: str) -> Mode | None:
    row = conn.execute("SELECT mode FROM preferences WHERE recipient = %s AND kind = %s",
                       (recipient, kind)).fetchone()
    return Mode(row["mode"]) if row else None


def set_mode(conn: psycopg.Connection, recipient: str, kind: str, mode: Mode, by: str) -> None:
    conn.execute(
        "INSERT INTO preferences (recipient, kind, mode, updated_by) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (recipient, kind) DO UPDATE SET mode = EXCLUDED.mode,"
        " updated_by = EXCLUDED.updated_by, updated_at = now()",
        (recipient, kind, mode.value, by),
    )
