"""centrale.files: the type read from the bytes, the names kept."""

import pytest

from centrale.files import accepted_type, checked_type, RefusedFile, safe_filename

PDF = "application/pdf"


@pytest.mark.parametrize("name, mime, kept", [
    ("../../etc/passwd", PDF, "passwd.pdf"),
    ("..\\..\\windows\\system.ini", PDF, "system.ini.pdf"),
    ("facture\u202efdp.exe", PDF, "facturefdp.exe.pdf"),     # right-to-left override
    ("rapport\u200b\u2066.pdf", PDF, "rapport.pdf"),          # zero-width, isolate
    ("a\u0000b\u0007c.PDF", PDF, "abc.pdf"),
    ("  ...  ", PDF, "document.pdf"),
    ("", "image/png", "document.png"),
    (None, "image/jpeg", "document.jpg"),
    ("photo.jpeg", "image/jpeg", "photo.jpeg"),
    ("con<>:\"|?*.pdf", PDF, "con_.pdf"),
    ("é" * 300 + ".pdf", PDF, "é" * 116 + ".pdf"),
    ("page.html", "application/octet-stream", "page.html.bin"),
])
def test_names_are_kept_clean_and_end_with_their_type(name, mime, kept):
    assert safe_filename(name, mime) == kept


@pytest.mark.parametrize("content", [
    b"<html><script>alert(1)</script></html>",
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b"",
    b"MZ\x90\x00",
    b"PK\x03\x04" + b"\x00" * 40,  # a ZIP that is no office document
])
def test_what_is_not_an_accepted_type_is_refused(content):
    assert accepted_type(content) is None
    with pytest.raises(RefusedFile, match="Type de fichier refusé"):
        checked_type(content)


def test_a_pdf_is_known_by_its_bytes():
    assert checked_type(b"%PDF-1.4\n%...") == PDF
