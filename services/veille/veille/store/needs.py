"""Buyers' needs, their attachments and the structures' answers; a validated need's tender is
stored through ``ingest_notice`` like every source's notice, in the same transaction as the
need's change and its event."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from centrale.events import Event
from centrale.outbox import record_events

from ..domain import needs
from .tenders import SERVICE, ingest_notice

NEED_COLUMNS = ("n.id, n.owner, n.buyer_name, n.buyer_siret, n.buyer_kind, n.buyer_contact,"
                " n.buyer_email, n.object, n.description, n.cpv_codes, n.departement, n.place,"
                " n.lots, n.deadline, n.budget_band, n.reservation, n.social_clause,"
                " n.insertion_hours, n.status, n.return_reason, n.reviewed_by, n.reviewed_at,"
                " n.tender_id, n.decided_at, n.created_at, n.updated_at,"
                " (SELECT count(*) FROM need_answers a WHERE a.need_id = n.id) AS answers")
EDITABLE = ("object", "description", "cpv_codes", "departement", "place", "lots", "deadline",
            "budget_band", "reservation", "social_clause", "insertion_hours")
ANSWER_COLUMNS = ("a.id, a.need_id, a.structure_id, coalesce(s.name, '') AS structure_name,"
                  " a.message, a.quote_filename, a.quote IS NOT NULL AS has_quote,"
                  " a.answered_by, a.contact_email, a.case_id, a.outcome, a.amount, a.decided_at, a.created_at,"
                  " n.object AS need_object, n.tender_id, n.buyer_name")


def _event(kind: str, need: dict[str, Any], **extra: Any) -> Event:
    data = {"need_id": need["id"], "object": need["object"], "buyer_name": need["buyer_name"],
            "buyer_kind": need["buyer_kind"], "buyer_email": need["buyer_email"],
            "buyer_contact": need["buyer_contact"], "tender_id": need.get("tender_id"), **extra}
    return Event(type=kind, subject=f"need:{need['id']}", producer=SERVICE, data=data)


def _values(values: dict[str, Any]) -> dict[str, Any]:
    return {**values, "lots": Jsonb(list(values.get("lots") or []))}


def create_need(conn: psycopg.Connection, owner: str, values: dict[str, Any]) -> dict[str, Any]:
    row = conn.execute(
        "INSERT INTO needs (owner, buyer_name, buyer_siret, buyer_kind, buyer_contact,"
        " buyer_email, object, description, cpv_codes, departement, place, lots, deadline,"
        " budget_band, reservation, social_clause, insertion_hours) VALUES (%(owner)s,"
        " %(buyer_name)s, %(buyer_siret)s, %(buyer_kind)s, %(buyer_contact)s, %(buyer_email)s,"
        " %(object)s, %(description)s, %(cpv_codes)s, %(departement)s, %(place)s, %(lots)s,"
        " %(deadline)s, %(budget_band)s, %(reservation)s, %(social_clause)s,"
        " %(insertion_hours)s) RETURNING id", {**_values(values), "owner": owner}).fetchone()
    need = get_need(conn, row["id"])
    record_events(conn, [_event("need.submitted", need)])
    return need


def get_need(conn: psycopg.Connection, need_id: int, lock: bool = False) -> dict[str, Any] | None:
    need = conn.execute(f"SELECT {NEED_COLUMNS} FROM needs n WHERE n.id = %s"
                        + (" FOR UPDATE" if lock else ""), (need_id,)).fetchone()
    if need is not None:
        need["attachments"] = conn.execute(
            "SELECT id, filename, content_type, size, created_at FROM need_attachments"
            " WHERE need_id = %s ORDER BY id", (need_id,)).fetchall()
    return need


def owner_of(conn: psycopg.Connection, need_id: int) -> str | None:
    row = conn.execute("SELECT owner FROM needs WHERE id = %s", (need_id,)).fetchone()
    return row["owner"] if row else None


def need_of_tender(conn: psycopg.Connection, tender_id: int) -> int | None:
    row = conn.execute("SELECT id FROM needs WHERE tender_id = %s", (tender_id,)).fetchone()
    return row["id"] if row else None


def list_needs(conn: psycopg.Connection, owner: str | None, status: str | None
               ) -> list[dict[str, Any]]:
    """A buyer's own needs (``owner``), or every need (staff); newest first."""
    return conn.execute(
        f"SELECT {NEED_COLUMNS} FROM needs n WHERE (%(owner)s::text IS NULL OR n.owner = %(owner)s)"
        " AND (%(status)s::text IS NULL OR n.status = %(status)s)"
        " ORDER BY n.created_at DESC, n.id DESC", {"owner": owner, "status": status}).fetchall()


def update_need(conn: psycopg.Connection, need_id: int, values: dict[str, Any]
                ) -> dict[str, Any]:
    """An edit submits the need again (a returned need goes back to the advisors)."""
    assignments = ", ".join(f"{name} = %({name})s" for name in EDITABLE)
    conn.execute(f"UPDATE needs SET {assignments}, status = 'submitted', return_reason = NULL,"
                 " updated_at = now() WHERE id = %(id)s", {**_values(values), "id": need_id})
    need = get_need(conn, need_id)
    record_events(conn, [_event("need.submitted", need)])
    return need


def publish(conn: psycopg.Connection, need: dict[str, Any], by: str, perimeter: set[str],
            today: date) -> dict[str, Any]:
    """Validated: the need's tender is stored like any notice (``tender.published`` follows,
    then matching and alerts), and the buyer is told."""
    tender_id, _outcome = ingest_notice(conn, needs.notice_of(need), perimeter, today)
    conn.execute("UPDATE needs SET status = 'published', reviewed_by = %s, reviewed_at = now(),"
                 " return_reason = NULL, tender_id = %s, updated_at = now() WHERE id = %s",
                 (by, tender_id, need["id"]))
    published = get_need(conn, need["id"])
    record_events(conn, [_event("need.published", published)])
    return published


def send_back(conn: psycopg.Connection, need: dict[str, Any], by: str, reason: str
              ) -> dict[str, Any]:
    conn.execute("UPDATE needs SET status = 'returned', reviewed_by = %s, reviewed_at = now(),"
                 " return_reason = %s, updated_at = now() WHERE id = %s",
                 (by, reason, need["id"]))
    returned = get_need(conn, need["id"])
    record_events(conn, [_event("need.returned", returned, reason=reason)])
    return returned


def add_attachment(conn: psycopg.Connection, need_id: int, filename: str, content_type: str,
                   content: bytes) -> dict[str, Any]:
    return conn.execute(
        "INSERT INTO need_attachments (need_id, filename, content_type, size, content)"
        " VALUES (%s, %s, %s, %s, %s) RETURNING id, filename, content_type, size, created_at",
        (need_id, filename, content_type, len(content), content)).fetchone()


def get_attachment(conn: psycopg.Connection, need_id: int, attachment_id: int
                   ) -> dict[str, Any] | None:
    return conn.execute("SELECT filename, content_type, content FROM need_attachments"
                        " WHERE need_id = %s AND id = %s", (need_id, attachment_id)).fetchone()


def structure_name(conn: psycopg.Connection, structure_id: int) -> str:
    row = conn.execute("SELECT name FROM structures WHERE id = %s", (structure_id,)).fetchone()
    return row["name"] if row else f"Structure n° {structure_id}"


def add_answer(conn: psycopg.Connection, need: dict[str, Any], structure_id: int, message: str,
               quote: tuple[str, str, bytes] | None, by: str,
               contact_email: str | None) -> dict[str, Any] | None:
    """The structure's « intéressé »; None when it answered this need already."""
    filename, content_type, content = quote or (None, None, None)
    row = conn.execute(
        "INSERT INTO need_answers (need_id, structure_id, message, quote_filename,"
        " quote_content_type, quote, answered_by, contact_email) VALUES (%s, %s, %s, %s, %s,"
        " %s, %s, %s) ON CONFLICT (need_id, structure_id) DO NOTHING RETURNING id",
        (need["id"], structure_id, message, filename, content_type, content, by,
         contact_email)).fetchone()
    if row is None:
        return None
    answer = get_answer(conn, row["id"])
    record_events(conn, [_event("need.answered", need, structure_id=structure_id,
                                structure_name=answer["structure_name"],
                                answer_id=answer["id"])])
    return answer


def get_answer(conn: psycopg.Connection, answer_id: int) -> dict[str, Any] | None:
    return conn.execute(f"SELECT {ANSWER_COLUMNS} FROM need_answers a JOIN needs n"
                        " ON n.id = a.need_id LEFT JOIN structures s ON s.id = a.structure_id"
                        " WHERE a.id = %s", (answer_id,)).fetchone()


def answers(conn: psycopg.Connection, need_id: int | None = None,
            structure_id: int | None = None) -> list[dict[str, Any]]:
    """A need's answers, or a structure's (or both narrowed), oldest first."""
    return conn.execute(
        f"SELECT {ANSWER_COLUMNS} FROM need_answers a JOIN needs n ON n.id = a.need_id"
        " LEFT JOIN structures s ON s.id = a.structure_id"
        " WHERE (%(need)s::bigint IS NULL OR a.need_id = %(need)s)"
        " AND (%(structure)s::bigint IS NULL OR a.structure_id = %(structure)s)"
        " ORDER BY a.created_at, a.id", {"need": need_id, "structure": structure_id}).fetchall()


def quote_of(conn: psycopg.Connection, answer_id: int) -> dict[str, Any] | None:
    return conn.execute("SELECT a.need_id, a.structure_id, a.quote_filename AS filename,"
                        " a.quote_content_type AS content_type, a.quote AS content"
                        " FROM need_answers a WHERE a.id = %s AND a.quote IS NOT NULL",
                        (answer_id,)).fetchone()


def answer_structure(conn: psycopg.Connection, answer_id: int) -> int | None:
    row = conn.execute("SELECT structure_id FROM need_answers WHERE id = %s",
                       (answer_id,)).fetchone()
    return row["structure_id"] if row else None


def link_case(conn: psycopg.Connection, answer_id: int, case_id: int) -> None:
    conn.execute("UPDATE need_answers SET case_id = %s WHERE id = %s", (case_id, answer_id))


def record_outcome(conn: psycopg.Connection, need: dict[str, Any],
                   chosen: dict[int, Any], perimeter: set[str], today: date) -> dict[str, Any]:
    """Whom the buyer chose (structure id -> amount or None) among those who answered, the
    others not chosen; the tender gets its award notice (its winners, with their SIRET when
    veille knows it: the structure's references), and impact is told (``need.decided``)."""
    conn.execute(
        "UPDATE need_answers SET outcome = CASE WHEN structure_id = ANY(%(chosen)s)"
        " THEN 'chosen' ELSE 'not_chosen' END, amount = (%(amounts)s::jsonb ->> structure_id::text)"
        "::numeric, decided_at = now() WHERE need_id = %(need)s",
        {"chosen": list(chosen), "need": need["id"],
         "amounts": Jsonb({str(k): (str(v) if v is not None else None)
                           for k, v in chosen.items()})})
    conn.execute("UPDATE needs SET status = 'decided', decided_at = now(), updated_at = now()"
                 " WHERE id = %s", (need["id"],))
    rows = conn.execute("SELECT s.id, s.name, s.siret FROM structures s WHERE s.id = ANY(%s)"
                        " ORDER BY s.id", (list(chosen),)).fetchall()
    known = {row["id"]: row for row in rows}
    winners = [needs.Winner(sid, known[sid]["name"] if sid in known else structure_name(conn, sid),
                            known[sid]["siret"] if sid in known else None, amount)
               for sid, amount in sorted(chosen.items())]
    if need["tender_id"] is not None:
        ingest_notice(conn, needs.outcome_notice(need, winners, today), perimeter, today)
    decided = get_need(conn, need["id"])
    record_events(conn, [_event(
        "need.decided", decided,
        outcomes=[{"structure_id": w.structure_id, "chosen": True,
                   "amount": float(w.amount) if w.amount is not None else None}
                  for w in winners]
        + [{"structure_id": a["structure_id"], "chosen": False, "amount": None}
           for a in answers(conn, need["id"]) if a["structure_id"] not in chosen])])
    return decided


def figures(conn: psycopg.Connection, start: date, end: date,
            departements: list[str] | None = None) -> dict[str, Any]:
    """Impact of the buyers' needs over a period (Paris days, both included): needs posted
    and published (in the départements asked, by the need's own), answers sent, and — by the
    day the buyer recorded it — contracts won by structures and their amounts, in all and by
    structure (veille knows no structure's département: the portail keeps a territory's
    structures)."""
    departements = sorted(set(departements or ()))
    period = {"start": start, "end": end}
    posted = conn.execute(
        "SELECT count(*) AS posted, count(*) FILTER (WHERE tender_id IS NOT NULL) AS published,"
        " count(*) FILTER (WHERE buyer_kind = 'private') AS private FROM needs"
        " WHERE (created_at AT TIME ZONE 'Europe/Paris')::date BETWEEN %(start)s AND %(end)s"
        " AND (cardinality(%(departements)s::text[]) = 0 OR departement = ANY(%(departements)s))",
        {**period, "departements": departements}).fetchone()
    answered = conn.execute(
        "SELECT count(*) AS answers, count(DISTINCT structure_id) AS structures"
        " FROM need_answers WHERE (created_at AT TIME ZONE 'Europe/Paris')::date"
        " BETWEEN %(start)s AND %(end)s", period).fetchone()
    won = conn.execute(
        "SELECT count(*) FILTER (WHERE outcome = 'chosen') AS won,"
        " count(*) FILTER (WHERE outcome = 'not_chosen') AS not_chosen,"
        " coalesce(sum(amount) FILTER (WHERE outcome = 'chosen'), 0) AS amount_won"
        " FROM need_answers WHERE (decided_at AT TIME ZONE 'Europe/Paris')::date"
        " BETWEEN %(start)s AND %(end)s", period).fetchone()
    by_structure = conn.execute(
        "SELECT structure_id,"
        " count(*) FILTER (WHERE (created_at AT TIME ZONE 'Europe/Paris')::date"
        "   BETWEEN %(start)s AND %(end)s) AS answers,"
        " count(*) FILTER (WHERE outcome = 'chosen' AND decided_here) AS won,"
        " count(*) FILTER (WHERE outcome = 'not_chosen' AND decided_here) AS not_chosen,"
        " coalesce(sum(amount) FILTER (WHERE outcome = 'chosen' AND decided_here), 0)"
        "   AS amount_won"
        " FROM (SELECT *, coalesce((decided_at AT TIME ZONE 'Europe/Paris')::date"
        "   BETWEEN %(start)s AND %(end)s, false) AS decided_here FROM need_answers"
        "   WHERE (created_at AT TIME ZONE 'Europe/Paris')::date BETWEEN %(start)s AND %(end)s"
        "   OR (decided_at AT TIME ZONE 'Europe/Paris')::date BETWEEN %(start)s AND %(end)s) a"
        " GROUP BY structure_id ORDER BY structure_id", period).fetchall()
    return {**period, **posted, **answered, **won, "departements": departements,
            "by_structure": by_structure}
