"""What each event says, in French: a title (the email's subject and the feed's heading), a
one-paragraph summary (the feed and the digest), and the facts the email templates lay out.

One :class:`Message` per event; the templates adapt it to each recipient (their name, and
whether they are the structure's contact, its advisor or a training participant).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from . import labels
from centrale.french import (PARIS, countdown, decimal_comma, euros, join_with_et, label,
                             hours as duration,
                             long_date, long_datetime, parse_instant, plural, quoted,
                             time_span)
from .kinds import Kind, is_urgent, kind_for
from .links import portail_path
from .recipients import Directory, person_from


@dataclass(frozen=True)
class Message:
    event_type: str
    kind: Kind
    title: str
    summary: str
    facts: Mapping[str, Any] = field(default_factory=dict)
    # When what the message announces happens (a deadline, a session): urgency is measured on it.
    moment: datetime | None = None
    urgent: bool = False
    path: str | None = None  # the portail's page about it (domain.links)

    @property
    def template(self) -> str:
        return SHARED_TEMPLATES.get(self.event_type, self.event_type)


# Event types whose emails read the same, their facts saying the difference: one template.
SHARED_TEMPLATES = {"tender.awarded": "tender.result", "tender.cancelled": "tender.result",
                    **{f"need.{step}": "need" for step in ("submitted", "published", "returned",
                                                           "answered", "decided")}}

Builder = Callable[[Mapping[str, Any], Directory], tuple[str, str, dict[str, Any], datetime | None]]
_BUILDERS: dict[str, Builder] = {}


def _builder(event_type: str):
    def register(func: Builder) -> Builder:
        _BUILDERS[event_type] = func
        return func
    return register


def build_message(event_type: str, data: Mapping[str, Any], directory: Directory,
                  occurred_at: datetime) -> Message:
    """The message of one event. ``occurred_at`` is « now » for urgency: replays agree."""
    try:
        builder = _BUILDERS[event_type]
    except KeyError:
        raise ValueError(f"no message for {event_type!r}") from None
    title, summary, facts, moment = builder(data, directory)
    urgent = facts.pop("_urgent", False) or is_urgent(moment, occurred_at)
    return Message(event_type, kind_for(event_type), title, summary, facts, moment, urgent,
                   portail_path(event_type, data))


def _when(text: str | None) -> tuple[datetime | None, str | None]:
    moment = parse_instant(text)
    return moment, (long_datetime(moment) if moment else None)


def _session_span(starts_at: str | None, ends_at: str | None) -> str | None:
    """« le jeudi 4 mars 2027, de 9 h à 17 h 30 » (centrale.french's one way for sessions)."""
    start = parse_instant(starts_at)
    if start is None:
        return None
    end = parse_instant(ends_at)
    return time_span(start, end) if end is not None else f"le {long_datetime(start)}"


def _advisor_facts(data: Mapping[str, Any], directory: Directory) -> dict[str, Any]:
    advisor = person_from(data.get("advisor"))
    if advisor is None and data.get("case_id") in directory.cases:
        advisor = directory.cases[data["case_id"]].advisor
    if advisor is None:
        return {"advisor_name": None, "advisor_email": None}
    return {"advisor_name": advisor.name or advisor.email, "advisor_email": advisor.email}


# -- veille -----------------------------------------------------------------------------------

@_builder("tender.matched")
def _tender_matched(data, directory):
    deadline, deadline_text = _when(data.get("deadline"))
    structure = directory.structure_name(data["structure_id"])
    summary = f"Un appel d'offres correspond au profil de {structure} : {quoted(data['title'])}"
    if data.get("buyer"):
        summary += f", de {data['buyer']}"
    summary += f" ; réponse attendue au plus tard le {deadline_text}." if deadline_text else "."
    value = data.get("estimated_value") or {}
    facts = {
        "tender_title": data["title"],
        "structure_name": structure,
        "buyer": data.get("buyer"),
        "deadline": deadline_text,
        "value": euros(value.get("amount")) if value else None,
        "notice_url": data.get("url"),
        "documents_url": data.get("documents_url"),
        "reasons": list(data.get("reasons") or []),
        "score": decimal_comma(data.get("score") or 0),
        "score_parts": [f"{part['label']} : {decimal_comma(part['points'])} / "
                        f"{decimal_comma(part['max'])}"
                        + (f" ({part['detail']})" if part.get("detail") else "")
                        for part in data.get("score_parts") or []],
        "lots": list(data.get("lots") or []),
        "expected_renewal": bool(data.get("expected_renewal")),
    }
    return f"Appel d'offres repéré : {quoted(data['title'])}", summary, facts, deadline


RESULT_SENTENCES = {
    "awarded": "a été attribué",
    "unsuccessful": "a été déclaré infructueux (aucune offre retenue)",
    "cancelled": "a été déclaré sans suite (la procédure est abandonnée)",
}


def _winners(data) -> list[str]:
    lines = []
    for award in data.get("awards") or []:
        winner = award.get("winner") or {}
        name = winner.get("name") or winner.get("siret") or "titulaire non publié"
        amount = euros((award.get("amount") or {}).get("amount"))
        where = f"lot {award['lot']} : " if award.get("lot") else ""
        lines.append(f"{where}{name}" + (f", {amount}" if amount else ""))
    return lines


def _tender_result(data, directory):
    structure = directory.structure_name(data.get("structure_id"))
    sentence = RESULT_SENTENCES.get(data["result"], "est clos")
    summary = f"L'appel d'offres {quoted(data['title'])} {sentence}."
    facts = {"tender_title": data["title"], "structure_name": structure,
             "buyer": data.get("buyer"), "result": sentence, "winners": _winners(data),
             "lots": [f"lot {lot['id']} : {RESULT_SENTENCES.get(lot.get('result'), 'en cours')}"
                      for lot in data.get("lots") or []]}
    title = ("Appel d'offres attribué" if data["result"] == "awarded"
             else "Appel d'offres sans suite" if data["result"] == "cancelled"
             else "Appel d'offres infructueux")
    return f"{title} : {quoted(data['title'])}", summary, facts, None


_builder("tender.awarded")(_tender_result)
_builder("tender.cancelled")(_tender_result)


@_builder("tender.deadline_moved")
def _tender_deadline_moved(data, directory):
    deadline, deadline_text = _when(data.get("deadline"))
    _before, before_text = _when(data.get("deadline_before"))
    structure = directory.structure_name(data["structure_id"])
    facts = {"tender_title": data["title"], "structure_name": structure,
             "deadline": deadline_text, "deadline_before": before_text}
    if deadline_text and before_text:
        summary = (f"La date limite de {quoted(data['title'])} passe du {before_text} au "
                   f"{deadline_text}.")
    elif deadline_text:
        summary = f"La date limite de {quoted(data['title'])} est désormais le {deadline_text}."
    else:
        summary = (f"L'avis rectificatif de {quoted(data['title'])} ne donne plus de date "
                   "limite : vérifiez l'avis officiel.")
    return f"Date limite modifiée : {quoted(data['title'])}", summary, facts, deadline


# -- accompagnement ---------------------------------------------------------------------------

@_builder("clause.subcontracting_offered")
def _clause_subcontracting_offered(data, directory):
    structure = directory.structure_name(data.get("structure_id"))
    winner = data.get("winner") or {}
    winner_name = winner.get("name") or "le titulaire"
    hours = data.get("hours_required")
    facts = {"tender_title": data["title"], "structure_name": structure,
             "buyer": data.get("buyer"), "lot": data.get("lot"), "winner": winner_name,
             "winner_siret": winner.get("siret"),
             "hours": duration(hours) if hours is not None else None}
    summary = (f"{winner_name} a remporté {quoted(data['title'])}, un marché à clause sociale "
               f"dont {structure} fait le travail : il pourrait lui sous-traiter une part du "
               "marché pour réaliser ses heures d'insertion.")
    return f"Sous-traitance possible : {quoted(data['title'])}", summary, facts, None


@_builder("case.tender_closed")
def _case_tender_closed(data, directory):
    structure = directory.structure_name(data["structure_id"])
    sentence = RESULT_SENTENCES.get(data["result"], "est clos")
    facts = {"case_title": data["title"], "structure_name": structure, "result": sentence,
             "awarded": data["result"] == "awarded", **_advisor_facts(data, directory)}
    summary = (f"L'appel d'offres du dossier {quoted(data['title'])} de {structure} {sentence}.")
    return f"Dossier {quoted(data['title'])} : l'appel d'offres {sentence}", summary, facts, None


@_builder("case.opened")
def _case_opened(data, directory):
    deadline, deadline_text = _when(data.get("deadline"))
    structure = directory.structure_name(data["structure_id"])
    facts = {"case_title": data["title"], "structure_name": structure, "deadline": deadline_text,
             "next_step": labels.next_step("diagnosis"), **_advisor_facts(data, directory)}
    summary = f"Un dossier de réponse est ouvert pour {structure} : {quoted(data['title'])}"
    if facts["advisor_name"]:
        summary += f", accompagné par {facts['advisor_name']}"
    summary += f" ; date limite : {deadline_text}." if deadline_text else "."
    return f"Dossier ouvert : {quoted(data['title'])}", summary, facts, deadline


@_builder("case.stage_changed")
def _case_stage_changed(data, directory):
    title = directory.case_title(data["case_id"], data.get("title"))
    before, after = data.get("from"), data["to"]
    facts = {"case_title": title, "from_stage": labels.stage(before) if before else None,
             "to_stage": labels.stage(after), "reason": data.get("reason"),
             "next_step": labels.next_step(after), **_advisor_facts(data, directory)}
    summary = f"Le dossier {quoted(title)} passe à l'étape {quoted(facts['to_stage'])}"
    if facts["from_stage"]:
        summary += f" (il était à l'étape {quoted(facts['from_stage'])})"
    summary += "."
    if facts["reason"]:
        summary += f" Motif : {facts['reason']}"
    return (f"{quoted(title)} : étape {quoted(facts['to_stage'])}", summary, facts, None)


@_builder("case.deadline_reminder")
def _case_deadline_reminder(data, directory):
    deadline, deadline_text = _when(data["deadline"])
    days = int(data["days_before"])
    when = countdown(days)
    stage = labels.stage(data["stage"])
    facts = {"case_title": data["title"], "deadline": deadline_text, "days_before": days,
             "countdown": when, "stage": stage, "next_step": labels.next_step(data["stage"]),
             "structure_name": directory.structure_name(data["structure_id"]),
             "_urgent": days <= 2, **_advisor_facts(data, directory)}
    summary = (f"La réponse à {quoted(data['title'])} doit être déposée au plus tard le "
               f"{deadline_text} ({when}). Étape en cours : {stage}.")
    return f"Échéance {when} : {quoted(data['title'])}", summary, facts, deadline


@_builder("case.deadline_missed")
def _case_deadline_missed(data, directory):
    deadline, deadline_text = _when(data["deadline"])
    facts = {"case_title": data["title"], "deadline": deadline_text,
             "structure_name": directory.structure_name(data["structure_id"]),
             **_advisor_facts(data, directory)}
    summary = (f"La date limite de dépôt de {quoted(data['title'])} ({deadline_text}) est "
               "passée sans que le dépôt soit enregistré.")
    return f"Date limite dépassée : {quoted(data['title'])}", summary, facts, None


@_builder("case.deposit_unconfirmed")
def _case_deposit_unconfirmed(data, directory):
    deadline, deadline_text = _when(data["deadline"])
    facts = {"case_title": data["title"], "deadline": deadline_text, "_urgent": True,
             "structure_name": directory.structure_name(data["structure_id"]),
             **_advisor_facts(data, directory)}
    summary = (f"La date limite de {quoted(data['title'])} ({deadline_text}) est passée alors "
               "que le dossier était à l'étape du dépôt : le dépôt a-t-il bien eu lieu ?")
    return f"Dépôt à confirmer : {quoted(data['title'])}", summary, facts, None


@_builder("case.idle_escalated")
def _case_idle_escalated(data, directory):
    since = parse_instant(data["idle_since"])
    stage = labels.stage(data["stage"])
    days = int(data["idle_days"])
    facts = {"case_title": data["title"], "stage": stage,
             "idle_since": long_date(since) if since else None, "idle_days": days,
             "idle_limit": plural(days, "jour"),
             "structure_name": directory.structure_name(data["structure_id"]),
             **_advisor_facts(data, directory)}
    summary = f"Le dossier {quoted(data['title'])} ({facts['structure_name']}) est à l'étape {stage}"
    summary += f" sans activité depuis le {facts['idle_since']}" if since else " sans activité"
    summary += f", au-delà de la limite de {facts['idle_limit']}."
    return f"Dossier sans activité : {quoted(data['title'])}", summary, facts, None


@_builder("case.outcome_recorded")
def _case_outcome_recorded(data, directory):
    title = directory.case_title(data["case_id"], data.get("title"))
    structure = directory.structure_name(data["structure_id"])
    won = data["outcome"] == "won"
    amount = euros(data.get("amount"))
    facts = {"case_title": title, "structure_name": structure, "won": won, "amount": amount,
             "feedback": data.get("feedback"), "next_step": labels.next_step(data["outcome"]),
             **_advisor_facts(data, directory)}
    if won:
        summary = f"Bravo : {structure} remporte le marché {quoted(title)}"
        summary += f" pour {amount}." if amount else "."
        return f"Marché remporté : {quoted(title)}", summary, facts, None
    summary = f"La réponse de {structure} à {quoted(title)} n'a pas été retenue."
    if facts["feedback"]:
        summary += f" Retour de l'acheteur : {facts['feedback']}"
    return f"Marché non retenu : {quoted(title)}", summary, facts, None


@_builder("consortium.invited")
def _consortium_invited(data, directory):
    lead = directory.structure_name(data["lead_structure_id"])
    role = labels.consortium_role(data["role"])
    facts = {"case_title": data["title"], "lead_name": lead, "role": role,
             "structure_name": directory.structure_name(data["structure_id"])}
    summary = (f"{lead[0].upper() + lead[1:]} propose à {facts['structure_name']} de rejoindre "
               f"son groupement pour {quoted(data['title'])}, en tant que {role}.")
    return f"Invitation à un groupement : {quoted(data['title'])}", summary, facts, None


@_builder("consortium.answered")
def _consortium_answered(data, directory):
    invitation = directory.invitations.get((data["case_id"], data["structure_id"]))
    title = directory.case_title(data["case_id"], invitation.title if invitation else None)
    partner = directory.structure_name(data["structure_id"])
    partner = partner[0].upper() + partner[1:]
    accepted = bool(data["accepted"])
    facts = {"case_title": title, "partner_name": partner, "accepted": accepted,
             **_advisor_facts(data, directory)}
    if accepted:
        summary = f"{partner} accepte de rejoindre le groupement pour {quoted(title)}."
        return f"{partner} rejoint le groupement : {quoted(title)}", summary, facts, None
    summary = f"{partner} décline l'invitation au groupement pour {quoted(title)}."
    return f"{partner} décline le groupement : {quoted(title)}", summary, facts, None


@_builder("structure.document_expiring")
def _document_expiring(data, directory):
    valid_until = date.fromisoformat(data["valid_until"])
    expired = data["days_left"] < 0
    facts = {"structure_name": directory.structure_name(data["structure_id"]),
             "label": data["label"], "valid_until": long_date(valid_until), "expired": expired,
             "days_left": countdown(data["days_left"]) if not expired else None}
    # The end of its last valid day: within 48 hours, a digest would tell it too late.
    moment = datetime.combine(valid_until, time(23, 59), PARIS)
    title = (f"Document expiré : {data['label']}" if expired
             else f"Document à renouveler : {data['label']}")
    return title, data["message"], facts, moment


@_builder("diagnosis.completed")
def _diagnosis_completed(data, directory):
    title = directory.case_title(data["case_id"])
    decision = labels.diagnosis_decision(data["decision"])
    modules = [labels.training_module(code) for code in data.get("recommended_modules") or []]
    facts = {"case_title": title, "decision": decision, "decision_code": data["decision"],
             "score": decimal_comma(data["score"]), "modules": modules,
             "structure_name": directory.structure_name(data["structure_id"]),
             **_advisor_facts(data, directory)}
    summary = (f"Diagnostic de {quoted(title)} terminé : conclusion « {decision} » "
               f"(score {facts['score']} sur 100).")
    if modules:
        summary += f" Formations conseillées : {join_with_et([quoted(m) for m in modules])}."
    return f"Diagnostic terminé : {quoted(title)}", summary, facts, None


# -- formation --------------------------------------------------------------------------------

def _training_facts(data: Mapping[str, Any]) -> dict[str, Any]:
    person = person_from(data.get("person"))
    return {"module_title": data.get("module_title") or "formation",
            "when": _session_span(data.get("starts_at"), data.get("ends_at")),
            "place": data.get("place"), "session_id": data["session_id"],
            "video_url": data.get("video_url"), "trainer": data.get("trainer"),
            "person_name": person.name if person else None}


@_builder("training.registration_confirmed")
def _training_confirmed(data, directory):
    facts = _training_facts(data)
    summary = (f"Votre inscription à la formation {quoted(facts['module_title'])} est confirmée : "
               f"{facts['when']}, {facts['place']}.")
    return (f"Inscription confirmée : {facts['module_title']}", summary, facts,
            parse_instant(data["starts_at"]))


@_builder("training.waitlisted")
def _training_waitlisted(data, directory):
    facts = _training_facts(data)
    facts["position"] = data.get("waitlist_position")
    summary = f"La session {quoted(facts['module_title'])}, {facts['when']}, est complète"
    if facts["position"]:
        summary += f" : vous êtes en position {facts['position']} sur la liste d'attente."
    else:
        summary += " : vous êtes sur la liste d'attente."
    summary += " Nous vous écrirons dès qu'une place se libère."
    return (f"Liste d'attente : {facts['module_title']}", summary, facts, None)


@_builder("training.promoted")
def _training_promoted(data, directory):
    facts = _training_facts(data)
    summary = (f"Une place s'est libérée : votre inscription à la formation "
               f"{quoted(facts['module_title'])} est confirmée : {facts['when']}, "
               f"{facts['place']}.")
    return (f"Une place s'est libérée : {facts['module_title']}", summary, facts,
            parse_instant(data["starts_at"]))


@_builder("training.reminder")
def _training_reminder(data, directory):
    facts = _training_facts(data)
    days = data.get("days_before")
    facts["countdown"] = countdown(int(days)) if days is not None else None
    lead = f"La formation {quoted(facts['module_title'])} a lieu"
    if facts["countdown"]:
        lead += f" {facts['countdown']}"
    summary = (f"{lead} : {facts['when']}, {facts['place']}. L'invitation pour votre agenda est "
               "jointe à ce courriel.")
    title = f"Rappel : formation {quoted(facts['module_title'])}"
    if facts["countdown"]:
        title += f" {facts['countdown']}"
    return title, summary, facts, parse_instant(data["starts_at"])


@_builder("training.session_cancelled")
def _training_session_cancelled(data, directory):
    module = data.get("module_title") or "formation"
    start = parse_instant(data.get("starts_at"))
    facts = {"module_title": module, "when": long_datetime(start) if start else None,
             "reason": data.get("reason"), "session_id": data["session_id"]}
    summary = f"La session {quoted(module)}"
    if facts["when"]:
        summary += f" du {facts['when']}"
    summary += " est annulée"
    summary += f" : {facts['reason']}." if facts["reason"] else "."
    summary += " Nous vous proposerons une autre date."
    return f"Session annulée : {module}", summary, facts, start


@_builder("training.session_recommended")
def _training_session_recommended(data, directory):
    facts = _training_facts(data)
    closes_at = parse_instant(data["registrations_close_at"])
    facts["closes"] = long_datetime(closes_at) if closes_at else None
    facts["structure_name"] = directory.structure_name(data["structure_id"])
    summary = (f"Le diagnostic de votre dossier recommandait la formation "
               f"{quoted(facts['module_title'])} : une session est programmée, {facts['when']}, "
               f"{facts['place']}.")
    if facts["closes"]:
        summary += f" Inscriptions jusqu'au {facts['closes']}."
    return (f"Formation recommandée : {facts['module_title']}", summary, facts,
            parse_instant(data["starts_at"]))


@_builder("training.session_rescheduled")
def _training_session_rescheduled(data, directory):
    facts = _training_facts(data)
    facts["previous_when"] = _session_span(data.get("previous_starts_at"),
                                           data.get("previous_ends_at"))
    facts["reason"] = data.get("reason")
    # Each person reads where they stand: a seat kept, or still on the waitlist.
    facts["waitlisted"] = sorted(person.email for raw in data.get("people") or ()
                                 if raw.get("status") == "waitlisted"
                                 and (person := person_from(raw)) is not None)
    summary = (f"La session {quoted(facts['module_title'])} change de date : {facts['when']} "
               f"(au lieu de : {facts['previous_when']}), {facts['place']}.")
    if facts["reason"]:
        summary += f" Motif : {facts['reason']}."
    summary += " Les inscriptions et la liste d'attente sont conservées."
    return (f"Session déplacée : {facts['module_title']}", summary, facts,
            parse_instant(data["starts_at"]))


@_builder("training.registration_cancelled")
def _training_registration_cancelled(data, directory):
    facts = _training_facts(data)
    facts["was_waitlisted"] = data.get("previous_status") == "waitlisted"
    summary = (f"Votre inscription à la formation {quoted(facts['module_title'])} du "
               f"{facts['when']} est annulée.")
    if facts["was_waitlisted"]:
        summary = (f"Vous n'êtes plus sur la liste d'attente de la formation "
                   f"{quoted(facts['module_title'])} du {facts['when']}.")
    return f"Inscription annulée : {facts['module_title']}", summary, facts, None


@_builder("training.registrations_closed")
def _training_registrations_closed(data, directory):
    start = parse_instant(data.get("starts_at"))
    facts = {"module_title": data["module_title"],
             "when": long_datetime(start) if start else None, "session_id": data["session_id"]}
    summary = (f"Les inscriptions à la formation {quoted(data['module_title'])} du "
               f"{facts['when']} sont closes et aucune place ne s'est libérée : vous ne pourrez "
               "pas participer à cette session. Nous vous proposerons la prochaine en priorité.")
    return f"Pas de place cette fois : {data['module_title']}", summary, facts, None


@_builder("training.survey_requested")
def _training_survey_requested(data, directory):
    facts = _training_facts(data)
    facts["certificate"] = bool(data.get("certificate_path"))
    summary = (f"Merci d'avoir suivi la formation {quoted(facts['module_title'])} : donnez-nous "
               "votre avis en deux minutes depuis votre espace de la Centrale.")
    if facts["certificate"]:
        summary += " Votre attestation de formation y est disponible."
    return f"Votre avis sur la formation {quoted(facts['module_title'])}", summary, facts, None


@_builder("account.invited")
def _account_invited(data, directory):
    role = label("role", data["role"]).lower()
    facts = {"invited_by": data["invited_by"], "link": data["link"], "role": role,
             "expires": long_datetime(parse_instant(data["expires_at"]))}
    summary = (f"{data['invited_by']} vous invite à rejoindre la Centrale des Marchés "
               f"Solidaires ({role}) ; le lien de création de votre compte vaut jusqu'au "
               f"{facts['expires']}.")
    return "Votre accès à la Centrale des Marchés Solidaires", summary, facts, None


@_builder("account.password_reset")
def _account_password_reset(data, directory):
    facts = {"name": data.get("name"), "link": data["link"],
             "expires": long_datetime(parse_instant(data["expires_at"]))}
    summary = ("Un lien pour choisir un nouveau mot de passe a été demandé pour votre compte ; "
               f"il vaut jusqu'au {facts['expires']}, une seule fois.")
    return "Choisir un nouveau mot de passe", summary, facts, None
@_builder("account.email_check")
def _account_email_check(data, directory):
    purpose = {"contact": "envoyer votre message à une structure de l'annuaire",
               "signup": "créer votre compte d'acheteur"}.get(data["purpose"],
                                                             "continuer")
    facts = {"link": data["link"], "purpose": purpose,
             "expires": long_datetime(parse_instant(data["expires_at"]))}
    summary = (f"Confirmez votre adresse électronique pour {purpose} ; le lien vaut jusqu'au "
               f"{facts['expires']}.")
    return "Confirmez votre adresse électronique", summary, facts, None


@_builder("directory.message")
def _directory_message(data, directory):
    structure = directory.structure_name(data["structure_id"])
    facts = {"structure_name": structure, "sender_name": data["sender_name"],
             "sender_email": data["sender_email"], "organisation": data.get("organisation"),
             "subject": data["subject"], "body": data["body"]}
    summary = (f"{data['sender_name']} écrit à {structure} par l'annuaire public : "
               f"{quoted(data['subject'])}.")
    return f"Message de l'annuaire : {data['subject']}", summary, facts, None


# -- buyers' needs (veille) -------------------------------------------------------------------

def _need_facts(data) -> dict[str, Any]:
    return {"object": data["object"], "buyer_name": data["buyer_name"],
            "buyer_kind": label("buyer_kind", data["buyer_kind"]), "reason": data.get("reason")}


@_builder("need.submitted")
def _need_submitted(data, directory):
    summary = (f"{data['buyer_name']} a déposé un besoin, {quoted(data['object'])} : à valider, "
               "ou à renvoyer à l'acheteur avec un motif.")
    return (f"Besoin d'acheteur à valider : {quoted(data['object'])}", summary,
            _need_facts(data), None)


@_builder("need.published")
def _need_published(data, directory):
    summary = (f"La Centrale a validé votre besoin {quoted(data['object'])} : il est publié et "
               "présenté aux structures dont l'activité lui correspond. Leurs réponses "
               "arriveront dans votre espace.")
    return f"Votre besoin est publié : {quoted(data['object'])}", summary, _need_facts(data), None


@_builder("need.returned")
def _need_returned(data, directory):
    summary = f"La Centrale vous renvoie votre besoin {quoted(data['object'])} à reprendre"
    summary += f". Motif : {data['reason']}" if data.get("reason") else "."
    return (f"Votre besoin est à reprendre : {quoted(data['object'])}", summary,
            _need_facts(data), None)


@_builder("need.answered")
def _need_answered(data, directory):
    structure = data["structure_name"]
    summary = (f"{structure} est intéressée par votre besoin {quoted(data['object'])} : son "
               "message, et son devis s'il y en a un, sont dans votre espace.")
    return (f"Une structure intéressée : {quoted(data['object'])}", summary,
            {**_need_facts(data), "structure_name": structure}, None)


@_builder("need.decided")
def _need_decided(data, directory):
    structure = directory.structure_name(data["structure_id"])
    amount = euros(data.get("amount"))
    facts = {**_need_facts(data), "structure_name": structure, "chosen": bool(data["chosen"]),
             "amount": amount}
    if facts["chosen"]:
        summary = f"{data['buyer_name']} retient {structure} pour {quoted(data['object'])}"
        summary += f", pour {amount}." if amount else "."
        return f"Réponse retenue : {quoted(data['object'])}", summary, facts, None
    summary = (f"{data['buyer_name']} n'a pas retenu la réponse de {structure} à "
               f"{quoted(data['object'])}.")
    return f"Réponse non retenue : {quoted(data['object'])}", summary, facts, None

