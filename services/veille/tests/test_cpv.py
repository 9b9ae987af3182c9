"""CPV reference data: both file formats, the hierarchy, the command, labels in explanations."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from centrale.testing import isolated_environment
from veille.domain.cpv import cpv_parent, read_cpv_file
from veille.matcher import Matcher

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"
EFORMS_FR = SAMPLES / "codelists" / "eforms-sdk_translations_code_fr.xml"

OFFICIAL = """<?xml version="1.0" encoding="UTF-8"?>
<CPV_CODE>
  <CPV CODE="90000000-7"><TEXT LANG="EN">Sewage, refuse, cleaning and environmental services</TEXT>
    <TEXT LANG="FR">Services relatifs aux eaux usées, aux déchets, au nettoyage et à l'environnement</TEXT></CPV>
  <CPV CODE="90910000-9"><TEXT LANG="EN">Cleaning services</TEXT><TEXT LANG="FR">Services de nettoyage</TEXT></CPV>
  <CPV CODE="90911000-6"><TEXT LANG="FR">Services de nettoyage de logements, de bâtiments et de vitres</TEXT></CPV>
  <CPV CODE="90911200-8"><TEXT LANG="FR">Services de nettoyage de bâtiments</TEXT></CPV>
</CPV_CODE>
"""


def test_the_official_format_gives_codes_without_check_digit_labels_and_parents():
    entries = read_cpv_file(OFFICIAL.encode(), "cpv_2008.xml")
    assert [(e.code, e.parent) for e in entries] == [
        ("90000000", None), ("90910000", "90900000"), ("90911000", "90910000"),
        ("90911200", "90911000")]
    assert entries[1].label_fr == "Services de nettoyage"
    assert entries[1].label_en == "Cleaning services"


def test_parents_climb_one_significant_digit_at_a_time():
    assert cpv_parent("90911200") == "90911000"
    assert cpv_parent("45000000") is None
    assert cpv_parent("45100000") == "45000000"


def test_the_eforms_translation_file_holds_the_whole_vocabulary():
    if not EFORMS_FR.exists():
        pytest.skip("../shared/samples absent")
    entries = {e.code: e for e in read_cpv_file(EFORMS_FR.read_bytes(), EFORMS_FR.name)}
    assert len(entries) == 9454
    assert entries["90911200"].label_fr == "Services de nettoyage de bâtiments"
    assert entries["90911200"].parent == "90911000"


def test_a_file_without_cpv_is_a_clear_error():
    with pytest.raises(ValueError, match="aucun code CPV"):
        read_cpv_file(b"<properties><entry key='x'>y</entry></properties>", "autre.xml")
    with pytest.raises(ValueError, match="DOCTYPE"):
        read_cpv_file(b'<!DOCTYPE x [<!ENTITY a "b">]><CPV_CODE/>', "piege.xml")


@pytest.mark.integration
def test_the_command_loads_labels_that_explanations_then_use(tmp_path, veille_db,
                                                             make_service_app, service_headers):
    path = tmp_path / "cpv_2008.xml"
    path.write_text(OFFICIAL, encoding="utf-8")
    env = {**os.environ, **isolated_environment("veille")}
    command = [str(Path(sys.executable).parent / "veille"), "cpv", str(path)]
    dry = subprocess.run(command + ["--dry-run"], env=env, capture_output=True, text=True)
    assert dry.returncode == 0 and "4 codes lus, rien n'est écrit" in dry.stdout
    with veille_db.transaction() as conn:
        assert conn.execute("SELECT count(*) AS n FROM cpv_codes").fetchone()["n"] == 0
    real = subprocess.run(command, env=env, capture_output=True, text=True)
    assert real.returncode == 0, real.stderr
    client = make_service_app("veille").test_client()
    looked_up = client.get("/api/cpv?prefix=9091", headers=service_headers).json
    assert [c["code"] for c in looked_up] == ["90910000", "90911000", "90911200"]
    client.post("/api/profiles", headers=service_headers,
                json={"structure_id": 4, "name": "Nettoyage", "cpv_prefixes": ["9091"]})
    tender = client.post("/api/tenders", headers=service_headers, json={
        "source": "manuel", "source_id": "m-1", "title": "Nettoyage de la mairie",
        "buyer": {"name": "Ville de Firminy"}, "cpv_main": "90911200",
        "place": {"departments": ["42"]}}).json
    with veille_db.transaction() as conn:
        [match] = Matcher().match_tender(conn, tender["id"])
    assert match.reasons[0] == "CPV 90911200 (Services de nettoyage de bâtiments) sous votre 9091"
