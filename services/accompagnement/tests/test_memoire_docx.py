"""The mémoire technique skeleton opens in python-docx and holds the structure's and the
tender's data, with the structure's social value."""

import io
from datetime import datetime

import pytest
from docx import Document

from .conftest import PARIS

pytestmark = pytest.mark.integration


def text_of(document) -> list[str]:
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return lines


def test_the_memoire_holds_the_structure_the_tender_and_its_lots(
        client, worker, service_headers, make_headers, new_structure, publish_tender, new_case):
    structure = new_structure(legal_name="Régie de quartier Solidarité Montreynaud")
    tender = publish_tender(deadline=datetime(2027, 1, 26, 12, 0, tzinfo=PARIS))
    case = new_case(structure, tender)
    response = client.get(f"/api/cases/{case['id']}/memoire.docx",
                          headers=make_headers("membre", structure_id=structure["id"]))
    assert response.status_code == 200
    assert response.mimetype == ("application/vnd.openxmlformats-officedocument."
                                 "wordprocessingml.document")
    assert "memoire-technique-dossier" in response.headers["Content-Disposition"]

    document = Document(io.BytesIO(response.data))
    lines = text_of(document)
    assert document.core_properties.title == f"Mémoire technique — {tender['title']}"
    assert lines[0] == "Mémoire technique"
    assert lines[1] == tender["title"]
    assert "Acheteur : Ville de Saint-Chamond" in lines
    assert "Date limite de remise des offres : mardi 26 janvier 2027 à 12 h 00" in lines
    assert "Candidat : Régie de quartier Solidarité Montreynaud" in lines
    assert f"SIRET | {structure['siret']}" in lines
    assert "Catégorie | Structure d'insertion — Atelier et chantier d'insertion (ACI)" in lines
    assert "Adresse | 12 rue Pierre Loti, 42000 Saint-Étienne" in lines
    assert "Effectif | 24 salariés" in lines
    assert "Chiffre d'affaires annuel | 480 000,00 €" in lines
    assert ("Interlocuteur | Nadia Benali, direction — direction@regie-montreynaud.fr"
            in lines)
    assert ("1 | Nettoyage de l'hôtel de ville | 90911200 | Réservé aux structures d'insertion "
            "par l'activité économique (art. L2113-13) | 130 000,00 €") in lines
    assert "2 | Entretien des espaces verts des gymnases | 77310000 | — | 80 000,00 €" in lines
    assert "Lot 1 — Nettoyage de l'hôtel de ville" in lines
    year = structure["references"][0]["year"]
    assert f"Nettoyage des écoles | Ville de Saint-Étienne | {year} | 95 000,00 €" in lines
    social = lines.index("6. Valeur sociale et ancrage territorial")
    assert lines[social + 1:social + 6] == [
        "Structure d'insertion par l'activité économique, Régie de quartier Solidarité "
        "Montreynaud accompagne vers l'emploi durable des personnes qui en sont éloignées.",
        "Heures d'insertion réalisées par an : 18 500 heures.",
        "Personnes accompagnées : 32.",
        "Emploi local : 85 % des salariés résident dans le département 42 Loire.",
        "Remettre en emploi les habitants du quartier par le nettoyage et l'entretien des "
        "espaces verts.",
    ]
    assert ("La consultation comporte des critères ou des clauses sociales : les engagements "
            "ci-dessus y répondent.") in lines
    assert any(line.startswith("[À compléter : ") for line in lines)
    outsider = make_headers("membre", structure_id=structure["id"] + 1000)
    assert client.get(f"/api/cases/{case['id']}/memoire.docx",
                      headers=outsider).status_code == 404


def test_text_xml_cannot_hold_never_breaks_the_memoire(
        client, worker, db, make_headers, new_structure, publish_tender, new_case):
    """Rows written before the APIs refused control characters, or mirrored from a notice:
    the mémoire leaves those characters out instead of answering 500."""
    structure = new_structure(legal_name="Régie de quartier Beaubrun")
    tender = publish_tender()
    case = new_case(structure, tender)
    with db.transaction() as conn:
        conn.execute("UPDATE structures SET legal_name = %s WHERE id = %s",
                     ("Régie\u0001 de quartier\x7f Beaubrun\x85", structure["id"]))
        conn.execute("UPDATE tenders SET title = %s, buyer_name = %s WHERE id = %s",
                     ("Nettoyage\u000b des écoles\ufffe", "Ville\u001f de Firminy",
                      tender["tender_id"]))
    response = client.get(f"/api/cases/{case['id']}/memoire.docx",
                          headers=make_headers("membre", structure_id=structure["id"]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    lines = text_of(document)
    assert "Candidat : Régie de quartier Beaubrun" in lines
    assert lines[1] == "Nettoyage des écoles"
    assert "Acheteur : Ville de Firminy" in lines
    assert document.core_properties.author == "Régie de quartier Beaubrun"
