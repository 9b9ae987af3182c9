"""The social-clause facilitator's pages (role ``facilitateur``; advisors reach them too):
the territory's lots with a social or insertion clause (veille's ``/api/tenders/clause-lots``),
a note on a tender (hours required, contact at the buyer: accompagnement, read by the advisors
on the tender's page), following an awarded lot — its winner as veille's awards name it — and
the hours of insertion done each month on the contracts followed. Every call carries the
person's token: accompagnement and veille keep their own access rules."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from centrale.french import LABELS

from ..clients import ApiError, call, get_page
from ..security import login_required
from .clause_forms import ClauseNoteForm, FollowForm, MonthHoursForm
from .forms import json_number

blp = Blueprint("clauses", __name__)

STATES = ("open", "closed", "awarded", "unsuccessful", "cancelled")


def facilitator_or_staff() -> None:
    if not (g.user.is_facilitator or g.user.is_staff):
        abort(403)


def note_of(tender_id: int) -> dict | None:
    """The facilitator's note on a tender, None when it has none (accompagnement's 404)."""
    try:
        return call("accompagnement", "GET", f"/api/tenders/{tender_id}/clause-note")
    except ApiError as exc:
        if exc.status != 404:
            raise
        return None


@blp.get("/clauses")
@login_required
def index():
    facilitator_or_staff()
    state = request.args.get("etat", "")
    clause = request.args.get("clause", "")
    page = request.args.get("page", "1")
    params = {"page": page if page.isdigit() else "1", "page_size": 20}
    if state in STATES:
        params["status"] = state
    if clause in LABELS["tender_clause"]:
        params["clause"] = clause
    result = get_page("veille", "/api/tenders/clause-lots", params)
    tender_ids = sorted({row["tender_id"] for row in result.items})
    notes, followed = {}, {}
    if tender_ids:
        notes = {n["tender_id"]: n for n in call("accompagnement", "GET", "/api/clause-notes",
                                                  params={"tender_id": tender_ids,
                                                          "page_size": 100})}
        followed = {(c["tender_id"], c["lot_id"]): c for c in call(
            "accompagnement", "GET", "/api/clause-contracts",
            params={"tender_id": tender_ids, "page_size": 100})}
    return render_template("clauses/lots.html", result=result, notes=notes, followed=followed,
                           state=state, clause=clause, states=STATES,
                           args={"etat": state, "clause": clause})


@blp.route("/clauses/<int:tender_id>/note", methods=["GET", "POST"])
@login_required
def note(tender_id: int):
    facilitator_or_staff()
    tender = call("veille", "GET", f"/api/tenders/{tender_id}")  # its 404 is ours
    saved = note_of(tender_id)
    form = ClauseNoteForm(data=None if request.method == "POST" else {
        "hours_required": (saved or {}).get("hours_required"),
        "buyer_contact": (saved or {}).get("buyer_contact"), "note": (saved or {}).get("note")})
    errors: dict = {}
    if form.validate_on_submit():
        try:
            call("accompagnement", "PUT", f"/api/tenders/{tender_id}/clause-note", json_body={
                "hours_required": json_number(form.hours_required.data),
                "buyer_contact": (form.buyer_contact.data or "").strip(),
                "note": (form.note.data or "").strip()})
        except ApiError as exc:
            if exc.status != 422:
                raise
            errors = exc.field_errors()
        else:
            flash("Note enregistrée : les conseillers la lisent sur la page de l'appel d'offres.",
                  "info")
            return redirect(url_for("tenders.detail", tender_id=tender_id))
    # A form shown again with its refusals answers 200, as the portail's other forms do.
    return render_template("clauses/note.html", tender=tender, form=form, errors=errors,
                           saved=saved)


def _contract_body(tender: dict, lot_id: str | None) -> dict | None:
    """What accompagnement follows, from veille's tender: the lot's winner (its own award, else
    the whole contract's), its title and CPV code; None when nobody is named yet."""
    awards = [a for a in tender.get("awards") or [] if a.get("lot") == lot_id and
              (a.get("winner_name") or a.get("winner_siret"))]
    if not awards and lot_id is not None:
        awards = [a for a in tender.get("awards") or [] if a.get("lot") is None]
    if not awards:
        return None
    lot = next((l for l in tender.get("lots") or [] if l["id"] == lot_id), None)
    title = (f"{tender['title']} — lot {lot_id} : {lot['title']}" if lot and lot.get("title")
             else tender["title"])
    return {"tender_id": tender["id"], "lot_id": lot_id, "title": title[:500],
            "buyer_name": tender.get("buyer_name"),
            "winner_name": awards[0].get("winner_name") or "Titulaire non publié",
            "winner_siret": awards[0].get("winner_siret"),
            "cpv_codes": [code for code in [(lot or {}).get("cpv_main") or tender.get("cpv_main")]
                          if code],
            # veille's JSON number, passed on as it is
            "hours_required": (lot or {}).get("insertion_hours")}


@blp.post("/clauses/suivre")
@login_required
def follow():
    facilitator_or_staff()
    form = FollowForm()
    if not form.validate_on_submit() or not form.tender_id.data.isdigit():
        flash("Formulaire incomplet : choisissez un lot attribué dans la liste.", "error")
        return redirect(url_for("clauses.index"))
    tender = call("veille", "GET", f"/api/tenders/{int(form.tender_id.data)}")
    body = _contract_body(tender, form.lot_id.data or None)
    if body is None:
        flash("Ce lot n'a pas encore de titulaire publié : il sera suivi une fois attribué.",
              "error")
        return redirect(url_for("clauses.index"))
    note = note_of(tender["id"])
    if note and note.get("hours_required") is not None:
        body["hours_required"] = note["hours_required"]  # what the buyer said beats the notice
    try:
        contract = call("accompagnement", "POST", "/api/clause-contracts", json_body=body)
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        flash(exc.detail, "error")
        return redirect(url_for("clauses.index"))
    told = contract["structures_told"]
    flash(f"Marché suivi : {contract['winner_name']}. "
          + (f"{told} structure{'s' if told > 1 else ''} d'insertion "
             f"{'pourraient' if told > 1 else 'pourrait'} sous-traiter pour lui et "
             f"{'en sont prévenues' if told > 1 else 'en est prévenue'}." if told else
             "Aucune structure d'insertion du registre ne fait ce travail près du marché."),
          "info")
    return redirect(url_for("clauses.contracts"))


def _contracts_page(forms: dict[int, MonthHoursForm] | None = None, errors: dict | None = None):
    page = request.args.get("page", "1")
    result = get_page("accompagnement", "/api/clause-contracts",
                      {"page": page if page.isdigit() else "1", "page_size": 20})
    forms = forms or {}
    for contract in result.items:
        forms.setdefault(contract["id"], MonthHoursForm(prefix=f"c{contract['id']}",
                                                        formdata=None))
    return render_template("clauses/contracts.html", result=result, forms=forms,
                           errors=errors or {})


@blp.get("/clauses/marches")
@login_required
def contracts():
    facilitator_or_staff()
    return _contracts_page()


@blp.post("/clauses/marches/<int:contract_id>/heures")
@login_required
def hours(contract_id: int):
    facilitator_or_staff()
    form = MonthHoursForm(prefix=f"c{contract_id}")
    errors: dict = {}
    if form.validate_on_submit():
        try:
            call("accompagnement", "PUT", f"/api/clause-contracts/{contract_id}/hours",
                 json_body={"month": form.month.data.isoformat(),
                            "hours": json_number(form.hours.data)})
        except ApiError as exc:
            if exc.status != 422:
                raise
            # Shown under the field of this contract's form (its names carry its prefix).
            errors = {contract_id: {f"c{contract_id}-{name}": messages
                                    for name, messages in exc.field_errors().items()}}
        else:
            flash("Heures enregistrées : elles comptent dans l'impact.", "info")
            return redirect(url_for("clauses.contracts"))
    return _contracts_page({contract_id: form}, errors)
