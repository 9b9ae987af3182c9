"""BOAMP API records built from the project's own fixture (same fields, the same nested
``donnees`` JSON), each a distinct notice of its own: the demo's « territory at work » (a few
hundred notices of Loire and Haute-Loire) and the benchmarks' volumes come from here."""

from __future__ import annotations

import copy
import json
import random
import re
import uuid
from datetime import date, timedelta
from pathlib import Path

from centrale.demo_dates import paris_today

from .domain.cpv import read_cpv_file

# The project's own notices in the real formats (veille's demo loads them).
DEMO_DATA = Path(__file__).with_name("demo_data")

# The eForms code list beside the checkout (../shared/samples), when it is there: real CPV.
CODELIST = (Path(__file__).resolve().parents[3].parent / "shared" / "samples" / "codelists"
            / "eforms-sdk_translations_code_fr.xml")
DEPARTMENTS = ["42", "43", "69", "63", "03", "07", "38", "01", "71", "15"]

WORDS = """nettoyage entretien espaces verts restauration scolaire repas archives numérisation
blanchisserie déménagement collecte déchets voirie bâtiments vitrerie insertion médiathèque
crèche collège lycée gymnase piscine mairie école maternelle élémentaire cantine cuisine
centrale livraison liaison froide chaude denrées alimentaires biologiques locales fruits
légumes boulangerie viennoiserie tonte élagage débroussaillage fauchage arbres haies
jardins parcs cimetières fleurissement plantations arrosage déneigement salage propreté
urbaine balayage mobilier urbain signalisation peinture maçonnerie menuiserie serrurerie
plomberie chauffage ventilation électricité éclairage public travaux réhabilitation
rénovation isolation toiture couverture façades logements sociaux bailleur foyer résidence
autonomie personnes âgées handicap accompagnement aide domicile portage transport
accessible navette ramassage conciergerie accueil standard téléphonique secrétariat
reprographie impression routage courrier mise sous pli tri recyclage textile mobilier
réemploi ressourcerie informatique reconditionnement matériel maintenance ascenseurs
sécurité incendie gardiennage surveillance médiation animation périscolaire loisirs
vacances séjours formation linguistique traduction interprétariat communication
événementiel traiteur buffet réception location salles sonorisation montage stands
désinfection dératisation désinsectisation hygiène laverie lingerie uniformes vêtements
travail chaussures équipements protection individuelle fournitures bureau papeterie
mobilier scolaire jeux jouets livres bibliothèque reliure restauration documents
numérique dématérialisation saisie indexation inventaire conservation patrimoine
musée visites guidées audioguides billetterie stationnement fourrière véhicules
garage réparation pneumatiques carburant lavage flotte vélos ateliers mécanique""".split()


def cpv_codes() -> list[str]:
    if CODELIST.exists():
        return [e.code for e in read_cpv_file(CODELIST.read_bytes(), CODELIST.name)]
    rng = random.Random(1)
    return sorted({f"{rng.choice([45, 55, 77, 79, 90, 98]):02d}{rng.randrange(10**6):06d}"
                   for _ in range(3000)})


def _templates() -> list[dict]:
    page = json.loads((DEMO_DATA / "boamp-api-page-loire-haute-loire.json").read_text())
    return [r for r in page["results"] if r.get("etat") != "RECTIFICATIF"]


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def boamp_pages(records: int, page_size: int, seed: int = 7, first: int = 0,
                departments: list[str] | None = None, today: date | None = None) -> list[bytes]:
    """API bodies of ``records`` distinct notices, ``page_size`` a page: each its own notice
    number (from ``first`` on), procedure identifiers, title, deadline, département and CPV, so
    that none of them merges into another's tender. Their deadlines fall within the year after
    ``today`` (by default today in Paris): they are open when they are stored."""
    rng = random.Random(seed)
    today = today or paris_today()
    codes = cpv_codes()
    templates = _templates()
    pages, batch = [], []
    for number in range(first, first + records):
        template = templates[number % len(templates)]
        record = copy.deepcopy(template)
        new_id = f"27-{100000 + number}"
        cpv = rng.choice(codes)
        department = rng.choice(departments or DEPARTMENTS)
        title = " ".join(rng.sample(WORDS, 5)).capitalize() + f" n° {number}"
        day = (today + timedelta(days=rng.randint(7, 365))).isoformat()
        record.update(idweb=new_id, id=new_id.replace("-", "_"), objet=title,
                      contractfolderid=None, code_departement=[department],
                      datelimitereponse=f"{day}T12:00:00+01:00")
        replacements = {template["idweb"]: new_id, template["objet"]: title,
                        template["datelimitereponse"][:10]: day}
        replacements.update({code: cpv for code in
                             ("90911200", "90910000", "79995100", "90911300", "77311000")})
        for key in ("donnees", "gestion"):
            if isinstance(record.get(key), str):
                text = record[key]
                for old, new in replacements.items():
                    text = text.replace(old, new)
                record[key] = UUID.sub(lambda _m: str(uuid.UUID(int=rng.getrandbits(128),
                                                                 version=4)), text)
        batch.append(record)
        if len(batch) == page_size:
            pages.append(json.dumps({"total_count": records, "results": batch}).encode())
            batch = []
    if batch:
        pages.append(json.dumps({"total_count": records, "results": batch}).encode())
    return pages
