"""A structure's document vault: metadata, and the file itself when uploaded (size-limited)."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg

from ..domain.checklist import DocumentKind
from ..domain.vault import VaultDocument

COLUMNS = ("id, structure_id, kind, title, issued_on, expires_on, filename, content_type,"
           " size_bytes, content IS NOT NULL AS has_file, uploaded_by, uploaded_at")


def add_document(conn: psycopg.Connection, structure_id: int, kind: str, title: str,
                 issued_on: date | None, expires_on: date | None, filename: str | None,
                 content_type: str | None, content: bytes | None,
                 uploaded_by: str) -> dict[str, Any]:
    return conn.execute(
        "INSERT INTO vault_documents (structure_id, kind, title, issued_on, expires_on, filename,"
        " content_type, size_bytes, content, uploaded_by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s,"
        f" %s, %s) RETURNING {COLUMNS}",
        (structure_id, kind, title, issued_on, expires_on, filename, content_type,
         len(content) if content is not None else None, content, uploaded_by)).fetchone()


def list_documents(conn: psycopg.Connection, structure_id: int) -> list[dict[str, Any]]:
    return conn.execute(f"SELECT {COLUMNS} FROM vault_documents WHERE structure_id = %s"
                        " ORDER BY kind, uploaded_at DESC, id DESC", (structure_id,)).fetchall()


def get_document(conn: psycopg.Connection, structure_id: int,
                 document_id: int) -> dict[str, Any] | None:
    return conn.execute(f"SELECT {COLUMNS} FROM vault_documents WHERE structure_id = %s"
                        " AND id = %s", (structure_id, document_id)).fetchone()


def document_content(conn: psycopg.Connection, structure_id: int,
                     document_id: int) -> dict[str, Any] | None:
    return conn.execute("SELECT filename, content_type, content FROM vault_documents"
                        " WHERE structure_id = %s AND id = %s AND content IS NOT NULL",
                        (structure_id, document_id)).fetchone()


def delete_document(conn: psycopg.Connection, structure_id: int, document_id: int) -> bool:
    return conn.execute("DELETE FROM vault_documents WHERE structure_id = %s AND id = %s"
                        " RETURNING id", (structure_id, document_id)).fetchone() is not None


def as_domain(row: dict[str, Any]) -> VaultDocument:
    return VaultDocument(DocumentKind(row["kind"]), row["issued_on"], row["expires_on"],
                         str(row["id"]))


def all_documents(conn: psycopg.Connection) -> list[dict[str, Any]]:
    return conn.execute(f"SELECT {COLUMNS} FROM vault_documents"
                        " ORDER BY structure_id, id").fetchall()


def warning_sent(conn: psycopg.Connection, document_id: int, valid_until: date,
                 expired: bool) -> bool:
    return conn.execute("SELECT 1 FROM document_warnings WHERE document_id = %s"
                        " AND valid_until = %s AND expired = %s",
                        (document_id, valid_until, expired)).fetchone() is not None


def record_warning(conn: psycopg.Connection, document_id: int, valid_until: date,
                   expired: bool) -> bool:
    """False when this warning was already recorded (sent)."""
    return conn.execute(
        "INSERT INTO document_warnings (document_id, valid_until, expired) VALUES (%s, %s, %s)"
        " ON CONFLICT DO NOTHING RETURNING document_id",
        (document_id, valid_until, expired)).fetchone() is not None
