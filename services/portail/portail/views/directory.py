"""The structures: the directory (advisors: search, pages, CSV), a structure's page (its
record, documents and their upload, calendar address, audit trail), creating and editing a
record (the impact report is ``views.impact``).

A member edits their own structure's record but not its official fields (raison sociale, SIRET,
legal form, category, kind of SIAE): on the same page they ask for those to change (« Demander
la modification »), and an advisor decides (``official_changes``)."""

from __future__ import annotations

import csv
import io

from flask import (Blueprint, Response, abort, flash, g, redirect, render_template, request,
                   url_for)

from centrale import french

from ..clients import ApiError, call, get_counted
from ..security import login_required, staff_required
from .forms import EmptyForm, french_decimal, json_number

blp = Blueprint("directory", __name__)

PAGE_SIZE = 50
OFFICIAL = ("legal_name", "siret", "legal_form", "category", "insertion_kind")
CONTACT_ROWS = 3
REFERENCE_ROWS = 2  # blank rows offered after the structure's references
REFERENCE_PARTS = ("title", "buyer", "year", "amount")


def own_or_chosen(structure_id: int) -> int:
    """Staff see every structure; a member only their own (another one: 404)."""
    if not g.user.is_staff and structure_id != g.user.structure_id:
        abort(404)
    return structure_id


@blp.get("/structures")
@staff_required
def structures():
    q = request.args.get("q", "").strip()[:100]
    category = request.args.get("categorie", "")
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and int(page) > 0 else 1
    vocabulary = call("accompagnement", "GET", "/api/structures/vocabulary")
    params = {"limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}
    if q:
        params["q"] = q
    if category in {c["value"] for c in vocabulary["categories"]}:
        params["category"] = category
    items, total = get_counted("accompagnement", "/api/structures", params)
    return render_template("directory/structures.html", structures=items, total=total, page=page,
                           pages=max(1, -(-total // PAGE_SIZE)), q=q, category=category,
                           categories=vocabulary["categories"])


@blp.get("/structures.csv")
@staff_required
def structures_csv():
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(("structure", "SIRET", "forme juridique", "catégorie", "département",
                     "ville", "effectif", "contacts"))
    offset = 0
    while True:
        batch = call("accompagnement", "GET", "/api/structures",
                     params={"limit": 200, "offset": offset})
        for s in batch:
            writer.writerow((s["legal_name"], s["siret"], s["legal_form_label"],
                             s["category_label"], s["departement"],
                             (s["address"] or {}).get("city", ""),
                             s["capacities"].get("headcount") or "",
                             ", ".join(f"{c['name']} <{c['email']}>" for c in s["contacts"])))
        if len(batch) < 200:
            break
        offset += 200
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="structures.csv"'})


@blp.get("/structures/<int:structure_id>")
@login_required
def structure(structure_id: int):
    structure_id = own_or_chosen(structure_id)
    record = call("accompagnement", "GET", f"/api/structures/{structure_id}")
    documents = call("accompagnement", "GET", f"/api/structures/{structure_id}/documents")
    warnings = call("accompagnement", "GET", f"/api/structures/{structure_id}/documents/warnings")
    audit = call("accompagnement", "GET", f"/api/structures/{structure_id}/audit") \
        if g.user.is_staff else []
    try:
        calendar = call("notifications", "GET", f"/api/structures/{structure_id}/calendar")
    except ApiError:
        calendar = None
    try:
        recommended = call("formation", "GET",
                           f"/api/structures/{structure_id}/recommendations")["modules"]
    except ApiError:
        recommended = []
    cases = call("accompagnement", "GET", "/api/cases",
                 params={"structure_id": structure_id, "open": "true", "sort": "deadline",
                         "limit": 20})
    return render_template("directory/structure.html", s=record, documents=documents,
                           warnings=warnings, audit=audit, calendar=calendar,
                           recommended=recommended, cases=cases, form=EmptyForm(),
                           kinds=document_kinds())


def document_kinds() -> list[tuple[str, str]]:
    return [(k["value"], k["label"]) for k in
            call("accompagnement", "GET", "/api/structures/vocabulary")["document_kinds"]]


@blp.get("/ma-structure")
@login_required
def mine():
    if g.user.is_staff:
        return redirect(url_for("directory.structures"))
    return redirect(url_for("directory.structure", structure_id=g.user.structure_id))


def split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]


def record_from_form(form, current: dict | None) -> tuple[dict, dict[str, list[str]]]:
    """The record as the form states it, and the fields the portail itself refuses."""
    errors: dict[str, list[str]] = {}

    def number(name: str, integer: bool = False):
        try:
            value = french_decimal(form.get(name))
        except ValueError as error:
            errors[name] = [str(error)]
            return None
        if value is None:
            return None
        if integer:
            if value != value.to_integral_value():
                errors[name] = ["Nombre entier attendu."]
                return None
            return int(value)
        return json_number(value)

    body = {
        "address": {"street": form.get("street", "").strip(),
                    "postal_code": form.get("postal_code", "").strip(),
                    "city": form.get("city", "").strip()},
        "activities": split(form.get("activities")),
        "capacities": {"headcount": number("headcount", True),
                       "annual_turnover": number("annual_turnover"),
                       "insurance_coverage": number("insurance_coverage"),
                       "insurer": form.get("insurer", "").strip() or None,
                       "insurance_expires_on": form.get("insurance_expires_on") or None},
        "social_value": {"insertion_hours_per_year": number("insertion_hours_per_year", True),
                         "people_supported": number("people_supported", True),
                         "local_employment_percent": number("local_employment_percent"),
                         "social_mission": form.get("social_mission", "").strip() or None},
        "contacts": [],
    }
    if not any(body["address"].values()):
        body["address"] = None
    for index in range(CONTACT_ROWS + len((current or {}).get("contacts", []))):
        name = form.get(f"contact-{index}-name", "").strip()
        email = form.get(f"contact-{index}-email", "").strip()
        if name or email:
            body["contacts"].append({"name": name, "email": email,
                                     "role": form.get(f"contact-{index}-role", "").strip() or None,
                                     "phone": form.get(f"contact-{index}-phone", "").strip()
                                     or None})
    body["references"] = references_from_form(form, current, number)
    if form.get("departement", "").strip():
        body["departement"] = form["departement"].strip()
    if g.user.is_staff:
        for name in OFFICIAL:
            body[name] = form.get(name, "").strip() or None
    return body, errors


def references_from_form(form, current: dict | None, number) -> list[dict]:
    """The rows of the references fieldset that say something; an emptied row is removed."""
    references = []
    for index in range(REFERENCE_ROWS + len((current or {}).get("references", []))):
        prefix = f"reference-{index}-"
        texts = {part: form.get(prefix + part, "").strip() for part in REFERENCE_PARTS}
        if not any(texts.values()):
            continue
        references.append({"title": texts["title"], "buyer": texts["buyer"],
                           "year": number(prefix + "year", True),
                           "amount": number(prefix + "amount")})
    return references


def reference_rows(current: dict | None) -> int:
    return REFERENCE_ROWS + len((current or {}).get("references", []))


def api_errors(exc: ApiError) -> dict[str, list[str]]:
    """Field errors by the form's field names (an address's postal code: ``postal_code``)."""
    errors = exc.field_errors()
    for nested in ("address", "capacities", "social_value"):
        if nested in errors:
            errors.pop(nested)
            errors.update(exc.nested_errors(nested))
    if "references" in errors:
        errors["references"] = [f"Référence {int(row) + 1} : {message}" for row, messages
                                in exc.nested_errors("references").items()
                                for message in messages] or errors["references"]
    return errors


@blp.route("/structures/nouvelle", methods=["GET", "POST"])
@staff_required
def create():
    errors: dict[str, list[str]] = {}
    form = EmptyForm()
    if form.validate_on_submit():
        body, errors = record_from_form(request.form, None)
        if not errors:
            try:
                created = call("accompagnement", "POST", "/api/structures", json_body=body)
                flash(f"Structure « {created['legal_name']} » inscrite.", "info")
                return redirect(url_for("directory.structure", structure_id=created["id"]))
            except ApiError as exc:
                if exc.status not in (409, 422):
                    raise
                errors = api_errors(exc) or {"siret": [exc.detail]}
    elif request.method == "POST":
        abort(400)
    return render_template("directory/structure_form.html", s=None, values=request.form,
                           errors=errors, form=form, rows=CONTACT_ROWS,
                           reference_rows=reference_rows(None),
                           vocabulary=call("accompagnement", "GET", "/api/structures/vocabulary"))


@blp.route("/structures/<int:structure_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(structure_id: int):
    structure_id = own_or_chosen(structure_id)
    current = call("accompagnement", "GET", f"/api/structures/{structure_id}")
    errors: dict[str, list[str]] = {}
    form = EmptyForm()
    if form.validate_on_submit() and request.form.get("intent") == "official":
        errors = ask_official_change(structure_id, request.form)
        if not errors:
            return redirect(url_for("directory.structure", structure_id=structure_id))
        values = {**form_values(current), **request.form}
    elif form.validate_on_submit():
        body, errors = record_from_form(request.form, current)
        if not errors:
            try:
                call("accompagnement", "PATCH", f"/api/structures/{structure_id}",
                     json_body=body)
                flash("Fiche enregistrée.", "info")
                return redirect(url_for("directory.structure", structure_id=structure_id))
            except ApiError as exc:
                if exc.status not in (403, 409, 422):
                    raise
                errors = api_errors(exc) or {"legal_name": [exc.detail]}
        values = request.form
    elif request.method == "POST":
        abort(400)
    else:
        values = form_values(current)
    requests = [] if g.user.is_staff else call(
        "accompagnement", "GET", f"/api/structures/{structure_id}/change-requests")
    return render_template("directory/structure_form.html", s=current, values=values,
                           errors=errors, form=form, rows=CONTACT_ROWS + len(current["contacts"]),
                           reference_rows=reference_rows(current), requests=requests,
                           pending=next((r for r in requests if r["status"] == "pending"), None),
                           vocabulary=call("accompagnement", "GET", "/api/structures/vocabulary"))


def ask_official_change(structure_id: int, form) -> dict[str, list[str]]:
    """A member's request to change the official fields, as the form states them; the
    service's refusals by field (none: asked)."""
    body = {name: form.get(name, "").strip() or None for name in OFFICIAL}
    body["comment"] = form.get("comment", "").strip() or None
    if body["legal_name"] is None:
        return {"legal_name": ["La raison sociale est obligatoire."]}
    try:
        call("accompagnement", "POST", f"/api/structures/{structure_id}/change-requests",
             json_body=body)
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        return exc.field_errors() or {"official": [exc.detail]}
    flash("Demande de modification envoyée : elle s'appliquera une fois approuvée par un "
          "conseiller ou une conseillère de la Centrale.", "info")
    return {}


def form_values(s: dict) -> dict:
    address = s["address"] or {}
    values = {name: s.get(name) or "" for name in OFFICIAL}
    values.update({"street": address.get("street", ""), "postal_code":
                   address.get("postal_code", ""), "city": address.get("city", ""),
                   "departement": s["departement"] or "",
                   "activities": ", ".join(s["activities"])})
    for name, value in {**s["capacities"], **s["social_value"]}.items():
        values[name] = ("" if value is None else french.decimal_comma(value, 2)
                        if isinstance(value, (int, float)) else str(value))
    for index, reference in enumerate(s["references"]):
        for part in REFERENCE_PARTS:
            value = reference.get(part)
            values[f"reference-{index}-{part}"] = (
                "" if value is None else french.decimal_comma(value, 2)
                if part == "amount" else str(value))
    for index, contact in enumerate(s["contacts"]):
        for part in ("name", "email", "role", "phone"):
            values[f"contact-{index}-{part}"] = contact.get(part) or ""
    return values


@blp.post("/structures/<int:structure_id>/documents")
@login_required
def upload(structure_id: int):
    """A document for the vault (member or advisor), with its dates; the file is optional."""
    structure_id = own_or_chosen(structure_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    data = {"kind": request.form.get("kind", "")}
    for name in ("title", "issued_on", "expires_on"):
        if request.form.get(name, "").strip():
            data[name] = request.form[name].strip()
    upload_file = request.files.get("file")
    files = None
    if upload_file and upload_file.filename:
        files = {"file": (upload_file.filename, upload_file.stream,
                          upload_file.mimetype or "application/octet-stream")}
    try:
        call("accompagnement", "POST", f"/api/structures/{structure_id}/documents",
             form=data, files=files)
        flash("Document déposé dans le coffre-fort.", "info")
    except ApiError as exc:
        if exc.status not in (413, 422):
            raise
        flash("Document refusé : " + (" ".join(
            m for ms in exc.field_errors().values() for m in ms) or exc.detail), "error")
    return redirect(url_for("directory.structure", structure_id=structure_id) + "#documents")


@blp.post("/structures/<int:structure_id>/documents/<int:document_id>/retirer")
@login_required
def remove_document(structure_id: int, document_id: int):
    structure_id = own_or_chosen(structure_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    call("accompagnement", "DELETE", f"/api/structures/{structure_id}/documents/{document_id}")
    flash("Document retiré du coffre-fort.", "info")
    return redirect(url_for("directory.structure", structure_id=structure_id) + "#documents")


@blp.get("/structures/<int:structure_id>/documents/<int:document_id>/fichier")
@login_required
def document_file(structure_id: int, document_id: int):
    structure_id = own_or_chosen(structure_id)
    response = call("accompagnement", "GET",
                    f"/api/structures/{structure_id}/documents/{document_id}/content", raw=True)
    return Response(response.content, mimetype="application/octet-stream", headers={
        "Content-Disposition": response.headers.get("Content-Disposition", "attachment")})


@blp.post("/structures/<int:structure_id>/calendrier")
@login_required
def regenerate_calendar(structure_id: int):
    """A new secret address for the structure's calendar: the old one stops working."""
    structure_id = own_or_chosen(structure_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    call("notifications", "POST", f"/api/structures/{structure_id}/calendar/regenerate")
    flash("Nouvelle adresse du calendrier : l'ancienne ne fonctionne plus. Mettez-la à jour "
          "dans votre agenda.", "info")
    return redirect(url_for("directory.structure", structure_id=structure_id) + "#calendrier")


