"""Documents generated for a case: the mémoire technique skeleton (.docx)."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from centrale.files import attachment_disposition
from centrale.web import resources

from ..memoire import build_memoire
from ..store import consortium as consortium_store
from .access import case_context, case_scope, readable_case


blp = Blueprint("case_documents", __name__, url_prefix="/api/cases",
                description="Documents générés pour un dossier")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@blp.route("/<int:case_id>/memoire.docx")
class Memoire(MethodView):
    @case_scope
    @blp.response(200, content_type=DOCX)
    def get(self, case_id):
        """Le squelette du mémoire technique, rempli d'après la structure, la consultation et
        ses lots, avec la valeur sociale de la structure."""
        case = readable_case(case_id)
        with resources().db.transaction() as conn:
            context = case_context(conn, case)
            members = [m for m in consortium_store.members(conn, case_id)
                       if m["share_percent"] is not None]
        content = build_memoire(context, members)
        return Response(content, mimetype=DOCX, headers={
            "Content-Disposition": attachment_disposition(
                f"memoire-technique-dossier-{case_id}.docx")})
