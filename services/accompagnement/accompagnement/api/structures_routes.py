"""The structures registry: register, read, update and remove social-economy structures.

A member edits their own structure's record but not its official fields (raison sociale, SIRET,
legal form, category, kind of SIAE: ``domain.official_changes``): a PUT or PATCH of theirs that
would change one is refused (422, by field) and nothing is saved; they ask for the change
instead (``POST /api/structures/<id>/change-requests``), which an advisor approves or refuses."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.web import (current_identity, open_to_members, resources, scoped_structure,
                          staff_only, structure_in_path)

from ..convert import structure_from_document
from ..domain.checklist import DocumentKind
from ..domain.official_changes import member_refusals
from ..domain.structures import (Category, InsertionKind, LegalForm, structure_errors,
                                 validate_siret)
from centrale.french import label
from centrale.territory import department_from_postcode, department_code
from ..store import audit
from ..store import structures as store
from .access import field_errors, invalid, readable_structure
from .structures_schemas import (StructureInSchema, StructureOutSchema, StructurePatchSchema,
                                 StructureQuerySchema, VocabularySchema)

blp = Blueprint("structures", __name__, url_prefix="/api/structures",
                description="Registre des structures de l'économie sociale et solidaire")

EDITABLE = tuple(StructureInSchema().fields)
# What the audit trail calls each part of the record.
FIELD_NAMES = {name: label("structure_field", name) for name in EDITABLE}


def changed_parts(before: dict, after: dict) -> list[str]:
    """The parts of the record that differ, compared as the API shows them."""
    shown_before, shown_after = StructureOutSchema().dump(before), StructureOutSchema().dump(after)
    return [part for name, part in FIELD_NAMES.items()
            if shown_before.get(name) != shown_after.get(name)]


def checked(data: dict) -> dict:
    """The document validated by the domain's rules (SIRET key, category and legal form…),
    normalised (14-digit SIRET, département code), or 422 with the French reasons."""
    data = dict(data)
    address = data.get("address")
    if not data.get("departement") and address:
        data["departement"] = department_from_postcode(address["postal_code"])
    if not data.get("departement"):
        invalid({"departement": ["Le département est obligatoire (ou une adresse avec son "
                                 "code postal)."]})
    errors = structure_errors(structure_from_document(data))
    if errors:
        invalid(field_errors(errors))
    data["siret"] = validate_siret(data["siret"])
    data["departement"] = department_code(data["departement"])
    data["activities"] = [code.strip() for code in data.get("activities") or []]
    return data


def duplicate(error: store.DuplicateSiret, siret: str):
    where = f" (structure n° {error.structure_id})" if current_identity().is_staff else ""
    abort(409, message=f"Une structure de SIRET {siret} est déjà inscrite{where}.")


@blp.route("")
class Structures(MethodView):
    @open_to_members
    @blp.arguments(StructureQuerySchema, location="query")
    @blp.response(200, StructureOutSchema(many=True))
    def get(self, query):
        """Lister les structures (un membre ne voit que la sienne)."""
        only = scoped_structure(None, "les structures")
        filters = {"only_id": only, "category": query["category"],
                   "departement": query["departement"], "search": query["q"],
                   "ids": query["id"]}
        with resources().db.transaction() as conn:
            found = store.list_structures(conn, limit=query["limit"], offset=query["offset"],
                                          **filters)
            total = store.count_structures(conn, **filters)
        return found, 200, {"X-Total-Count": str(total)}

    @staff_only
    @blp.arguments(StructureInSchema)
    @blp.response(201, StructureOutSchema)
    def post(self, payload):
        """Inscrire une structure ; un SIRET déjà inscrit est refusé (409)."""
        data = checked(payload)
        try:
            with resources().db.transaction() as conn:
                created = store.create_structure(conn, data)
                audit.record(conn, "structure", created["id"], "created",
                             f"Fiche créée : {created['legal_name']}.", current_identity().subject)
                return created
        except store.DuplicateSiret as error:
            duplicate(error, data["siret"])


@blp.route("/vocabulary")
class Vocabulary(MethodView):
    @open_to_members
    @blp.response(200, VocabularySchema)
    def get(self):
        """Les catégories, formes juridiques, types de SIAE et types de documents, avec leur
        libellé (pour les formulaires)."""
        def terms(enum):
            return [{"value": item.value, "label": item.label} for item in enum]

        return {"categories": terms(Category), "legal_forms": terms(LegalForm),
                "insertion_kinds": terms(InsertionKind), "document_kinds": terms(DocumentKind)}


@blp.route("/<int:structure_id>")
class StructureDetail(MethodView):
    @structure_in_path()
    @blp.response(200, StructureOutSchema)
    def get(self, structure_id):
        """Une structure, avec ses références et ses contacts."""
        return readable_structure(structure_id)

    @structure_in_path()
    @blp.arguments(StructureInSchema)
    @blp.response(200, StructureOutSchema)
    def put(self, payload, structure_id):
        """Remplacer la fiche d'une structure (conseillers, ou membres de la structure)."""
        current = readable_structure(structure_id)  # staff, or a member of this structure
        return self._save(structure_id, checked(payload), current)

    @structure_in_path()
    @blp.arguments(StructurePatchSchema(partial=True))
    @blp.response(200, StructureOutSchema)
    def patch(self, payload, structure_id):
        """Modifier une partie de la fiche (les listes fournies remplacent les anciennes)."""
        current = readable_structure(structure_id)
        merged = {name: current[name] for name in EDITABLE}
        for name, value in payload.items():
            if isinstance(value, dict) and isinstance(merged.get(name), dict):
                merged[name] = {**merged[name], **value}
            else:
                merged[name] = value
        return self._save(structure_id, checked(merged), current)

    @staff_only
    @blp.response(204)
    def delete(self, structure_id):
        """Retirer une structure du registre (refusé si des dossiers la concernent)."""
        readable_structure(structure_id)
        with resources().db.transaction() as conn:
            if not store.delete_structure(conn, structure_id):
                abort(409, message="Des dossiers ou des groupements concernent cette structure : "
                                   "elle ne peut pas être retirée du registre.")

    @staticmethod
    def _save(structure_id: int, data: dict, before: dict) -> dict:
        if not current_identity().is_staff:
            refusals = member_refusals(before, data)
            if refusals:
                invalid(refusals)
        try:
            with resources().db.transaction() as conn:
                saved = store.update_structure(conn, structure_id, data)
                parts = changed_parts(before, saved)
                if parts:
                    audit.record(conn, "structure", structure_id, "updated",
                                 "Fiche modifiée : " + ", ".join(parts) + ".",
                                 current_identity().subject, {"parts": parts})
                return saved
        except store.DuplicateSiret as error:
            duplicate(error, data["siret"])
