"""BOAMP records from the Opendatasoft Explore API v2.1 (dataset `boamp`).

Accepted documents: a scraper's saved response `{ok, url, status, data}`, a
bare API body `{total_count, results}`, the v1 shape `{records: [{fields}]}`,
a list of records or a single record.

A record has flat fields (`idweb`, `objet`, `code_departement`...) and two
JSON strings: `gestion` (management block) and `donnees`, whose shape
depends on the notice's schema:

- `{"FNSimple": ...}`                    simplified MAPA form (family FNS);
- `{"IDENTITE": ..., "OBJET": ...}`      Boamp_v230 (JOUE/MAPA before 2024);
- `{"EFORMS": {"ContractNotice": ...}}`  an eForms UBL notice spelt as JSON.

Each layer completes the previous one: flat fields, then `gestion`, then
`donnees`. When `donnees` has an unknown shape, or breaks the mapping, the
notice still comes out from the flat fields and `gestion`.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from . import codes
from .boamp_common import BOAMP_NOTICE_URL, each, notice_type_from_words, overlay
from .boamp_fnsimple import notice_from_fnsimple
from .boamp_v230 import notice_from_gestion, notice_from_v230
from .consolidate import consolidate
from .dates import PARIS, parse_datetime
from .eforms import notice_from_ubl
from .errors import NoticeError
from .model import Buyer, Notice, Place
from .trees import ubl_from_json
from .values import clean_text
from centrale.territory import normalise_department

_V230_BLOCKS = {"IDENTITE", "OBJET", "PROCEDURE", "RECTIF", "ATTRIBUTION"}


def notices_from_json(document: Any) -> list[Notice]:
    return [notice_from_record(record, position) for position, record in enumerate(_records(document), 1)]


def _records(document: Any) -> list:
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        raise NoticeError("JSON BOAMP inattendu : objet ou liste attendu")
    if isinstance(document.get("data"), dict) and ("ok" in document or "status" in document):
        if document.get("ok") is False:
            status = document.get("status")
            raise NoticeError(f"réponse d'erreur enregistrée par le moissonneur (ok=false, status {status})")
        document = document["data"]
    if "results" in document:
        if not isinstance(document["results"], list):
            raise NoticeError("JSON BOAMP inattendu : « results » n'est pas une liste")
        return document["results"]
    if "records" in document and isinstance(document["records"], list):
        return [record.get("fields", record) if isinstance(record, dict) else record for record in document["records"]]
    if "idweb" in document:
        return [document]
    raise NoticeError("JSON BOAMP inattendu : ni « results », ni « records », ni « idweb »")


def notice_from_record(record: Any, position: int = 1) -> Notice:
    """One Opendatasoft record -> one Notice."""
    if not isinstance(record, dict) or not record.get("idweb"):
        raise NoticeError(f"enregistrement BOAMP n° {position} sans « idweb »")
    notice = _from_flat_fields(record)
    gestion, donnees = _json_field(record.get("gestion")), _json_field(record.get("donnees"))
    notice = overlay(notice, _read_safely(_from_gestion, gestion))
    notice = overlay(notice, _read_safely(_from_donnees, donnees))
    # Identity is the record's, whatever the inner notice (an eForms one has its own ids).
    notice.source, notice.source_id = "boamp", str(record["idweb"])
    notice.url = record.get("url_avis") or BOAMP_NOTICE_URL.format(idweb=notice.source_id)
    notice.procedure_id = record.get("contractfolderid") or notice.procedure_id or notice.source_id
    return consolidate(notice)


def _read_safely(read: Callable[[Any], Notice | None], block: Any) -> Notice | None:
    """A block mapped to a Notice, or None when its shape breaks the mapping.

    A broken `gestion` or `donnees` must not cost the whole record: the other
    layers still say who buys what, where and until when.
    """
    try:
        return read(block)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None


def _json_field(value: Any) -> Any:
    """`gestion`/`donnees` are JSON strings in the API, already objects in some exports."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except (json.JSONDecodeError, RecursionError):
            return None
    return value


def _from_flat_fields(record: dict) -> Notice:
    idweb = str(record["idweb"])
    departments = [normalise_department(code) for code in
                   each(record.get("code_departement")) + each(record.get("code_departement_prestation"))]
    previous = next(iter(each(record.get("annonce_lie"))), None)
    return Notice(
        source="boamp",
        source_id=idweb,
        procedure_id=record.get("contractfolderid") or previous,
        notice_type=notice_type_from_words(record.get("etat"), record.get("nature"), record.get("nature_libelle")),
        title=clean_text(record.get("objet")),
        buyer=Buyer(name=clean_text(record.get("nomacheteur")) or None),
        place=Place(departments=[dep for dep in departments if dep]),
        deadline=_flat_deadline(record.get("datelimitereponse")),
        procedure_type=codes.procedure_from_french(record.get("type_procedure") or record.get("procedure_libelle")),
        social_criteria="sociaux" in [str(c).lower() for c in each(record.get("criteres"))],
        url=record.get("url_avis"),
        language="fr",
    )


def _flat_deadline(value: Any):
    """`datelimitereponse` is Paris wall-clock time stamped "+00:00" on FNS records.

    Reading its clock as Paris time is exact for them and one hour early for
    the records where the offset is true: never later than the real deadline.
    `gestion` and `donnees`, when present, replace it anyway.
    """
    moment = parse_datetime(value if isinstance(value, str) else None)
    return moment.replace(tzinfo=PARIS) if moment else None


def _from_gestion(gestion: Any) -> Notice | None:
    return notice_from_gestion(gestion) if isinstance(gestion, dict) else None


def _from_donnees(donnees: Any) -> Notice | None:
    if not isinstance(donnees, dict):
        return None
    if "EFORMS" in donnees:
        return _from_eforms(donnees["EFORMS"])
    if "FNSimple" in donnees:
        return notice_from_fnsimple(donnees["FNSimple"])
    if _V230_BLOCKS & set(donnees):
        return notice_from_v230({}, donnees)
    return None


def _from_eforms(content: Any) -> Notice | None:
    """`{"ContractNotice": {...}}` (or another notice type) -> the eForms mapping."""
    if not isinstance(content, dict) or len(content) != 1:
        return None
    (root_name, body), = content.items()
    notice = notice_from_ubl(ubl_from_json(root_name.rpartition(":")[2], body))
    notice.url = None  # the TED address of a BOAMP record is not known here
    return notice
