"""BOAMP records from the Opendatasoft Explore API v2.1 (dataset `boamp`).

Accepted documents: a scraper's saved response `{ok, url, status, data}`, a
bare API body `{total_count, results}`, the v1 shape `{records: [{fields}]}`,
a list of records or a single record.

A record has flat fields (`idweb`, `objet`, `code_departement`...) and two
JSON strings: `gestion` (management block) and `donnees`, whose shape
depends on the notice's schema (`source_schema`):

- `{"IDENTITE": ..., "OBJET": ...}`      Boamp_v230 and Boamp_v240 (JOUE/MAPA,
                                          upper-case XML turned into JSON, the
                                          same element names in both);
- `{"FNSimple": ...}`                    simplified national form (family FNS);
- `{"MAPA": ...}`                        a MAPA form: the FNSimple camelCase
                                          body, or upper-case v230 blocks;
- `{"EFORMS": {"ContractNotice": ...}}`  an eForms UBL notice spelt as JSON.

Each layer completes the previous one: flat fields, then `gestion`, then
`donnees`. When `donnees` has an unknown shape, or breaks the mapping, the
notice still comes out from the flat fields and `gestion`, and the part left
unread is said in `Notice.unread` (the reader counts and logs it). A flat
field of the wrong type (a list where text is due) fails the record, naming
the field.

Winners come from `donnees` (ATTRIBUTION, FNSimple decisions, eForms
results); the flat `titulaire` field, which lists one name per lot and drops
a consortium's co-contractors, is read only when `donnees` names nobody.
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
from .model import Award, Buyer, Notice, Place, Winner
from .reading import SHAPE_ERRORS, RecordFormat
from .trees import ubl_from_json
from .values import clean_text, text_field, texts_field
from centrale.territory import normalise_department

_V230_BLOCKS = {"IDENTITE", "OBJET", "PROCEDURE", "RECTIF", "ATTRIBUTION"}
DONNEES_SCHEMAS = ("Boamp_v230", "FNSimple", "MAPA", "EFORMS")


def notices_from_json(document: Any) -> list[Notice]:
    return [notice_from_record(record, position) for position, record in enumerate(_records(document), 1)]


def _records(document: Any) -> list:
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        raise NoticeError("JSON BOAMP inattendu : objet ou liste attendu")
    document = _body(document)
    if "results" in document:
        if not isinstance(document["results"], list):
            raise NoticeError("JSON BOAMP inattendu : « results » n'est pas une liste")
        return document["results"]
    if "records" in document and isinstance(document["records"], list):
        return [record.get("fields", record) if isinstance(record, dict) else record for record in document["records"]]
    if "idweb" in document:
        return [document]
    raise NoticeError("JSON BOAMP inattendu : ni « results », ni « records », ni « idweb »")


def _body(document: dict) -> dict:
    """The API body, out of a scraper's `{ok, url, status, data}` wrapper if need be."""
    if isinstance(document.get("data"), dict) and ("ok" in document or "status" in document):
        if document.get("ok") is False:
            status = document.get("status")
            raise NoticeError(f"réponse d'erreur enregistrée par le moissonneur (ok=false, status {status})")
        return document["data"]
    return document


def _announced_total(document: Any) -> int | None:
    """`total_count`: how many records the API said match the query (all pages together)."""
    body = _body(document) if isinstance(document, dict) else {}
    total = body.get("total_count")
    return total if isinstance(total, int) and not isinstance(total, bool) else None


def _label(record: Any, position: int) -> str:
    idweb = record.get("idweb") if isinstance(record, dict) else None
    if isinstance(idweb, (str, int)) and not isinstance(idweb, bool) and str(idweb).strip():
        return f"enregistrement BOAMP « {idweb} » (n° {position})"
    return f"enregistrement BOAMP n° {position}"


def notice_from_record(record: Any, position: int = 1) -> Notice:
    """One Opendatasoft record -> one Notice."""
    if not isinstance(record, dict):
        raise NoticeError(f"enregistrement BOAMP n° {position} : objet attendu")
    idweb = text_field(record, "idweb")
    if not idweb:
        raise NoticeError(f"enregistrement BOAMP n° {position} sans « idweb »")
    notice = _from_flat_fields(record)
    gestion = _json_field(record, "gestion", notice)
    donnees = _json_field(record, "donnees", notice)
    notice = overlay(notice, _read_block("gestion", _from_gestion, gestion, notice))
    schema = donnees_schema(donnees)
    if schema:
        notice = overlay(notice, _read_block(f"donnees {schema}", _from_donnees, donnees, notice))
    elif donnees not in (None, "", {}):
        keys = ", ".join(sorted(donnees)[:8]) if isinstance(donnees, dict) else type(donnees).__name__
        notice.unread.append(f"donnees de forme inconnue (schéma « {text_field(record, 'source_schema') or '?'} »,"
                             f" clés : {keys})")
    # Identity is the record's, whatever the inner notice (an eForms one has its own ids).
    notice.source, notice.source_id = "boamp", idweb
    notice.url = text_field(record, "url_avis") or BOAMP_NOTICE_URL.format(idweb=notice.source_id)
    notice.procedure_id = text_field(record, "contractfolderid") or notice.procedure_id or notice.source_id
    if not notice.awards:
        notice.awards = [Award(winner=Winner(name=clean_text(name))) for name in texts_field(record, "titulaire")
                         if clean_text(name)]
    return consolidate(notice)


def donnees_schema(donnees: Any) -> str | None:
    """Which of DONNEES_SCHEMAS `donnees` is written in, None for a shape nobody foresaw."""
    if not isinstance(donnees, dict):
        return None
    for root in ("EFORMS", "FNSimple", "MAPA"):
        if root in donnees:
            return root
    return "Boamp_v230" if _V230_BLOCKS & set(donnees) else None


def _read_block(name: str, read: Callable[[Any], Notice | None], block: Any, notice: Notice) -> Notice | None:
    """A block mapped to a Notice, or None (said in `notice.unread`) when its shape breaks the mapping.

    A broken `gestion` or `donnees` must not cost the whole record: the other
    layers still say who buys what, where and until when.
    """
    if block is None:
        return None
    try:
        return read(block)
    except SHAPE_ERRORS as error:
        notice.unread.append(f"{name} illisible ({error.__class__.__name__} : {error})")
        return None


def _json_field(record: dict, key: str, notice: Notice) -> Any:
    """`gestion`/`donnees` are JSON strings in the API, already objects in some exports."""
    value = record.get(key)
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return json.loads(value)
        except (json.JSONDecodeError, RecursionError):
            notice.unread.append(f"{key} illisible (JSON invalide)")
            return None
    return value


def _from_flat_fields(record: dict) -> Notice:
    idweb = text_field(record, "idweb")
    departments = [normalise_department(code) for code in
                   texts_field(record, "code_departement") + texts_field(record, "code_departement_prestation")]
    previous = next(iter(texts_field(record, "annonce_lie")), None)
    return Notice(
        source="boamp",
        source_id=idweb,
        procedure_id=text_field(record, "contractfolderid") or previous,
        notice_type=notice_type_from_words(text_field(record, "etat"), text_field(record, "nature"),
                                           text_field(record, "nature_libelle")),
        title=clean_text(text_field(record, "objet")),
        buyer=Buyer(name=clean_text(text_field(record, "nomacheteur")) or None),
        place=Place(departments=[dep for dep in departments if dep]),
        deadline=_flat_deadline(text_field(record, "datelimitereponse")),
        procedure_type=codes.procedure_from_french(text_field(record, "type_procedure")
                                                   or text_field(record, "procedure_libelle")),
        social_criteria="sociaux" in [c.lower() for c in texts_field(record, "criteres")],
        cancelled="ANNUL" in codes.plain(text_field(record, "etat")),
        url=text_field(record, "url_avis"),
        language="fr",
    )


def _flat_deadline(value: str | None):
    """`datelimitereponse` is Paris wall-clock time stamped "+00:00" on FNS records.

    Reading its clock as Paris time is exact for them and one hour early for
    the records where the offset is true: never later than the real deadline.
    `gestion` and `donnees`, when present, replace it anyway.
    """
    moment = parse_datetime(value)
    return moment.replace(tzinfo=PARIS) if moment else None


def _from_gestion(gestion: Any) -> Notice | None:
    return notice_from_gestion(gestion) if isinstance(gestion, dict) else None


def _from_donnees(donnees: dict) -> Notice | None:
    if "EFORMS" in donnees:
        return _from_eforms(donnees["EFORMS"])
    if "FNSimple" in donnees:
        return notice_from_fnsimple(donnees["FNSimple"])
    if "MAPA" in donnees:
        body = donnees["MAPA"]
        if isinstance(body, dict) and _V230_BLOCKS & set(body):
            return notice_from_v230({}, body)
        return notice_from_fnsimple(body)
    return notice_from_v230({}, donnees)


def _from_eforms(content: Any) -> Notice | None:
    """`{"ContractNotice": {...}}` (or another notice type) -> the eForms mapping."""
    if not isinstance(content, dict) or len(content) != 1:
        raise ValueError("EFORMS : un seul avis UBL attendu")
    (root_name, body), = content.items()
    notice = notice_from_ubl(ubl_from_json(root_name.rpartition(":")[2], body))
    notice.url = None  # the TED address of a BOAMP record is not known here
    return notice


FORMAT = RecordFormat(records=_records, notice=notice_from_record, label=_label,
                      announced_total=_announced_total)
