"""Hostile and broken inputs: each must raise NoticeError, expand nothing and read nothing."""

import json
import time
from pathlib import Path

import pytest
from lxml import etree

from veille.domain.notices import MAX_INPUT_BYTES, NoticeError, normalize
from veille.domain.notices.safe_xml import secure_parser

DEMO_DATA = Path(__file__).resolve().parents[1] / "veille" / "demo_data"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE ANNONCE [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<ANNONCE><GESTION><REFERENCE><IDWEB>&lol9;</IDWEB></REFERENCE></GESTION></ANNONCE>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE ANNONCE [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<ANNONCE><GESTION><REFERENCE><IDWEB>26-1</IDWEB></REFERENCE><INDEXATION><RESUME_OBJET>&x;</RESUME_OBJET>
</INDEXATION></GESTION></ANNONCE>"""

EXTERNAL_PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE ANNONCE [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>
<ANNONCE><GESTION><REFERENCE><IDWEB>26-1</IDWEB></REFERENCE></GESTION></ANNONCE>"""


def test_billion_laughs_is_refused_at_once():
    started = time.monotonic()
    with pytest.raises(NoticeError, match="DOCTYPE") as error:
        normalize(BILLION_LAUGHS, "bomb.xml")
    assert time.monotonic() - started < 1
    assert "lollol" not in error.value.reason


@pytest.mark.parametrize("document", [EXTERNAL_ENTITY, EXTERNAL_PARAMETER_ENTITY])
def test_external_entities_are_refused_and_nothing_is_read(document):
    with pytest.raises(NoticeError, match="DOCTYPE") as error:
        normalize(document, "xxe.xml")
    assert "root:" not in str(error.value)


def test_doctype_hidden_in_utf16_is_refused():
    document = EXTERNAL_ENTITY.decode().replace('encoding="UTF-8"', "").encode("utf-16")
    with pytest.raises(NoticeError, match="DOCTYPE"):
        normalize(document, "xxe-utf16.xml")


def test_the_parser_itself_never_expands_nor_reads_even_without_the_doctype_check():
    # Defence in depth: should the DOCTYPE check be bypassed, lxml is still configured safely.
    tree = etree.fromstring(EXTERNAL_ENTITY, secure_parser())
    assert "root:" not in "".join(tree.itertext())
    assert etree.fromstring(EXTERNAL_PARAMETER_ENTITY, secure_parser()) is not None
    with pytest.raises(etree.XMLSyntaxError):  # libxml2 stops the amplification
        etree.fromstring(BILLION_LAUGHS, secure_parser())


def test_truncated_xml():
    data = (DEMO_DATA / "boamp-le-puy-restauration-scolaire.xml").read_bytes()
    with pytest.raises(NoticeError, match="tronqué"):
        normalize(data[: len(data) // 2], "truncated.xml")


def test_truncated_json():
    data = (DEMO_DATA / "decp-loire-marches.json").read_bytes()
    with pytest.raises(NoticeError, match="tronqué"):
        normalize(data[:-20], "truncated.json")


@pytest.mark.parametrize("data", [b"", b"   \n\t ", b"\xef\xbb\xbf"])
def test_empty_files(data):
    with pytest.raises(NoticeError, match="vide"):
        normalize(data, "empty")


@pytest.mark.parametrize("document", [
    {"foo": 1},
    [1, 2, 3],
    "a string",
    42,
    [],
    {"results": "not a list"},
    {"total_count": 1, "results": [{"objet": "no idweb"}]},
    {"marches": "nope"},
    {"marches": {"marche": [{"objet": "no id"}]}},
    {"releases": [{"ocid": "ocds-xxxx-1"}]},
])
def test_json_of_the_wrong_shape(document):
    with pytest.raises(NoticeError):
        normalize(json.dumps(document).encode(), "wrong.json")


def test_scraper_error_body_is_reported():
    document = {"ok": False, "url": "https://example.org", "status": 500, "data": {"error": "boom"}}
    with pytest.raises(NoticeError, match="ok=false, status 500"):
        normalize(json.dumps(document).encode(), "error.json")


def test_unknown_xml_root_and_binary_garbage():
    with pytest.raises(NoticeError, match="racine <html>"):
        normalize(b"<html><body>404</body></html>", "page.html")
    with pytest.raises(NoticeError, match="ni JSON ni XML"):
        normalize(b"\x89PNG\r\n\x1a\n\x00\x00", "image.png")


def test_deeply_nested_json():
    with pytest.raises(NoticeError, match="imbrication"):
        normalize(b"[" * 100_000 + b"]" * 100_000, "deep.json")


def test_input_over_20_mb_is_refused_before_parsing(monkeypatch):
    def parse_must_not_run(data):
        raise AssertionError("parsed a file over the limit")

    monkeypatch.setattr("veille.domain.notices.normalizer.load_document", parse_must_not_run)
    valid_but_huge = b'{"total_count": 0, "results": []}' + b" " * MAX_INPUT_BYTES
    assert MAX_INPUT_BYTES == 20 * 1024 * 1024
    with pytest.raises(NoticeError, match="trop volumineux"):
        normalize(valid_but_huge, "huge.json")


def test_size_limit_is_configurable():
    data = b'{"total_count": 0, "results": []}'
    assert normalize(data, "page.json") == []
    with pytest.raises(NoticeError, match="limite 10"):
        normalize(data, "page.json", max_bytes=10)


def test_error_carries_the_input_name():
    with pytest.raises(NoticeError) as error:
        normalize(b"{", "flux-boamp.json")
    assert error.value.source_name == "flux-boamp.json"


def test_control_characters_of_a_notice_are_left_out():
    """A title pasted with a control character in a JSON feed: XML, the APIs and the documents
    built from the notice cannot hold it, so the importer drops it (tabs and breaks stay)."""
    page = json.loads((DEMO_DATA / "boamp-api-page-loire-haute-loire.json").read_bytes())
    record = page["results"][0]
    title = record["objet"]
    dirty = "\u0001" + title[:5] + "\x7f\x9f" + title[5:] + "\ufffe\u001b"
    # Where the title is read from (the notice's own data, then its summary).
    assert title in record["donnees"]
    record["donnees"] = record["donnees"].replace(title, json.dumps(dirty)[1:-1])
    record["objet"] = dirty
    notices = normalize(json.dumps(page).encode(), "page.json")
    first = next(n for n in notices if n.source_id == record["idweb"])
    assert first.title == title
    forbidden = [ch for ch in json.dumps([n.to_dict() for n in notices], ensure_ascii=False)
                 if ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f or ch in "\ufffe\uffff"]
    assert forbidden == []
