"""The funders' report (``funders_report``): for advisors at « Impact » with each structure's
figures, as a PDF with the same charts and tables, and as a CSV; for anyone, without an
account, at « Rapport d'impact », its aggregates only (no structure named, small counts
withheld).

The period and the territory are asked in the address (``start``, ``end``, ``departements``
« 42, 43 »), so that a report can be linked to and downloaded as it was read."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from flask import Blueprint, Response, render_template, request

from centrale import french
from centrale.french import PARIS
from centrale.territory import InvalidDepartment, department_code

from ..clients import ApiError, call
from ..funders_pdf import report_pdf
from ..funders_report import FundersReport, build
from ..security import staff_required

blp = Blueprint("impact", __name__)


def period() -> tuple[str, str]:
    """The period asked, by default this year up to today — in Paris, not the server's zone."""
    today = datetime.now(PARIS).date()
    start = request.args.get("start") or date(today.year, 1, 1).isoformat()
    end = request.args.get("end") or today.isoformat()
    return start, end


def territory() -> tuple[tuple[str, ...], dict[str, list[str]]]:
    """The départements asked (« 42, 43 », « 42 43 »), as codes; a French error otherwise."""
    typed = request.args.get("departements", "")
    codes = set()
    for word in typed.replace(",", " ").replace(";", " ").split()[:20]:
        try:
            codes.add(department_code(word))
        except InvalidDepartment as error:
            return (), {"departements": [str(error)]}
    return tuple(sorted(codes)), {}


def gathered(as_service: bool = False) -> tuple[FundersReport | None, dict, str, str, str]:
    """The report of the period and territory asked, from the three services' figures."""
    start, end = period()
    departements, errors = territory()
    typed = request.args.get("departements", "")
    if errors:
        return None, errors, start, end, typed
    params = {"start": start, "end": end, "departement": list(departements)}
    try:
        impact = call("accompagnement", "GET", "/api/impact", params=params,
                      as_service=as_service)
    except ApiError as exc:
        if exc.status != 422:
            raise
        return None, exc.field_errors(), start, end, typed
    answers = {}
    for service, path in (("formation", "/api/figures"), ("veille", "/api/needs/figures")):
        try:
            answers[service] = call(service, "GET", path, params=params, as_service=as_service)
        except ApiError:
            answers[service] = None  # said on the page: « chiffres indisponibles »
    report = build(impact, answers["formation"], answers["veille"], departements)
    return report, {}, start, end, typed


@blp.get("/impact")
@staff_required
def impact():
    report, errors, start, end, typed = gathered()
    return render_template("impact/report.html", report=report, errors=errors, start=start,
                           end=end, departements=typed, public=False)


@blp.get("/rapport-d-impact")
def public_report():
    """Open to everyone: the aggregates only (``FundersReport.public``)."""
    report, errors, start, end, typed = gathered(as_service=True)
    return render_template("impact/report.html", report=report.public() if report else None,
                           errors=errors, start=start, end=end, departements=typed,
                           public=True)


def _file_name(extension: str) -> str:
    start, end = period()
    departements, _ = territory()
    where = ("-" + "-".join(departements)) if departements else ""
    return f"impact-{start}-{end}{where}.{extension}"


@blp.get("/impact.pdf")
@staff_required
def impact_pdf():
    report, errors, *_ = gathered()
    if report is None:
        return Response(" ".join(m for ms in errors.values() for m in ms), status=422,
                        mimetype="text/plain")
    return Response(report_pdf(report, datetime.now(PARIS).date()), mimetype="application/pdf",
                    headers={"Content-Disposition":
                             f'attachment; filename="{_file_name("pdf")}"'})


@blp.get("/impact.csv")
@staff_required
def impact_csv():
    """(section, indicateur, détail, valeur), then one row per structure; « ; » and a decimal
    comma, for a French spreadsheet."""
    report, errors, *_ = gathered()
    if report is None:
        return Response(" ".join(m for ms in errors.values() for m in ms), status=422,
                        mimetype="text/plain")
    return Response("\ufeff" + csv_text(report), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{_file_name("csv")}"'})


def csv_text(report: FundersReport) -> str:
    buffer = io.StringIO()
    out = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    out.writerow(("section", "indicateur", "détail", "valeur"))
    out.writerow(("Rapport", "Période", "début", report.start))
    out.writerow(("Rapport", "Période", "fin", report.end))
    out.writerow(("Rapport", "Territoire", "départements",
                  ", ".join(report.departements) or "tous"))
    for item in report.figures:
        out.writerow((item.section, item.label, item.detail, item.spreadsheet))
    for row in report.months:
        out.writerow(("Par mois", "Réponses déposées", row["month"][:7],
                      row["answers_submitted"]))
        out.writerow(("Par mois", "Marchés gagnés", row["month"][:7], row["won"]))
        out.writerow(("Par mois", "Montants gagnés", row["month"][:7],
                      french.decimal_comma(row["amount_won"], 2)))
        if "insertion_hours" in row:
            out.writerow(("Par mois", "Heures d'insertion", row["month"][:7],
                          french.decimal_comma(row["insertion_hours"], 2)))
    out.writerow(())
    out.writerow(("structure", "département", "diagnostics", "réponses déposées",
                  "marchés gagnés", "montants gagnés", "réponses aux besoins",
                  "besoins obtenus", "montants des besoins", "heures d'accompagnement",
                  "heures de formation", "personnes formées", "satisfaction",
                  "réponses au questionnaire", "heures d'insertion"))
    for row in report.structures:
        out.writerow((row.name, row.departement, row.diagnoses, row.answers_submitted, row.won,
                      french.decimal_comma(row.amount_won, 2), row.need_answers, row.need_won,
                      french.decimal_comma(row.need_amount_won, 2),
                      french.decimal_comma(row.coaching_hours, 2),
                      french.decimal_comma(row.training_hours, 2), row.people_present,
                      "" if row.satisfaction_mean is None
                      else french.decimal_comma(row.satisfaction_mean, 2),
                      row.satisfaction_answers,
                      "" if row.insertion_hours is None
                      else french.decimal_comma(row.insertion_hours, 2)))
    return buffer.getvalue()
