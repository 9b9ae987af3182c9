"""The funders' report as a PDF (fpdf2, already formation's): the same figures, charts and
tables as the page. The bar charts are drawn with fpdf2's own rectangles and lines from the
report's ``Chart`` data — no charting library, nothing fetched; each bar carries its value
written above it, so the PDF's text holds every figure a chart shows."""

from __future__ import annotations

from datetime import date

from fpdf import FPDF

from centrale import french
from centrale.pdf_text import ENCODING, printable

from .funders_report import Chart, FundersReport

ISSUER = "Centrale des Marchés Solidaires — Loire Sud"
COLOURS = ((0, 90, 140), (30, 107, 58), (138, 75, 0))  # the page's Chart.js colours


def _day(text: str) -> str:
    try:
        return french.long_date(date.fromisoformat(text))
    except ValueError:
        return text


def _bar_value(value: float, money: bool) -> str:
    if money:
        return french.euros(value) or "0,00 €"
    return french.decimal_comma(value, 1)


def draw_chart(pdf: FPDF, chart: Chart) -> None:
    """A grouped bar chart, its legend, each bar's value above it, the labels under it."""
    width, height = pdf.epw, 52
    if pdf.get_y() + height + 30 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, printable(chart.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 7)
    for index, (name, _values) in enumerate(chart.series):
        pdf.set_fill_color(*COLOURS[index % len(COLOURS)])
        pdf.rect(pdf.get_x(), pdf.get_y() + 1, 3, 3, style="F")
        pdf.set_x(pdf.get_x() + 4)
        pdf.cell(pdf.get_string_width(printable(name)) + 6, 5, printable(name))
    pdf.ln(6)
    top, left = pdf.get_y() + 4, pdf.l_margin
    highest = max((v for _, values in chart.series for v in values), default=0) or 1
    groups = max(len(chart.labels), 1)
    slot = width / groups
    bar = min(slot * 0.8 / max(len(chart.series), 1), 14)
    pdf.set_draw_color(120, 120, 120)
    pdf.line(left, top + height, left + width, top + height)
    pdf.set_font("Helvetica", "", 5.5 if groups > 6 else 7)
    for group, label in enumerate(chart.labels):
        start = left + group * slot + (slot - bar * len(chart.series)) / 2
        for index, (_name, values) in enumerate(chart.series):
            value = values[group]
            tall = height * value / highest
            x = start + index * bar
            pdf.set_fill_color(*COLOURS[index % len(COLOURS)])
            if tall > 0:
                pdf.rect(x, top + height - tall, bar * 0.9, tall, style="F")
            text = printable(_bar_value(value, chart.money))
            pdf.set_xy(x - 4, top + height - tall - 3.5)
            pdf.cell(bar * 0.9 + 8, 3, text, align="C")
        pdf.set_xy(left + group * slot, top + height + 1)
        pdf.multi_cell(slot, 3, printable(label), align="C")
    pdf.set_xy(left, top + height + 10)
    # The tables after a chart must not inherit its colours.
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(0, 0, 0)


def _figures_table(pdf: FPDF, report: FundersReport) -> None:
    for section, items in report.sections:
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(0, 7, printable(section), new_x="LMARGIN", new_y="NEXT")
        with pdf.table(col_widths=(80, 40, 54), text_align=("LEFT", "RIGHT", "LEFT"),
                       line_height=5.5, first_row_as_headings=True) as table:
            pdf.set_font("Helvetica", "", 9)
            heading = table.row()
            for title in ("Indicateur", "Valeur", "Précision"):
                heading.cell(printable(title))
            for item in items:
                row = table.row()
                row.cell(printable(item.label))
                row.cell(printable(item.text))
                row.cell(printable(item.detail))
        pdf.ln(3)


def _months_table(pdf: FPDF, report: FundersReport) -> None:
    if not report.months:
        return
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, printable("Réponses déposées, marchés gagnés et montants, par mois"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    with pdf.table(col_widths=(50, 40, 40, 44), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
                   line_height=5) as table:
        heading = table.row()
        for title in ("Mois", "Réponses déposées", "Gagnés", "Montants gagnés"):
            heading.cell(printable(title))
        for label, row in zip(report.charts[0].labels, report.months):
            line = table.row()
            line.cell(printable(label))
            line.cell(french.whole_number(row["answers_submitted"]))
            line.cell(french.whole_number(row["won"]))
            line.cell(printable(french.euros(row["amount_won"]) or "—")
                      if "amount_won" in row else "—")


def _structures_table(pdf: FPDF, report: FundersReport) -> None:
    pdf.add_page(orientation="L")
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, printable("Par structure (réservé aux conseillers de la Centrale)"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 7)
    titles = ("Structure", "Dép.", "Diagnostics", "Réponses", "Gagnés", "Montants",
              "Rép. besoins", "Besoins obtenus", "Montants besoins", "H. accomp.",
              "H. formation", "Satisfaction", "H. insertion")
    with pdf.table(col_widths=(52, 10, 17, 15, 14, 26, 17, 17, 26, 18, 18, 18, 18),
                   line_height=4.5, text_align=("LEFT",) + ("RIGHT",) * 12) as table:
        heading = table.row()
        for title in titles:
            heading.cell(printable(title))
        for row in report.structures:
            line = table.row()
            for value in (
                    row.name, row.departement, french.whole_number(row.diagnoses),
                    french.whole_number(row.answers_submitted), french.whole_number(row.won),
                    french.euros(row.amount_won), french.whole_number(row.need_answers),
                    french.whole_number(row.need_won), french.euros(row.need_amount_won),
                    french.hours(row.coaching_hours), french.hours(row.training_hours),
                    "—" if row.satisfaction_mean is None
                    else f"{french.decimal_comma(row.satisfaction_mean, 1)} / 5",
                    "—" if row.insertion_hours is None else french.hours(row.insertion_hours)):
                line.cell(printable(str(value)))
    if not report.structures:
        pdf.cell(0, 8, printable("Aucune structure accompagnée dans la période."))


def report_pdf(report: FundersReport, issued_on: date, *, with_structures: bool = True) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_title(printable(f"Rapport d'impact — {report.start} au {report.end}"))
    pdf.set_author(printable(ISSUER))
    pdf.set_creator("Centrale — portail")
    pdf.set_lang("fr-FR")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, 16)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 5, printable(ISSUER), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 11, printable("Rapport d'impact pour les financeurs"), new_x="LMARGIN",
             new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, printable(
        f"Période : du {_day(report.start)} au {_day(report.end)}.\n"
        f"Territoire : {report.territory}.\nÉtabli le {french.long_date(issued_on)}."),
        new_x="LMARGIN", new_y="NEXT")
    if report.missing:
        pdf.multi_cell(0, 5, printable("Chiffres indisponibles à cette heure : "
                                       + ", ".join(report.missing) + "."),
                       new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _figures_table(pdf, report)
    for chart in report.charts:
        draw_chart(pdf, chart)
    _months_table(pdf, report)
    if with_structures:
        _structures_table(pdf, report)
    return bytes(pdf.output())
