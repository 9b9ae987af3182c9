"""Members' requests to change their structure's official details, for advisors: the
requests waiting, each approved or refused with a reason (accompagnement applies and audits
the decision). A member asks from their record's edit page (``directory.edit``)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from ..clients import ApiError, call
from ..security import staff_required
from .forms import EmptyForm

blp = Blueprint("official_changes", __name__)


@blp.get("/demandes-de-modification")
@staff_required
def waiting():
    requests = call("accompagnement", "GET", "/api/change-requests",
                    params={"status": "pending", "limit": 200})
    return render_template("advisors/change_requests.html", requests=requests,
                           form=EmptyForm(), errors={})


@blp.post("/demandes-de-modification/<int:request_id>/approuver")
@staff_required
def approve(request_id: int):
    return decide(request_id, "approuver")


@blp.post("/demandes-de-modification/<int:request_id>/refuser")
@staff_required
def reject(request_id: int):
    return decide(request_id, "refuser")


def decide(request_id: int, decision: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        if decision == "approuver":
            decided = call("accompagnement", "POST", f"/api/change-requests/{request_id}/approve")
            flash(f"Demande approuvée : la fiche de {decided['structure_name']} est modifiée.",
                  "info")
        else:
            decided = call("accompagnement", "POST", f"/api/change-requests/{request_id}/reject",
                           json_body={"reason": request.form.get("reason", "").strip()})
            flash(f"Demande de {decided['structure_name']} refusée.", "info")
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        errors = exc.field_errors()
        if exc.status == 409 or not errors:
            flash(exc.detail or "La demande n'a pas pu être traitée.", "error")
            return redirect(url_for("official_changes.waiting"))
        requests = call("accompagnement", "GET", "/api/change-requests",
                        params={"status": "pending", "limit": 200})
        return render_template("advisors/change_requests.html", requests=requests,
                               form=EmptyForm(), errors={request_id: errors})
    return redirect(url_for("official_changes.waiting"))
