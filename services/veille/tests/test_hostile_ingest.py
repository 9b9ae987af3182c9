"""Bad inputs to the importer: each is quarantined with a clear reason, nothing else is lost,
nothing is expanded or read."""

import json

import pytest

from centrale.testing import prepared_settings
from veille.demo import DEMO_DATA
from veille.ingest import ingest_files

pytestmark = pytest.mark.integration

BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1) if i > 1 else "&lol;") * 10}">'
                  for i in range(1, 10))
        + ']><ANNONCE>&lol9;</ANNONCE>')
EXTERNAL = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
            '<ANNONCE><GESTION>&secret;</GESTION></ANNONCE>')


def test_every_bad_file_is_quarantined_and_the_good_one_imported(veille_db, tmp_path):
    bad = {
        "a-truncated.xml": (DEMO_DATA / "boamp-le-puy-restauration-scolaire.xml")
        .read_bytes()[:700],
        "b-bomb.xml": BOMB.encode(),
        "c-external-entity.xml": EXTERNAL.encode(),
        "d-wrong-shape.json": json.dumps({"hello": ["world"]}).encode(),
        "e-empty.json": b"",
        "f-huge.json": b'{"results": [' + b" " * (50 * 1024 * 1024) + b"]}",
    }
    for name, content in bad.items():
        (tmp_path / name).write_bytes(content)
    (tmp_path / "z-good.xml").write_bytes(
        (DEMO_DATA / "boamp-le-puy-restauration-scolaire.xml").read_bytes())

    report = ingest_files(veille_db, prepared_settings("veille"), [tmp_path], progress=False)

    assert report.created == 1 and report.quarantined == 6
    with veille_db.transaction() as conn:
        rows = {r["origin"].rsplit("/", 1)[-1]: r for r in conn.execute(
            "SELECT origin, reason, excerpt FROM quarantine").fetchall()}
    assert sorted(rows) == sorted(bad)
    assert "tronqué" in rows["a-truncated.xml"]["reason"]
    assert "DOCTYPE" in rows["b-bomb.xml"]["reason"]
    assert "DOCTYPE" in rows["c-external-entity.xml"]["reason"]
    assert "root:" not in rows["c-external-entity.xml"]["excerpt"]  # /etc/passwd never read
    assert "lollollol" not in rows["b-bomb.xml"]["excerpt"]  # nothing expanded
    assert rows["e-empty.json"]["reason"]
    assert "trop volumineux" in rows["f-huge.json"]["reason"]
    assert len(rows["f-huge.json"]["excerpt"]) <= 2000
    with veille_db.transaction() as conn:
        assert conn.execute("SELECT count(*) AS n FROM tenders").fetchone()["n"] == 1


def test_quarantine_is_listed_for_advisors_only(make_service_app, veille_db, tmp_path,
                                                service_headers, make_headers):
    (tmp_path / "broken.json").write_bytes(b"{")
    ingest_files(veille_db, prepared_settings("veille"), [tmp_path], progress=False)
    client = make_service_app("veille").test_client()
    listed = client.get("/api/quarantine", headers=service_headers)
    assert [r["origin"].rsplit("/", 1)[-1] for r in listed.json] == ["broken.json"]
    member = make_headers("membre", structure_id=1)
    assert client.get("/api/quarantine", headers=member).status_code == 403
