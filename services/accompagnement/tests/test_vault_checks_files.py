"""The vault checks what it stores (point 6 of issue 16): the type read from the bytes against
an allow-list, names that cannot climb directories or hide their type, and downloads that no
browser renders."""

import io

import pytest
from docx import Document

from centrale.files import REFUSED_TYPE_MESSAGE

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
       b"<script>alert(1)</script></svg>")


def docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("Attestation d'assurance")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(client, headers, structure_id, content, filename, claimed):
    return client.post(f"/api/structures/{structure_id}/documents", headers=headers,
                       data={"kind": "assurance",
                             "file": (io.BytesIO(content), filename, claimed)},
                       content_type="multipart/form-data")


def download(client, headers, structure_id, document_id):
    return client.get(f"/api/structures/{structure_id}/documents/{document_id}/content",
                      headers=headers)


@pytest.mark.parametrize("content, filename, claimed", [
    (HTML, "attestation.pdf", "application/pdf"),        # HTML posing as PDF
    (SVG, "logo.svg", "image/svg+xml"),                  # an image with a script
    (HTML, "page.html", "text/html"),
    (b"MZ\x90\x00\x03\x00\x00\x00", "facture.pdf", "application/pdf"),  # a program
    (b"juste du texte", "notes.txt", "text/plain"),
])
def test_a_file_whose_bytes_are_not_an_accepted_type_is_refused(
        client, service_headers, new_structure, content, filename, claimed):
    structure = new_structure()
    refused = upload(client, service_headers, structure["id"], content, filename, claimed)
    assert refused.status_code == 422
    assert refused.json["errors"] == {"files": {"file": [REFUSED_TYPE_MESSAGE]}}
    assert client.get(f"/api/structures/{structure['id']}/documents",
                      headers=service_headers).json == []


@pytest.mark.parametrize("content, filename, claimed, kept, served_as", [
    (PDF, "../../etc/passwd", "text/html", "passwd.pdf", "application/pdf"),
    (PDF, "facture\u202efdp.exe", "application/pdf", "facturefdp.exe.pdf", "application/pdf"),
    (PNG, "/home/moi/photo chantier.PNG", "image/png", "photo chantier.png", "image/png"),
    (docx_bytes(), "mémoire:v2?.docx", "application/octet-stream", "mémoire_v2_.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_an_accepted_file_keeps_a_clean_name_and_goes_back_as_an_attachment(
        client, service_headers, new_structure, content, filename, claimed, kept, served_as):
    structure = new_structure()
    stored = upload(client, service_headers, structure["id"], content, filename, claimed)
    assert stored.status_code == 201, stored.json
    assert (stored.json["filename"], stored.json["content_type"]) == (kept, served_as)
    served = download(client, service_headers, structure["id"], stored.json["id"])
    assert served.data == content and served.mimetype == served_as
    assert served.headers["Content-Disposition"].startswith("attachment;")
    assert served.headers["X-Content-Type-Options"] == "nosniff"


def test_a_file_stored_before_the_checks_is_served_as_bytes_to_download(
        client, db, service_headers, new_structure):
    structure = new_structure()
    with db.transaction() as conn:
        document_id = conn.execute(
            "INSERT INTO vault_documents (structure_id, kind, title, filename, content_type,"
            " size_bytes, content, uploaded_by) VALUES (%s, 'assurance', 'Ancien', %s,"
            " 'text/html', %s, %s, 'tests') RETURNING id",
            (structure["id"], "../attestation.html", len(HTML), HTML)).fetchone()["id"]
    served = download(client, service_headers, structure["id"], document_id)
    assert served.data == HTML
    assert served.mimetype == "application/octet-stream"
    assert served.headers["Content-Disposition"].startswith(
        'attachment; filename="attestation.html.bin"')
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/api/structures", "/api/cases", "/openapi.json", "/healthz",
                                  "/api/nulle-part"])
def test_every_api_response_forbids_sniffing_and_running_anything(client, service_headers,
                                                                  path):
    response = client.get(path, headers=service_headers)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src" not in policy
