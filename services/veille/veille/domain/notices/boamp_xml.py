"""BOAMP notices as XML (`<ANNONCE>`, schema Boamp_v230.xsd and FNSimple)."""

from __future__ import annotations

from lxml import etree

from .boamp_common import BOAMP_NOTICE_URL, dig, overlay
from .boamp_fnsimple import notice_from_fnsimple
from .boamp_v230 import notice_from_gestion, notice_from_v230
from .consolidate import consolidate
from .errors import NoticeError
from .model import Notice
from .safe_xml import local_name
from .trees import xml_to_dict


def notices_from_xml(root: etree._Element) -> list[Notice]:
    """One `<ANNONCE>` is one notice."""
    annonce = xml_to_dict(root)
    gestion, donnees = dig(annonce, "GESTION"), dig(annonce, "DONNEES")
    if not isinstance(gestion, dict) or not dig(gestion, "REFERENCE/IDWEB"):
        raise NoticeError(f"avis BOAMP sans GESTION/REFERENCE/IDWEB (racine {local_name(root)})")
    if isinstance(donnees, dict) and "FNSimple" in donnees:
        notice = overlay(notice_from_gestion(gestion), notice_from_fnsimple(donnees["FNSimple"]))
    else:
        notice = notice_from_v230(gestion, donnees or {})
    notice.url = BOAMP_NOTICE_URL.format(idweb=notice.source_id)
    notice.procedure_id = notice.procedure_id or notice.source_id
    return [consolidate(notice)]
