"""Who is told about an event: one test per rule."""

from notifications.domain.recipients import (CaseCard, Directory, Invitation, Person, Role,
                                             StructureCard, references, route, structure_views,
                                             view_for)

ADVISOR = {"id": "c1", "name": "Jeanne Dupont", "email": "Jeanne.Dupont@Centrale.fr"}
REGIE = StructureCard(3, "Régie de quartier du Soleil",
                      (Person("anne@regie.fr", "Anne Martin"), Person("paul@regie.fr", "Paul")))
ESAT = StructureCard(8, "ESAT des Monts du Forez", (Person("direction@esat.fr", "Lucie"),))


def emails(routing):
    return [(r.email, r.role) for r in routing.recipients]


def test_a_deadline_reminder_goes_to_the_structure_contacts_and_the_advisor():
    routing = route("case.deadline_reminder",
                    {"case_id": 1, "structure_id": 3, "advisor": ADVISOR},
                    Directory(structures={3: REGIE}))
    assert emails(routing) == [("anne@regie.fr", Role.CONTACT), ("paul@regie.fr", Role.CONTACT),
                               ("jeanne.dupont@centrale.fr", Role.ADVISOR)]


def test_the_advisor_comes_from_the_case_when_the_event_does_not_carry_one():
    directory = Directory(structures={3: REGIE},
                          cases={1: CaseCard(1, 3, "Nettoyage", Person("jeanne@centrale.fr"))})
    routing = route("case.outcome_recorded", {"case_id": 1, "structure_id": 3,
                                              "outcome": "won"}, directory)
    assert ("jeanne@centrale.fr", Role.ADVISOR) in emails(routing)


def test_a_stage_change_without_structure_finds_it_through_the_case():
    directory = Directory(structures={3: REGIE}, cases={1: CaseCard(1, 3, "Nettoyage")})
    routing = route("case.stage_changed", {"case_id": 1, "to": "review", "by": "x"}, directory)
    assert [e for e, _ in emails(routing)] == ["anne@regie.fr", "paul@regie.fr"]


def test_a_person_reached_twice_is_told_once_as_the_first_role():
    regie = StructureCard(3, "Régie", (Person("jeanne.dupont@centrale.fr", "Jeanne"),))
    routing = route("case.opened", {"case_id": 1, "structure_id": 3, "title": "x",
                                    "advisor": ADVISOR}, Directory(structures={3: regie}))
    assert emails(routing) == [("jeanne.dupont@centrale.fr", Role.CONTACT)]


def test_an_unknown_structure_is_reported_missing_and_the_advisor_still_told():
    routing = route("case.deadline_reminder", {"case_id": 1, "structure_id": 3,
                                               "advisor": ADVISOR}, Directory())
    assert emails(routing) == [("jeanne.dupont@centrale.fr", Role.ADVISOR)]
    assert routing.missing_structures == (3,)


def test_a_tender_match_goes_to_the_structure_only():
    routing = route("tender.matched", {"tender_id": 5, "structure_id": 8},
                    Directory(structures={8: ESAT}))
    assert emails(routing) == [("direction@esat.fr", Role.CONTACT)]


def test_a_consortium_invitation_goes_to_the_invited_partner():
    routing = route("consortium.invited", {"case_id": 1, "lead_structure_id": 3,
                                           "structure_id": 8, "title": "x", "role": "sous_traitant"},
                    Directory(structures={3: REGIE, 8: ESAT}))
    assert emails(routing) == [("direction@esat.fr", Role.CONTACT)]


def test_a_consortium_answer_goes_to_the_lead_and_its_advisor():
    directory = Directory(structures={3: REGIE, 8: ESAT},
                          cases={1: CaseCard(1, 3, "x", Person("jeanne@centrale.fr"))},
                          invitations={(1, 8): Invitation(1, 8, 3, "x")})
    routing = route("consortium.answered", {"case_id": 1, "structure_id": 8, "accepted": True},
                    directory)
    assert [e for e, _ in emails(routing)] == ["anne@regie.fr", "paul@regie.fr",
                                               "jeanne@centrale.fr"]
    assert references("consortium.answered", {"case_id": 1, "structure_id": 8}).invitations \
        == frozenset({(1, 8)})


def test_an_idle_case_is_escalated_to_its_advisor_only():
    routing = route("case.idle_escalated", {"case_id": 1, "structure_id": 3,
                                            "advisor": ADVISOR}, Directory(structures={3: REGIE}))
    assert emails(routing) == [("jeanne.dupont@centrale.fr", Role.ADVISOR)]


def test_an_idle_case_without_an_advisor_reaches_the_territory_s_admins():
    admins = (Person("alice@centrale.fr"), Person("bruno@centrale.fr"))
    unassigned = route("case.idle_escalated", {"case_id": 1, "structure_id": 3},
                       Directory(structures={3: REGIE}, admins=admins))
    assert emails(unassigned) == [("alice@centrale.fr", Role.ADMIN),
                                  ("bruno@centrale.fr", Role.ADMIN)]
    assigned = route("case.idle_escalated", {"case_id": 1, "structure_id": 3, "advisor": ADVISOR},
                     Directory(structures={3: REGIE}, admins=admins))
    assert emails(assigned) == [("jeanne.dupont@centrale.fr", Role.ADVISOR)]


def test_a_training_registration_goes_to_its_person():
    routing = route("training.reminder", {"person": {"email": "Lea@Asso.fr", "name": "Léa"},
                                          "structure_id": 3}, Directory(structures={3: REGIE}))
    assert emails(routing) == [("lea@asso.fr", Role.PARTICIPANT)]


def test_a_cancelled_session_goes_to_everyone_registered_or_waitlisted():
    routing = route("training.session_cancelled", {"session_id": 4, "people": [
        {"email": "lea@asso.fr"}, {"email": "marc@scop.fr"}, {"email": "LEA@asso.fr"}]},
        Directory())
    assert [e for e, _ in emails(routing)] == ["lea@asso.fr", "marc@scop.fr"]


def test_registrations_closed_tells_the_people_left_waiting():
    routing = route("training.registrations_closed", {"session_id": 4, "waitlisted_people": [
        {"email": "lea@asso.fr", "registration_id": 9}]}, Directory())
    assert emails(routing) == [("lea@asso.fr", Role.PARTICIPANT)]


def test_a_tender_result_is_told_to_each_structure_alerted_about_it():
    data = {"tender_id": 5, "title": "Espaces verts", "result": "awarded",
            "structure_ids": [3, 8]}
    views = structure_views("tender.awarded", data)
    assert [v["structure_id"] for v in views] == [3, 8]
    directory = Directory(structures={3: REGIE, 8: ESAT})
    assert [emails(route("tender.awarded", view, directory)) for view in views] == [
        [("anne@regie.fr", Role.CONTACT), ("paul@regie.fr", Role.CONTACT)],
        [("direction@esat.fr", Role.CONTACT)]]
    assert structure_views("tender.cancelled", {**data, "structure_ids": []}) == []
    assert view_for("tender.cancelled", data, 8)["structure_id"] == 8  # parked, then known
    assert structure_views("case.opened", {"case_id": 1}) == [{"case_id": 1}]


def test_a_case_told_of_its_tender_result_spares_contacts_already_told_by_the_alert():
    told = {"case_id": 1, "structure_id": 3, "tender_id": 5, "title": "x",
            "result": "cancelled", "structure_told": True, "advisor": ADVISOR}
    directory = Directory(structures={3: REGIE})
    assert emails(route("case.tender_closed", told, directory)) == [
        ("jeanne.dupont@centrale.fr", Role.ADVISOR)]
    untold = {**told, "structure_told": False}
    assert [e for e, _ in emails(route("case.tender_closed", untold, directory))] == [
        "anne@regie.fr", "paul@regie.fr", "jeanne.dupont@centrale.fr"]
