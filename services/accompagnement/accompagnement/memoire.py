"""The mémoire technique skeleton of a case, as a .docx (python-docx).

Filled from what the platform knows — the structure, the tender and the lots the case
targets, the groupement — with the parts only the structure can write left as bracketed
"[À compléter : …]" prompts. A section presents the structure's social value (insertion
hours, people supported, local employment), which buyers weigh under social criteria.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any, Iterable

from docx import Document
from docx.shared import Pt, RGBColor

from .case_context import CaseContext
from .domain.consortium import ConsortiumRole
from centrale.cpv import full_cpv
from centrale.french import decimal_comma, euros, long_date, long_datetime, plural, whole_number
from .domain.reservations import Reservation
from .domain.structures import Category
from centrale.territory import department_label
from centrale.text import scrubbed

PROMPT_COLOUR = RGBColor(0x9C, 0x27, 0x00)


def build_memoire(context: CaseContext, members: Iterable[dict[str, Any]] = ()) -> bytes:
    # What XML cannot hold goes first: rows written before the APIs refused control characters,
    # or mirrored from a notice, would make python-docx raise (a 500).
    context, members = scrubbed(context), scrubbed(list(members))
    document = Document()
    document.core_properties.title = f"Mémoire technique — {context.tender.title}"
    document.core_properties.author = context.structure.legal_name
    document.core_properties.language = "fr-FR"
    _cover(document, context)
    _candidate(document, context, members)
    _need(document, context)
    _means(document, context)
    _method(document, context)
    _references(document, context)
    _social_value(document, context)
    _quality(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _prompt(document, text: str) -> None:
    run = document.add_paragraph().add_run(f"[À compléter : {text}]")
    run.italic = True
    run.font.color.rgb = PROMPT_COLOUR


def _table(document, rows: list[tuple[str, ...]], header: tuple[str, ...] | None = None) -> None:
    columns = len(header or rows[0])
    table = document.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    for cells, bold in ([(header, True)] if header else []) + [(row, False) for row in rows]:
        row = table.add_row().cells
        for cell, text in zip(row, cells):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold = bold
            run.font.size = Pt(10)


def _cover(document, context: CaseContext) -> None:
    tender = context.tender
    document.add_heading("Mémoire technique", level=0)
    document.add_paragraph(tender.title, style="Subtitle")
    facts = [f"Acheteur : {tender.buyer_name}", f"Référence : {tender.reference}",
             f"Procédure : {tender.procedure.label}"]
    if tender.deadline is not None:
        facts.append(f"Date limite de remise des offres : {long_datetime(tender.deadline)}")
    facts.append(f"Candidat : {context.structure.legal_name}")
    for fact in facts:
        document.add_paragraph(fact)


def _money(value) -> str:
    return euros(Decimal(value)) if value is not None else "non renseigné"


def _candidate(document, context: CaseContext, members: list[dict[str, Any]]) -> None:
    structure, doc = context.structure, context.structure_document
    document.add_heading("1. Présentation du candidat", level=1)
    category = structure.category.label
    if structure.insertion_kind is not None:
        category += f" — {structure.insertion_kind.label}"
    address = doc.get("address")
    capacities = doc["capacities"]
    insurance = "non renseignée"
    if capacities.get("insurance_coverage") is not None:
        insurance = f"{_money(capacities['insurance_coverage'])} par sinistre"
        if capacities.get("insurer"):
            insurance += f" ({capacities['insurer']}"
            if capacities.get("insurance_expires_on"):
                insurance += f", valable jusqu'au {long_date(capacities['insurance_expires_on'])}"
            insurance += ")"
    rows = [
        ("Raison sociale", structure.legal_name),
        ("SIRET", doc["siret"]),
        ("Forme juridique", structure.legal_form.label),
        ("Catégorie", category),
        ("Adresse", f"{address['street']}, {address['postal_code']} {address['city']}"
         if address else department_label(structure.departement)),
        ("Effectif", plural(capacities["headcount"], "salarié")
         if capacities.get("headcount") is not None else "non renseigné"),
        ("Chiffre d'affaires annuel", _money(capacities.get("annual_turnover"))),
        ("Assurance responsabilité civile", insurance),
    ]
    for contact in doc["contacts"][:1]:
        role = f", {contact['role']}" if contact.get("role") else ""
        rows.append(("Interlocuteur", f"{contact['name']}{role} — {contact['email']}"))
    _table(document, rows)
    if members:
        document.add_heading("Composition du groupement", level=2)
        _table(document, [(m["legal_name"], ConsortiumRole(m["role"]).label,
                           f"{decimal_comma(Decimal(m['share_percent']), 2)} %"
                           if m.get("share_percent") is not None else "à définir")
                          for m in members], header=("Membre", "Rôle", "Part du montant"))


def _need(document, context: CaseContext) -> None:
    tender = context.tender
    document.add_heading("2. Compréhension du besoin", level=1)
    document.add_paragraph(f"{tender.buyer_name} consulte pour : {tender.title}.")
    lots = context.lots
    if lots:
        rows = []
        for lot in lots:
            reservation = lot.reservation.label if lot.reservation is not Reservation.NONE else "—"
            amount = euros(lot.estimated_amount) if lot.estimated_amount else "—"
            rows.append((lot.number, lot.title, ", ".join(full_cpv(c) for c in lot.cpv_codes)
                         or "—", reservation, amount))
        document.add_paragraph("Lots visés par la présente offre :")
        _table(document, rows, header=("Lot", "Intitulé", "CPV", "Réservation",
                                       "Montant estimé HT"))
    _prompt(document, "reformuler les attentes de l'acheteur (cahier des clauses techniques), "
                      "les contraintes du site et les points de vigilance relevés à la visite")


def _means(document, context: CaseContext) -> None:
    capacities = context.structure_document["capacities"]
    document.add_heading("3. Moyens humains et matériels", level=1)
    if capacities.get("headcount") is not None:
        document.add_paragraph(
            f"{context.structure.legal_name} compte {plural(capacities['headcount'], 'salarié')}.")
    _prompt(document, "équipe affectée au marché (encadrants, qualifications, habilitations), "
                      "remplacement des absences")
    _prompt(document, "matériels, produits et véhicules mis à disposition")


def _method(document, context: CaseContext) -> None:
    document.add_heading("4. Méthodologie et organisation", level=1)
    for lot in context.lots or ():
        document.add_heading(f"Lot {lot.number} — {lot.title}", level=2)
        _prompt(document, "déroulé des prestations, fréquences, contrôle qualité et suivi "
                          "avec l'acheteur")
    if not context.lots:
        _prompt(document, "déroulé de la prestation, planning et suivi avec l'acheteur")


def _references(document, context: CaseContext) -> None:
    document.add_heading("5. Références", level=1)
    references = context.structure_document["references"]
    if references:
        _table(document, [(ref["title"], ref["buyer"], str(ref["year"]),
                           _money(ref["amount"]) if ref.get("amount") is not None else "—")
                          for ref in references],
               header=("Prestation", "Client", "Année", "Montant HT"))
    _prompt(document, "pour chaque référence proche du marché, le volume, la durée et une "
                      "attestation de bonne exécution")


def _social_value(document, context: CaseContext) -> None:
    structure, social = context.structure, context.structure_document["social_value"]
    document.add_heading("6. Valeur sociale et ancrage territorial", level=1)
    intro = {
        Category.INSERTION: "Structure d'insertion par l'activité économique, "
                            f"{structure.legal_name} accompagne vers l'emploi durable des "
                            "personnes qui en sont éloignées.",
        Category.EA: f"Entreprise adaptée, {structure.legal_name} emploie des travailleurs "
                     "en situation de handicap.",
        Category.ESAT: f"Établissement et service d'aide par le travail, {structure.legal_name} "
                       "offre une activité professionnelle et un accompagnement médico-social "
                       "à des travailleurs en situation de handicap.",
    }.get(structure.category, f"{structure.legal_name} appartient à l'économie sociale et "
                              f"solidaire ({structure.category.label}).")
    document.add_paragraph(intro)
    facts = []
    if social.get("insertion_hours_per_year") is not None:
        hours = whole_number(social["insertion_hours_per_year"])
        facts.append(f"Heures d'insertion réalisées par an : {hours} heures.")
    if social.get("people_supported") is not None:
        facts.append(f"Personnes accompagnées : {social['people_supported']}.")
    if social.get("local_employment_percent") is not None:
        facts.append(f"Emploi local : {decimal_comma(Decimal(social['local_employment_percent']))}"
                     f" % des salariés résident dans le département "
                     f"{department_label(structure.departement)}.")
    for fact in facts:
        document.add_paragraph(fact, style="List Bullet")
    if social.get("social_mission"):
        document.add_paragraph(social["social_mission"])
    if context.mirror is not None and context.mirror.get("social_criteria"):
        document.add_paragraph("La consultation comporte des critères ou des clauses sociales : "
                               "les engagements ci-dessus y répondent.")
    _prompt(document, "heures d'insertion dédiées au marché, parcours proposés aux salariés "
                      "(formation, accompagnement socio-professionnel) et partenaires de l'emploi")


def _quality(document) -> None:
    document.add_heading("7. Démarche qualité et environnementale", level=1)
    _prompt(document, "produits écolabellisés, gestion des déchets, déplacements, "
                      "certifications éventuelles")
