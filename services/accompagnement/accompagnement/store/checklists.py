"""A case's answer file as a checklist: one row per document, with its status and dates."""

from __future__ import annotations

from typing import Any

import psycopg

from ..domain.checklist import ChecklistItem, DocumentKind, ItemStatus

COLUMNS = ("id, case_id, position, kind, status, required, issued_on, expires_on, document_id,"
           " comment, updated_by, updated_at")


def create_checklist(conn: psycopg.Connection, case_id: int, items: list[ChecklistItem],
                     document_ids: dict[DocumentKind, int], by: str) -> None:
    conn.execute("DELETE FROM checklist_items WHERE case_id = %s", (case_id,))
    for position, item in enumerate(items):
        conn.execute(
            "INSERT INTO checklist_items (case_id, position, kind, status, required, issued_on,"
            " expires_on, document_id, updated_by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (case_id, position, item.kind.value, item.status.value, item.required,
             item.issued_on, item.expires_on, document_ids.get(item.kind), by))


def checklist(conn: psycopg.Connection, case_id: int) -> list[dict[str, Any]]:
    return conn.execute(f"SELECT {COLUMNS} FROM checklist_items WHERE case_id = %s"
                        " ORDER BY position, id", (case_id,)).fetchall()


def get_item(conn: psycopg.Connection, case_id: int, kind: str) -> dict[str, Any] | None:
    return conn.execute(f"SELECT {COLUMNS} FROM checklist_items WHERE case_id = %s AND kind = %s",
                        (case_id, kind)).fetchone()


def update_item(conn: psycopg.Connection, case_id: int, kind: str, changes: dict[str, Any],
                by: str) -> None:
    columns = [name for name in ("status", "required", "issued_on", "expires_on", "document_id",
                                 "comment") if name in changes]
    assignments = "".join(f"{name} = %({name})s, " for name in columns)
    conn.execute(f"UPDATE checklist_items SET {assignments}updated_by = %(by)s,"
                 " updated_at = now() WHERE case_id = %(case)s AND kind = %(kind)s",
                 {**{name: changes[name] for name in columns}, "by": by, "case": case_id,
                  "kind": kind})


def as_domain(row: dict[str, Any]) -> ChecklistItem:
    return ChecklistItem(DocumentKind(row["kind"]), ItemStatus(row["status"]), row["required"],
                         row["issued_on"], row["expires_on"])
