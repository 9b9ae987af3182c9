"""What each event says, in French; every event type renders its text and HTML templates."""

from datetime import datetime, timezone

import pytest

from notifications.domain.kinds import NOTIFIED_EVENT_TYPES
from notifications.domain.messages import build_message
from notifications.domain.recipients import (CaseCard, Directory, Invitation, Person, Recipient,
                                             Role, StructureCard)
from notifications.rendering import render_notification

NOW = datetime(2027, 1, 13, 11, 0, tzinfo=timezone.utc)
ADVISOR = {"id": "c1", "name": "Jeanne Dupont", "email": "jeanne@centrale.fr"}
PERSON = {"id": "p1", "name": "Léa Morel", "email": "lea@asso.fr"}
DIRECTORY = Directory(
    structures={3: StructureCard(3, "Régie de quartier du Soleil", (Person("anne@regie.fr"),)),
                8: StructureCard(8, "ESAT des Monts du Forez", (Person("lucie@esat.fr"),))},
    cases={12: CaseCard(12, 3, "Nettoyage des locaux de la mairie", Person("jeanne@centrale.fr",
                                                                           "Jeanne Dupont"))},
    invitations={(12, 8): Invitation(12, 8, 3, "Nettoyage des locaux de la mairie")})
TRAINING = {"session_id": 4, "registration_id": 40, "structure_id": 3, "person": PERSON,
            "module_title": "Rédiger un mémoire technique",
            "starts_at": "2027-02-04T09:00:00+01:00", "ends_at": "2027-02-04T17:00:00+01:00",
            "place": "Maison de l'ESS, Saint-Étienne"}

NEED = {"need_id": 9, "object": "Entretien des espaces verts du parc", "tender_id": 21,
        "buyer_name": "Ville de Saint-Chamond", "buyer_kind": "public",
        "buyer_email": "achats@saint-chamond.example", "buyer_contact": "Paul Achard",
        "reason": None}

SAMPLES = {
    "need.submitted": NEED,
    "need.published": NEED,
    "need.returned": {**NEED, "reason": "Précisez la surface à entretenir."},
    "need.answered": {**NEED, "structure_id": 3, "structure_name": "Jardins du Gier",
                      "answer_id": 4},
    "need.decided": {**NEED, "structure_id": 3, "chosen": True, "amount": 18400,
                     "outcomes": [{"structure_id": 3, "chosen": True, "amount": 18400}]},
    "tender.matched": {"tender_id": 5, "structure_id": 3, "profile_id": 1,
                       "title": "Entretien des espaces verts", "score": 0.82,
                       "deadline": "2027-02-15T12:00:00+01:00",
                       "reasons": ["Marché réservé aux SIAE", "CPV 77310000 dans vos activités"],
                       "lots": ["Lot 2 : Firminy"]},
    "clause.subcontracting_offered": {
        "contract_id": 7, "tender_id": 5, "structure_id": 3, "structure_ids": [3], "lot": "2",
        "title": "Entretien des espaces verts", "buyer": "Ville de Firminy",
        "winner": {"name": "Propreté Forézienne", "siret": "44306184100047"},
        "hours_required": 350.5, "cpv_codes": ["77310000"]},
    "tender.awarded": {"tender_id": 5, "structure_id": 3, "structure_ids": [3],
                       "title": "Entretien des espaces verts", "result": "awarded",
                       "buyer": "Ville de Firminy",
                       "lots": [{"id": "1", "result": "awarded"},
                                {"id": "2", "result": "unsuccessful"}],
                       "awards": [{"lot": "1", "winner": {"name": "ESAT du Forez",
                                                          "siret": "77567227200014"},
                                   "amount": {"amount": 48200, "currency": "EUR"},
                                   "date": "2027-03-02"}]},
    "tender.cancelled": {"tender_id": 6, "structure_id": 3, "structure_ids": [3],
                         "title": "Nettoyage des vitres", "result": "cancelled", "lots": []},
    "case.tender_closed": {"case_id": 12, "structure_id": 3, "tender_id": 5,
                           "title": "Nettoyage des locaux de la mairie", "result": "cancelled",
                           "structure_told": True, "advisor": ADVISOR},
    "tender.deadline_moved": {"tender_id": 5, "structure_id": 3,
                              "title": "Entretien des espaces verts",
                              "deadline_before": "2027-02-15T12:00:00+01:00",
                              "deadline": "2027-01-14T12:00:00+01:00"},
    "case.opened": {"case_id": 12, "structure_id": 3, "title": "Nettoyage des locaux de la mairie",
                    "advisor": ADVISOR, "deadline": "2027-01-20T12:00:00+01:00"},
    "case.stage_changed": {"case_id": 12, "from": "drafting", "to": "review", "by": "user:j",
                           "reason": "Mémoire prêt"},
    "case.deadline_reminder": {"case_id": 12, "structure_id": 3,
                               "title": "Nettoyage des locaux de la mairie",
                               "deadline": "2027-01-20T12:00:00+01:00", "days_before": 7,
                               "stage": "drafting", "advisor": ADVISOR},
    "case.deadline_missed": {"case_id": 12, "structure_id": 3,
                             "title": "Nettoyage des locaux de la mairie",
                             "deadline": "2027-01-20T12:00:00+01:00"},
    "case.deposit_unconfirmed": {"case_id": 12, "structure_id": 3,
                                 "title": "Nettoyage des locaux de la mairie",
                                 "deadline": "2027-01-20T12:00:00+01:00"},
    "case.idle_escalated": {"case_id": 12, "structure_id": 3,
                            "title": "Nettoyage des locaux de la mairie", "stage": "drafting",
                            "idle_since": "2027-01-02T09:00:00+01:00", "idle_days": 10,
                            "advisor": ADVISOR},
    "case.outcome_recorded": {"case_id": 12, "structure_id": 3, "outcome": "won",
                              "amount": "48500.00"},
    "consortium.invited": {"case_id": 12, "lead_structure_id": 3, "structure_id": 8,
                           "title": "Nettoyage des locaux de la mairie",
                           "role": "cotraitant_solidaire"},
    "consortium.answered": {"case_id": 12, "structure_id": 8, "accepted": True},
    "structure.document_expiring": {"structure_id": 3, "document_id": 9, "kind": "kbis",
                                    "label": "Extrait Kbis", "valid_until": "2027-01-14",
                                    "days_left": 1, "message": "Extrait Kbis : valable jusqu'au "
                                    "14/01/2027 (encore 1 jour), à renouveler."},
    "diagnosis.completed": {"case_id": 12, "structure_id": 3, "decision": "go", "score": 72.5,
                            "recommended_modules": ["memoire-technique", "dume"]},
    "training.registration_confirmed": TRAINING,
    "training.waitlisted": {**TRAINING, "waitlist_position": 2},
    "training.promoted": TRAINING,
    "training.reminder": {**TRAINING, "days_before": 1},
    "training.session_cancelled": {"session_id": 4, "reason": "formatrice malade",
                                   "module_title": "Rédiger un mémoire technique",
                                   "starts_at": "2027-02-04T09:00:00+01:00", "people": [PERSON]},
    "training.session_recommended": {
        **{k: v for k, v in TRAINING.items() if k not in ("person", "registration_id")},
        "registrations_close_at": "2027-02-03T09:00:00+01:00", "case_ids": [12],
        "trainer": "Claire Martin"},
    "training.session_rescheduled": {
        **{k: v for k, v in TRAINING.items() if k not in ("person", "registration_id",
                                                         "structure_id")},
        "previous_starts_at": "2027-01-28T09:00:00+01:00",
        "previous_ends_at": "2027-01-28T17:00:00+01:00", "reason": "salle indisponible",
        "people": [PERSON]},
    "training.registration_cancelled": {**TRAINING, "previous_status": "confirmed"},
    "training.registrations_closed": {"session_id": 4, "module_title": "Rédiger un mémoire technique",
                                      "starts_at": "2027-02-04T09:00:00+01:00", "confirmed": 12,
                                      "waitlisted": 1, "waitlisted_people": [PERSON]},
    "training.survey_requested": {**TRAINING, "survey_path": "/api/registrations/40/survey",
                                  "certificate_path": "/api/registrations/40/certificate.pdf"},
}


def test_every_notified_event_type_has_a_sample():
    assert set(SAMPLES) == set(NOTIFIED_EVENT_TYPES)


@pytest.mark.parametrize("event_type", sorted(SAMPLES))
@pytest.mark.parametrize("role", list(Role))
def test_every_event_renders_in_french_for_every_role(event_type, role):
    message = build_message(event_type, SAMPLES[event_type], DIRECTORY, NOW)
    rendered = render_notification(message, Recipient("x@exemple.fr", "Camille Roux", role),
                                   "https://centrale.example/desabonnement/abc")
    assert rendered.subject == message.title
    assert rendered.text.startswith("Bonjour Camille Roux,\n\n")
    assert "Ne plus recevoir ces courriels : https://centrale.example/desabonnement/abc" \
        in rendered.text
    assert 'href="https://centrale.example/desabonnement/abc"' in rendered.html
    assert '<html lang="fr">' in rendered.html
    assert "None" not in rendered.text and "None" not in rendered.html


def test_a_deadline_reminder_says_when_what_stage_and_what_to_do():
    message = build_message("case.deadline_reminder", SAMPLES["case.deadline_reminder"],
                            DIRECTORY, NOW)
    assert message.title == "Échéance dans 7 jours : « Nettoyage des locaux de la mairie »"
    assert message.summary == (
        "La réponse à « Nettoyage des locaux de la mairie » doit être déposée au plus tard le "
        "mercredi 20 janvier 2027 à 12 h 00 (dans 7 jours). Étape en cours : Rédaction.")
    assert not message.urgent
    text = render_notification(message, Recipient("anne@regie.fr", "Anne Martin", Role.CONTACT),
                               "u").text
    assert "Date limite de dépôt : mercredi 20 janvier 2027 à 12 h 00\n" in text
    assert ("À faire maintenant : rédiger le mémoire technique, chiffrer l'offre et rassembler "
            "les pièces administratives.") in text
    assert "Votre conseiller ou conseillère, Jeanne Dupont, peut vous aider : jeanne@centrale.fr" \
        in text


def test_a_reminder_two_days_before_is_urgent():
    data = {**SAMPLES["case.deadline_reminder"], "days_before": 2}
    message = build_message("case.deadline_reminder", data, DIRECTORY, NOW)
    assert message.urgent and message.title.startswith("Échéance dans 2 jours")


def test_the_advisor_text_names_the_structure():
    message = build_message("case.deadline_reminder", SAMPLES["case.deadline_reminder"],
                            DIRECTORY, NOW)
    text = render_notification(message, Recipient("jeanne@centrale.fr", "Jeanne", Role.ADVISOR),
                               "u").text
    assert "La réponse de Régie de quartier du Soleil à « Nettoyage des locaux de la mairie »" \
        in text
    assert "peut vous aider" not in text


def test_names_come_from_the_directory():
    answered = build_message("consortium.answered", SAMPLES["consortium.answered"], DIRECTORY, NOW)
    assert answered.title == ("ESAT des Monts du Forez rejoint le groupement : "
                              "« Nettoyage des locaux de la mairie »")
    invited = build_message("consortium.invited", SAMPLES["consortium.invited"], DIRECTORY, NOW)
    assert invited.summary == (
        "Régie de quartier du Soleil propose à ESAT des Monts du Forez de rejoindre son "
        "groupement pour « Nettoyage des locaux de la mairie », en tant que cotraitant solidaire.")


def test_an_unknown_structure_or_case_is_named_by_its_number():
    message = build_message("case.stage_changed", {"case_id": 99, "to": "won", "by": "x"},
                            Directory(), NOW)
    assert message.title == "« dossier n° 99 » : étape « Gagné »"


def test_outcomes_diagnoses_and_trainings():
    won = build_message("case.outcome_recorded", SAMPLES["case.outcome_recorded"], DIRECTORY, NOW)
    assert won.summary == ("Bravo : Régie de quartier du Soleil remporte le marché "
                           "« Nettoyage des locaux de la mairie » pour 48 500,00 €.")
    diagnosis = build_message("diagnosis.completed", SAMPLES["diagnosis.completed"], DIRECTORY,
                              NOW)
    assert "conclusion « y aller » (score 72,5 sur 100)" in diagnosis.summary
    waitlisted = build_message("training.waitlisted", SAMPLES["training.waitlisted"], DIRECTORY,
                               NOW)
    assert waitlisted.summary == (
        "La session « Rédiger un mémoire technique », le jeudi 4 février 2027, de 9 h à 17 h, "
        "est complète : vous êtes en position 2 sur la liste d'attente. Nous vous écrirons dès "
        "qu'une place se libère.")
    reminder = build_message("training.reminder", SAMPLES["training.reminder"], DIRECTORY,
                             datetime(2027, 2, 3, 9, tzinfo=timezone.utc))
    assert reminder.title == "Rappel : formation « Rédiger un mémoire technique » demain"
    assert reminder.urgent
    online = build_message("training.registration_confirmed",
                           {**TRAINING, "video_url": "https://visio.example/abc",
                            "trainer": "Claire Martin"}, DIRECTORY, NOW)
    text = render_notification(online, Recipient("lea@asso.fr", "Léa", Role.PARTICIPANT), "u").text
    assert "Lien de connexion : https://visio.example/abc\nFormateur ou formatrice : Claire Martin\n" \
        in text
    closed = build_message("training.registrations_closed", SAMPLES["training.registrations_closed"],
                           DIRECTORY, NOW)
    assert closed.title == "Pas de place cette fois : Rédiger un mémoire technique"


def test_a_document_to_renew_goes_to_the_structure_and_says_until_when():
    from notifications.domain.recipients import route

    data = SAMPLES["structure.document_expiring"]
    message = build_message("structure.document_expiring", data, DIRECTORY, NOW)
    assert message.title == "Document à renouveler : Extrait Kbis"
    assert message.kind.code == "documents"
    assert message.urgent  # its last valid day is tomorrow: no waiting for a digest
    text = render_notification(message, Recipient("anne@regie.fr", "Anne Martin", Role.CONTACT),
                               "u").text
    assert ("Le document « Extrait Kbis » de Régie de quartier du Soleil est valable jusqu'au "
            "jeudi 14 janvier 2027 (fin de validité demain).") in text
    assert [r.email for r in route("structure.document_expiring", data, DIRECTORY).recipients] \
        == ["anne@regie.fr"]

    expired = build_message("structure.document_expiring",
                            {**data, "valid_until": "2027-01-10", "days_left": -3}, DIRECTORY, NOW)
    assert expired.title == "Document expiré : Extrait Kbis" and not expired.urgent
    assert "n'est plus valable depuis le dimanche 10 janvier 2027" in render_notification(
        expired, Recipient("anne@regie.fr", "Anne", Role.CONTACT), "u").text


PATHS = {
    "tender.matched": "/appels-d-offres/5", "tender.deadline_moved": "/appels-d-offres/5",
    "tender.awarded": "/appels-d-offres/5", "tender.cancelled": "/appels-d-offres/6",
    "clause.subcontracting_offered": "/appels-d-offres/5",
    "case.tender_closed": "/dossiers/12",
    "case.opened": "/dossiers/12",
    "case.stage_changed": "/dossiers/12", "case.deadline_reminder": "/dossiers/12",
    "case.deadline_missed": "/dossiers/12", "case.deposit_unconfirmed": "/dossiers/12",
    "case.idle_escalated": "/dossiers/12", "case.outcome_recorded": "/dossiers/12",
    "consortium.invited": None, "consortium.answered": "/dossiers/12",
    "diagnosis.completed": "/dossiers/12", "structure.document_expiring": "/documents",
    "training.registration_confirmed": "/formations/4", "training.waitlisted": "/formations/4",
    "training.promoted": "/formations/4", "training.reminder": "/formations/4",
    "training.session_cancelled": "/formations/4",
    "training.session_rescheduled": "/formations/4",
    "training.session_recommended": "/formations/4",
    "training.registration_cancelled": "/formations/4",
    "training.registrations_closed": "/formations/4",
    "training.survey_requested": "/inscriptions/40/avis",
    "need.submitted": "/besoins/9", "need.published": "/besoins/9",
    "need.returned": "/besoins/9", "need.answered": "/besoins/9",
    "need.decided": "/nos-reponses",
}


@pytest.mark.parametrize("event_type", sorted(SAMPLES))
def test_every_email_opens_the_portail_page_about_it(event_type):
    message = build_message(event_type, SAMPLES[event_type], DIRECTORY, NOW)
    assert message.path == PATHS[event_type]
    rendered = render_notification(message, Recipient("x@exemple.fr", "Camille", Role.CONTACT),
                                   "u", portail_url="https://portail.example")
    if PATHS[event_type] is None:
        assert "Ouvrir dans la Centrale" not in rendered.text + rendered.html
    else:
        url = f"https://portail.example{PATHS[event_type]}"
        assert f"Ouvrir dans la Centrale : {url}\n" in rendered.text
        assert f'href="{url}"' in rendered.html


def test_a_path_is_built_from_numbers_only():
    data = {**SAMPLES["case.opened"], "case_id": "12/../../admin"}
    assert build_message("case.opened", data, DIRECTORY, NOW).path is None


def test_a_moved_deadline_says_from_when_to_when_and_is_urgent_when_it_comes_closer():
    from notifications.domain.recipients import route

    data = SAMPLES["tender.deadline_moved"]
    message = build_message("tender.deadline_moved", data, DIRECTORY, NOW)
    assert message.title == "Date limite modifiée : « Entretien des espaces verts »"
    assert message.summary == (
        "La date limite de « Entretien des espaces verts » passe du lundi 15 février 2027 à "
        "12 h 00 au jeudi 14 janvier 2027 à 12 h 00.")
    assert message.urgent  # brought forward to tomorrow: no waiting for a digest
    text = render_notification(message, Recipient("anne@regie.fr", "Anne", Role.CONTACT),
                               "u").text
    assert "Nouvelle date limite de réponse : jeudi 14 janvier 2027 à 12 h 00\n" in text
    assert [r.email for r in route("tender.deadline_moved", data, DIRECTORY).recipients] == [
        "anne@regie.fr"]
    removed = build_message("tender.deadline_moved", {**data, "deadline": None}, DIRECTORY, NOW)
    assert "ne donne plus de date limite" in removed.summary and not removed.urgent


def test_a_moved_session_says_the_new_date_and_the_old_one():
    message = build_message("training.session_rescheduled",
                            SAMPLES["training.session_rescheduled"], DIRECTORY, NOW)
    assert message.title == "Session déplacée : Rédiger un mémoire technique"
    assert message.kind.code == "formations"
    text = render_notification(message, Recipient("x@exemple.fr", "Camille", Role.PARTICIPANT),
                               "u").text
    assert "Au lieu de : le jeudi 28 janvier 2027, de 9 h à 17 h\n" in text
    assert "Nouvelle date : " + message.facts["when"] + "\n" in text
    assert message.facts["when"] != message.facts["previous_when"]
    assert "Motif : salle indisponible\n" in text


def test_a_recommended_session_is_told_to_the_structure_s_contacts():
    from notifications.domain.recipients import route

    data = SAMPLES["training.session_recommended"]
    message = build_message("training.session_recommended", data, DIRECTORY, NOW)
    assert message.title == "Formation recommandée : Rédiger un mémoire technique"
    assert message.summary.endswith("Inscriptions jusqu'au mercredi 3 février 2027 à 9 h 00.")
    assert [(r.email, r.role) for r in route("training.session_recommended", data,
                                              DIRECTORY).recipients] == [
        ("anne@regie.fr", Role.CONTACT)]
    text = render_notification(message, Recipient("anne@regie.fr", "Anne", Role.CONTACT),
                               "u").text
    assert "inscrivez les personnes de Régie de quartier du Soleil qui en ont besoin" in text


def test_a_match_email_states_the_buyer_deadline_value_links_and_score():
    data = {**SAMPLES["tender.matched"], "buyer": "Saint-Étienne Métropole",
            "estimated_value": {"amount": 120000, "currency": "EUR"},
            "url": "https://www.boamp.fr/pages/avis/?q=idweb:27-123",
            "documents_url": "https://marches.example/dce/27-123", "score": 72.5,
            "score_parts": [{"part": "cpv", "label": "Précision du code CPV", "points": 23.3,
                             "max": 30, "detail": "CPV 77310000 sous votre 7731"}]}
    message = build_message("tender.matched", data, DIRECTORY, NOW)
    text = render_notification(message, Recipient("anne@regie.fr", "Anne", Role.CONTACT), "u").text
    assert "Acheteur : Saint-Étienne Métropole\n" in text
    assert "Date limite de réponse : lundi 15 février 2027 à 12 h 00\n" in text
    assert "Montant estimé : 120 000,00 € HT\n" in text
    assert "Avis officiel : https://www.boamp.fr/pages/avis/?q=idweb:27-123\n" in text
    assert "Dossier de consultation : https://marches.example/dce/27-123\n" in text
    assert "Note de pertinence : 72,5 / 100" in text
    assert "  - Précision du code CPV : 23,3 / 30 (CPV 77310000 sous votre 7731)" in text


def test_a_result_names_the_winners_and_what_became_of_each_lot():
    message = build_message("tender.awarded", SAMPLES["tender.awarded"], DIRECTORY, NOW)
    assert message.title == "Appel d'offres attribué : « Entretien des espaces verts »"
    text = render_notification(message, Recipient("anne@regie.fr", "Anne", Role.CONTACT), "u").text
    assert "  - lot 1 : ESAT du Forez, 48 200,00 €" in text
    assert "  - lot 2 : a été déclaré infructueux (aucune offre retenue)" in text
    cancelled = build_message("tender.cancelled", SAMPLES["tender.cancelled"], DIRECTORY, NOW)
    assert cancelled.summary == ("L'appel d'offres « Nettoyage des vitres » a été déclaré sans "
                                 "suite (la procédure est abandonnée).")


def test_a_subcontracting_offer_names_the_winner_and_the_hours_asked():
    message = build_message("clause.subcontracting_offered",
                            SAMPLES["clause.subcontracting_offered"], DIRECTORY, NOW)
    assert message.kind.code == "sous_traitance"
    assert message.title == "Sous-traitance possible : « Entretien des espaces verts »"
    assert (message.facts["winner"], message.facts["hours"], message.facts["lot"]) == (
        "Propreté Forézienne", "350 h 30", "2")
    assert message.path == "/appels-d-offres/5"
