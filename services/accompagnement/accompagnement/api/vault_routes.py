"""A structure's document vault: attestations, Kbis, insurance… with their validity, and a
warning before they expire. Files are kept in the database, up to a size limit."""

from __future__ import annotations

from datetime import datetime
from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale import files as files_rules
from centrale.web import current_identity, resources, structure_in_path

from ..domain.checklist import DocumentKind
from centrale.french import PARIS
from ..domain.vault import expiry_warnings
from ..store import audit
from ..store import vault as store
from .. import workflow_calls
from ..config import current_case_settings
from .access import readable_structure
from .vault_schemas import (DocumentFileSchema, DocumentFormSchema, DocumentOutSchema,
                            ExpiryWarningSchema, WarningQuerySchema)

blp = Blueprint("vault", __name__, url_prefix="/api/structures",
                description="Coffre-fort de documents d'une structure")


def _out(row: dict) -> dict:
    return {**row, "valid_until": store.as_domain(row).valid_until}


def _document(structure_id: int, document_id: int) -> dict:
    readable_structure(structure_id)
    with resources().db.transaction() as conn:
        document = store.get_document(conn, structure_id, document_id)
    if document is None:
        abort(404, message=f"Document {document_id} introuvable.")
    return document


@blp.route("/<int:structure_id>/documents")
class Documents(MethodView):
    @structure_in_path()
    @blp.response(200, DocumentOutSchema(many=True))
    def get(self, structure_id):
        """Les documents du coffre-fort, avec leur fin de validité."""
        readable_structure(structure_id)
        with resources().db.transaction() as conn:
            return [_out(row) for row in store.list_documents(conn, structure_id)]

    @structure_in_path()
    @blp.arguments(DocumentFormSchema, location="form")
    @blp.arguments(DocumentFileSchema, location="files")
    @blp.response(201, DocumentOutSchema)
    def post(self, form, files, structure_id):
        """Déposer un document (formulaire multipart : type, dates, fichier facultatif)."""
        readable_structure(structure_id)  # staff, or a member of this very structure
        upload = files.get("file")
        content = filename = content_type = None
        if upload is not None:
            limit = current_case_settings().document_max_bytes
            content = upload.read(limit + 1)
            if len(content) > limit:
                abort(413, message=f"Le fichier dépasse la taille admise ({limit // 1024} Kio).")
            # The type the bytes show, never the one claimed (HTML posing as PDF, SVG with a
            # script are refused), and a name that cannot climb directories or hide its type.
            try:
                content_type = files_rules.checked_type(content)
            except files_rules.RefusedFile as refusal:
                abort(422, message=str(refusal), messages={"files": {"file": [str(refusal)]}})
            filename = files_rules.safe_filename(upload.filename, content_type)
        kind = DocumentKind(form["kind"])
        with resources().db.transaction() as conn:
            row = store.add_document(conn, structure_id, kind.value, form["title"] or kind.label,
                                     form["issued_on"], form["expires_on"], filename,
                                     content_type, content, current_identity().subject)
            audit.record(conn, "structure", structure_id, "document_added",
                         f"Document déposé : {row['title']}"
                         + (f" ({filename})" if filename else "") + ".",
                         current_identity().subject, {"document_id": row["id"]})
        workflow_calls.structure_activity(structure_id, current_identity().subject)
        return _out(row)


@blp.route("/<int:structure_id>/documents/warnings")
class DocumentWarnings(MethodView):
    @structure_in_path()
    @blp.arguments(WarningQuerySchema, location="query")
    @blp.response(200, ExpiryWarningSchema(many=True))
    def get(self, query, structure_id):
        """Documents expirés ou qui expirent bientôt (30 jours par défaut), à renouveler."""
        readable_structure(structure_id)
        with resources().db.transaction() as conn:
            documents = [store.as_domain(row) for row in store.list_documents(conn, structure_id)]
        today = datetime.now(PARIS).date()
        return [{"document_id": int(w.document.document_id), "kind": w.document.kind.value,
                 "kind_label": w.document.kind.label, "valid_until": w.valid_until,
                 "days_left": w.days_left, "message": w.message}
                for w in expiry_warnings(documents, today, query["days"])]


@blp.route("/<int:structure_id>/documents/<int:document_id>")
class DocumentDetail(MethodView):
    @structure_in_path()
    @blp.response(200, DocumentOutSchema)
    def get(self, structure_id, document_id):
        """Un document du coffre-fort."""
        return _out(_document(structure_id, document_id))

    @structure_in_path()
    @blp.response(204)
    def delete(self, structure_id, document_id):
        """Retirer un document du coffre-fort."""
        document = _document(structure_id, document_id)
        with resources().db.transaction() as conn:
            store.delete_document(conn, structure_id, document_id)
            audit.record(conn, "structure", structure_id, "document_removed",
                         f"Document retiré : {document['title']}.", current_identity().subject,
                         {"document_id": document_id})
        workflow_calls.structure_activity(structure_id, current_identity().subject)


@blp.route("/<int:structure_id>/documents/<int:document_id>/content")
class DocumentContent(MethodView):
    @structure_in_path()
    @blp.response(200, content_type="application/octet-stream")
    def get(self, structure_id, document_id):
        """Le fichier déposé."""
        _document(structure_id, document_id)
        with resources().db.transaction() as conn:
            stored = store.document_content(conn, structure_id, document_id)
        if stored is None:
            abort(404, message="Aucun fichier n'a été déposé pour ce document.")
        content = bytes(stored["content"])
        download = files_rules.served(content, stored["filename"], f"document-{document_id}")
        return Response(content, mimetype=download.mimetype, headers=download.headers)
