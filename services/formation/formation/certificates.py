"""The attendance certificate (« attestation de présence ») as a PDF, with fpdf2.

Its text goes through ``centrale.pdf_text.printable`` (fpdf2's core Helvetica font in the
Windows-1252 encoding: no font file ships with the image).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from fpdf import FPDF

from centrale.french import hours, long_date, time_span
from centrale.pdf_text import ENCODING, printable

ISSUER = "Centrale des Marchés Solidaires — Loire Sud"


def certificate_number(registration_id: int, starts_at: datetime) -> str:
    return f"CMS-F-{starts_at.year}-{registration_id:06d}"


def certificate_pdf(data: dict[str, Any], issued_on: date) -> bytes:
    """``data``: registration_id, person_name, structure_id, module_title, objectives,
    starts_at, ends_at, place, trainer, attended_hours."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.core_fonts_encoding = ENCODING
    number = certificate_number(data["registration_id"], data["starts_at"])
    pdf.set_title(printable(f"Attestation de présence — {data['person_name']}"))
    pdf.set_author(printable(ISSUER))
    pdf.set_subject(printable(f"Formation « {data['module_title']} »"))
    pdf.set_creator("Centrale — formation")
    pdf.set_lang("fr-FR")
    pdf.set_margins(22, 22, 22)
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 6, printable(ISSUER), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 5, printable(f"Attestation n° {number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(18)

    pdf.set_font("Helvetica", "B", 22)
    pdf.cell(0, 12, printable("Attestation de présence"), align="C", new_x="LMARGIN",
             new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    pdf.cell(0, 8, printable("à une action de formation"), align="C", new_x="LMARGIN",
             new_y="NEXT")
    pdf.ln(14)

    pdf.set_font("Helvetica", "", 12)
    pdf.multi_cell(0, 7, printable("La Centrale des Marchés Solidaires atteste que"),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, printable(data["person_name"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    pdf.ln(2)
    pdf.multi_cell(0, 7, printable(
        f"a suivi la formation « {data['module_title']} », "
        f"{time_span(data['starts_at'], data['ends_at'])}, "
        f"pour une durée de {hours(Decimal(data['attended_hours']))}."),
        new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    details = [("Lieu", data["place"]), ("Formateur ou formatrice", data["trainer"])]
    if data.get("objectives"):
        details.append(("Objectifs", data["objectives"]))
    for label, value in details:
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(55, 7, printable(f"{label} :"))
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 7, printable(str(value)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(16)
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 7, printable(f"Fait à Saint-Étienne, le {long_date(issued_on)}."),
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.cell(0, 7, printable("Pour la Centrale des Marchés Solidaires, le service formation."),
             new_x="LMARGIN", new_y="NEXT")

    pdf.set_y(-30)
    pdf.set_font("Helvetica", "I", 8)
    pdf.multi_cell(0, 4, printable(
        "Attestation établie d'après la feuille de présence de la session. "
        "Elle peut être jointe à un dossier de candidature pour justifier d'une formation "
        "à la commande publique."), align="C")
    return bytes(pdf.output())
