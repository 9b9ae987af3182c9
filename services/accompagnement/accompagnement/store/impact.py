"""The records domain.impact computes the funders' figures from (dates as seen in Paris)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import psycopg

from ..domain.impact import (CaseRecord, CoachingRecord, DiagnosisRecord, ImpactInput,
                             InsertionRecord, StructureRecord)
from ..domain.stages import Stage
from ..domain.structures import Category


def impact_input(conn: psycopg.Connection, start: date, end: date,
                 departements: Iterable[str] = ()) -> ImpactInput:
    """Every structure (the domain keeps those of the territory), their cases opened by the
    period's end, their coaching hours and diagnoses of the period."""
    # The pool's session time zone is Europe/Paris: ::date is the day in Paris.
    structures = tuple(
        StructureRecord(str(row["id"]), Category(row["category"]), row["legal_name"],
                        row["departement"])
        for row in conn.execute("SELECT id, category, legal_name, departement FROM structures"))
    cases = tuple(
        CaseRecord(str(row["id"]), str(row["structure_id"]), Stage(row["stage"]),
                   row["opened_on"], row["submitted_on"], row["decided_on"],
                   row["outcome_amount"] if row["stage"] == Stage.WON.value else None,
                   row["consortium_formed_on"], row["closed_on"])
        for row in conn.execute(
            "SELECT c.id, c.structure_id, c.stage, c.opened_at::date AS opened_on,"
            " c.submitted_at::date AS submitted_on, c.decided_at::date AS decided_on,"
            " c.outcome_amount, c.consortium_formed_at::date AS consortium_formed_on,"
            " c.closed_at::date AS closed_on FROM cases c"
            " JOIN structures s ON s.id = c.structure_id WHERE c.opened_at::date <= %s", (end,)))
    coaching = tuple(
        CoachingRecord(str(row["structure_id"]), row["spent_on"], row["hours"], str(row["case_id"]))
        for row in conn.execute(
            "SELECT c.structure_id, t.spent_on, t.hours, t.case_id FROM case_time_entries t"
            " JOIN cases c ON c.id = t.case_id JOIN structures s ON s.id = c.structure_id"
            " WHERE t.spent_on BETWEEN %s AND %s", (start, end)))
    diagnoses = tuple(
        DiagnosisRecord(str(row["case_id"]), str(row["structure_id"]), row["completed_on"])
        for row in conn.execute(
            "SELECT d.case_id, c.structure_id, d.completed_at::date AS completed_on"
            " FROM diagnoses d JOIN cases c ON c.id = d.case_id"
            " WHERE d.completed_at::date BETWEEN %s AND %s", (start, end)))
    # The months the period touches; the tender's départements from accompagnement's copy of
    # veille's tenders, the winner's structure by its SIRET.
    insertion = tuple(
        InsertionRecord(str(row["contract_id"]), row["month"], row["hours"],
                        tuple(row["departments"] or ()),
                        str(row["structure_id"]) if row["structure_id"] else None)
        for row in conn.execute(
            "SELECT h.contract_id, h.month, h.hours, t.departments, s.id AS structure_id"
            " FROM clause_hours h JOIN clause_contracts k ON k.id = h.contract_id"
            " LEFT JOIN tenders t ON t.id = k.tender_id"
            " LEFT JOIN structures s ON s.siret = k.winner_siret"
            " WHERE h.month BETWEEN date_trunc('month', %s::date)::date AND %s", (start, end)))
    return ImpactInput(start, end, structures, cases, coaching, diagnoses,
                       frozenset(departements), insertion)
