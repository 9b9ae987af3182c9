"""`veille normalize FILE...`: JSON lines on stdout, errors on stderr, exit status."""

import json
from pathlib import Path

from veille.normalize_cli import main

DEMO_DATA = Path(__file__).resolve().parents[1] / "veille" / "demo_data"
PAGE = DEMO_DATA / "boamp-api-page-loire-haute-loire.json"
XML = DEMO_DATA / "boamp-le-puy-restauration-scolaire.xml"


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_one_valid_file_prints_one_line_per_notice(capsys):
    assert main([str(PAGE)]) == 0
    out, err = capsys.readouterr()
    notices = lines(out)
    assert [n["source_id"] for n in notices] == ["26-118204", "26-118342", "26-119877", "26-119003"]
    assert err == ""
    assert "Département de la Loire" in out  # ensure_ascii=False: accents kept as is


def test_a_bad_file_in_the_middle_is_reported_and_the_others_still_print(tmp_path, capsys):
    broken = tmp_path / "tronque.xml"
    broken.write_bytes(XML.read_bytes()[:500])
    missing = tmp_path / "absent.json"
    assert main([str(XML), str(broken), str(missing), str(PAGE)]) == 1
    out, err = capsys.readouterr()
    assert [n["source_id"] for n in lines(out)] == ["26-121456", "26-118204", "26-118342", "26-119877", "26-119003"]
    errors = err.splitlines()
    assert len(errors) == 2
    assert errors[0].startswith(f"veille normalize: {broken}: XML illisible ou tronqué")
    assert errors[1].startswith(f"veille normalize: {missing}: lecture impossible")


def test_hostile_file_is_refused(tmp_path, capsys):
    hostile = tmp_path / "xxe.xml"
    hostile.write_bytes(b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>')
    assert main([str(hostile)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"veille normalize: {hostile}: XML refusé")
    assert "root:" not in err


def test_size_limit_is_checked_before_reading(tmp_path, capsys):
    assert main(["--max-bytes", "100", str(PAGE)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"veille normalize: {PAGE}: fichier trop volumineux")


FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_a_bad_record_is_reported_and_the_page_s_other_records_still_print(capsys):
    page = FIXTURES / "boamp-api-page-one-bad-record.json"
    assert main([str(page)]) == 1
    out, err = capsys.readouterr()
    assert [n["source_id"] for n in lines(out)] == ["26-140101", "26-140103"]
    assert err.splitlines() == [
        f"veille normalize: {page}: enregistrement BOAMP « 26-140102 » (n° 2) : "
        "champ « objet » : texte attendu, pas une liste"]


def test_an_unknown_donnees_shape_is_a_warning_not_silence(capsys):
    page = FIXTURES / "boamp-api-page-attributions.json"
    assert main([str(page)]) == 0
    out, err = capsys.readouterr()
    assert "26-131955" in [n["source_id"] for n in lines(out)]
    assert err.splitlines() == [
        f"veille normalize: {page}: enregistrement BOAMP « 26-131955 » (n° 6) : non lu : donnees de forme "
        "inconnue (schéma « 9.0.1 », clés : FORMULAIRE_NATIONAL_V9)"]
