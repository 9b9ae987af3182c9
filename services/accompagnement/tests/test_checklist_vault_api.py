"""The document vault (files in PostgreSQL, expiry warnings) and the answer's checklist, whose
dated documents must still be valid on the deadline day."""

import io
from datetime import datetime, timedelta

import pytest

from centrale.french import long_date

from .conftest import PARIS

pytestmark = pytest.mark.integration

DEADLINE = datetime(2027, 1, 26, 12, 0, tzinfo=PARIS)


def upload(client, headers, structure_id, kind, content=None, **dates):
    data = {"kind": kind, **{name: value for name, value in dates.items() if value}}
    if content is not None:
        data["file"] = (io.BytesIO(content), f"{kind}.pdf", "application/pdf")
    return client.post(f"/api/structures/{structure_id}/documents", headers=headers, data=data,
                       content_type="multipart/form-data")


def test_the_vault_keeps_files_and_their_validity(client, service_headers, make_headers,
                                                  new_structure):
    structure = new_structure()
    pdf = b"%PDF-1.4 attestation de vigilance URSSAF"
    stored = upload(client, service_headers, structure["id"], "attestation_urssaf", pdf,
                    issued_on="2026-09-10")
    assert stored.status_code == 201, stored.json
    document = stored.json
    assert (document["title"], document["valid_until"], document["has_file"],
            document["size_bytes"]) == ("Attestation de vigilance URSSAF", "2027-03-09", True,
                                        len(pdf))
    content = client.get(f"/api/structures/{structure['id']}/documents/{document['id']}/content",
                         headers=service_headers)
    assert content.data == pdf and content.mimetype == "application/pdf"
    assert 'filename="attestation_urssaf.pdf"' in content.headers["Content-Disposition"]

    metadata_only = upload(client, service_headers, structure["id"], "kbis",
                           issued_on="2026-11-02")
    assert metadata_only.json["has_file"] is False
    assert metadata_only.json["valid_until"] == "2027-02-01"
    assert client.get(f"/api/structures/{structure['id']}/documents/"
                      f"{metadata_only.json['id']}/content",
                      headers=service_headers).status_code == 404

    wrong = upload(client, service_headers, structure["id"], "carte_grise",
                   issued_on="2026-12-01", expires_on="2026-11-01")
    assert wrong.status_code == 422
    assert set(wrong.json["errors"]["form"]) == {"kind"}
    reversed_dates = upload(client, service_headers, structure["id"], "assurance",
                            issued_on="2026-12-01", expires_on="2026-11-01")
    assert reversed_dates.json["errors"]["form"] == {
        "expires_on": ["La fin de validité précède la date de délivrance."]}
    too_big = upload(client, service_headers, structure["id"], "kbis", b"x" * (1024 * 1024 + 1))
    assert too_big.status_code == 413
    assert too_big.json["detail"] == "Le fichier dépasse la taille admise (1024 Kio)."

    member = make_headers("membre", structure_id=structure["id"])
    assert len(client.get(f"/api/structures/{structure['id']}/documents",
                          headers=member).json) == 2
    outsider = make_headers("membre", structure_id=structure["id"] + 1000)
    assert client.get(f"/api/structures/{structure['id']}/documents/{document['id']}/content",
                      headers=outsider).status_code == 404
    assert client.delete(f"/api/structures/{structure['id']}/documents/{document['id']}",
                         headers=member).status_code == 204


def test_documents_about_to_expire_are_flagged(client, service_headers, new_structure):
    structure = new_structure()
    today = datetime.now(PARIS).date()
    soon, gone, fine = today + timedelta(days=10), today - timedelta(days=3), today + \
        timedelta(days=100)
    upload(client, service_headers, structure["id"], "assurance", expires_on=soon.isoformat())
    upload(client, service_headers, structure["id"], "justificatif_statut",
           expires_on=gone.isoformat())
    upload(client, service_headers, structure["id"], "dume", expires_on=fine.isoformat())
    warnings = client.get(f"/api/structures/{structure['id']}/documents/warnings",
                          headers=service_headers).json
    assert [(w["kind"], w["days_left"], w["message"]) for w in warnings] == [
        ("justificatif_statut", -3,
         "Justificatif du statut (conventionnement SIAE, agrément EA/ESAT ou ESUS) : validité "
         f"terminée le {long_date(gone)}, à renouveler."),
        ("assurance", 10, "Attestation d'assurance responsabilité civile professionnelle : "
                          f"valable jusqu'au {long_date(soon)} (encore 10 jours), à renouveler."),
    ]
    assert len(client.get(f"/api/structures/{structure['id']}/documents/warnings?days=120",
                          headers=service_headers).json) == 3


def test_the_checklist_is_filled_from_the_vault_and_checked_against_the_deadline_day(
        client, worker, service_headers, make_headers, new_structure, publish_tender, new_case):
    structure = new_structure()  # an association: no Kbis, the SIRENE notice instead
    for kind, dates in (("attestation_urssaf", {"issued_on": "2026-03-01"}),
                        ("attestation_urssaf", {"issued_on": "2026-09-10"}),
                        ("avis_sirene", {"issued_on": "2026-10-01"}),
                        ("assurance", {"expires_on": "2027-06-30"})):
        assert upload(client, service_headers, structure["id"], kind, **dates).status_code == 201
    case = new_case(structure, publish_tender(deadline=DEADLINE))
    made = client.post(f"/api/cases/{case['id']}/checklist", headers=service_headers, json={})
    assert made.status_code == 201, made.json
    checklist = made.json
    items = {item["kind"]: item for item in checklist["items"]}
    # A MAPA with a lot reserved to SIAE: DC1/DC2, proof of status, the SIRENE notice.
    assert list(items) == ["dc1", "dc2", "attestation_urssaf", "attestation_fiscale",
                           "avis_sirene", "assurance", "references", "memoire_technique", "bpu",
                           "acte_engagement", "justificatif_statut"]
    assert checklist["deadline_day"] == "2027-01-26"
    assert (items["attestation_urssaf"]["status"], items["attestation_urssaf"]["valid_until"]) \
        == ("fourni", "2027-03-09")  # the newer of the two
    # Issued 01/10/2026, valid until 31/12/2026: expired on the deadline day; one issued on
    # 27/10/2026 or later would do.
    assert (items["avis_sirene"]["status"], items["avis_sirene"]["valid_until"],
            items["avis_sirene"]["renew_from"]) == ("expire", "2026-12-31", "2026-10-27")
    assert (items["assurance"]["status"], items["assurance"]["valid_until"]) == (
        "fourni", "2027-06-30")
    assert items["attestation_fiscale"]["status"] == "a_fournir"
    assert checklist["complete"] is False
    assert "avis_sirene" in checklist["missing"] and "assurance" not in checklist["missing"]
    assert client.post(f"/api/cases/{case['id']}/checklist", headers=service_headers,
                       json={}).status_code == 409

    member = make_headers("membre", structure_id=structure["id"])
    renewed = client.patch(f"/api/cases/{case['id']}/checklist/avis_sirene", headers=member,
                           json={"issued_on": "2026-11-15"})
    item = {i["kind"]: i for i in renewed.json["items"]}["avis_sirene"]
    assert (item["status"], item["valid_until"]) == ("fourni", "2027-02-14")
    fiscal = upload(client, service_headers, structure["id"], "attestation_fiscale",
                    issued_on="2026-12-01").json
    attached = client.patch(f"/api/cases/{case['id']}/checklist/attestation_fiscale",
                            headers=member, json={"document_id": fiscal["id"]})
    item = {i["kind"]: i for i in attached.json["items"]}["attestation_fiscale"]
    assert (item["status"], item["document_id"], item["valid_until"]) == (
        "fourni", fiscal["id"], "2027-05-31")
    assert client.patch(f"/api/cases/{case['id']}/checklist/assurance", headers=member,
                        json={"status": "valide"}).status_code == 403
    validated = client.patch(f"/api/cases/{case['id']}/checklist/assurance",
                             headers=service_headers, json={"status": "valide"})
    assert {i["kind"]: i for i in validated.json["items"]}["assurance"]["status"] == "valide"
    assert client.patch(f"/api/cases/{case['id']}/checklist/dc4", headers=service_headers,
                        json={"status": "fourni"}).status_code == 404
    assert client.patch(f"/api/cases/{case['id']}/checklist/dc1", headers=service_headers,
                        json={"status": "perdu"}).status_code == 422
    other = new_structure()
    foreign = upload(client, service_headers, other["id"], "dc1").json
    assert client.patch(f"/api/cases/{case['id']}/checklist/dc1", headers=service_headers,
                        json={"document_id": foreign["id"]}).status_code == 422
