"""One test per matching rule, on the pure index (lexemes given as PostgreSQL computes them)."""

import random
from datetime import date

from centrale.cpv import cpv_prefix
from veille.domain.matching import LotFeatures, Profile, ProfileIndex, TenderFeatures, match_profile

CLEANING = TenderFeatures(id=1, cpv_codes=("90911200",), departments=("42",),
                          lexemes=frozenset({"nettoyag", "local", "mediathequ"}), value=120000)


def matches(profile, tender=CLEANING, labels=None):
    return ProfileIndex([profile]).match(tender, labels or {})


def test_cpv_hierarchy_a_prefix_covers_its_descendants_only():
    labels = {"90911200": "Services de nettoyage de bâtiments"}
    found = matches(Profile(1, 10, cpv_prefixes=("9091",)), labels=labels)
    assert [m.reasons for m in found] == [
        ["CPV 90911200 (Services de nettoyage de bâtiments) sous votre 9091"]]
    assert matches(Profile(2, 10, cpv_prefixes=("9092",))) == []
    assert matches(Profile(3, 10, cpv_prefixes=("90911200",)))[0].reasons == [
        "CPV 90911200 : votre code"]


def test_a_more_specific_cpv_prefix_scores_higher():
    broad = matches(Profile(1, 10, cpv_prefixes=("90",)))[0]
    narrow = matches(Profile(2, 10, cpv_prefixes=("909112",)))[0]
    assert broad.score == 50.0 and narrow.score == 83.3


def test_cpv_prefix_is_written_without_trailing_zeros():
    assert cpv_prefix("90910000") == "9091"
    assert cpv_prefix("90911200-8") == "909112"
    assert cpv_prefix("45000000") == "45"


def test_keyword_needs_all_its_lexemes():
    assert matches(Profile(1, 10, keywords=(("nettoyage des locaux", ("nettoyag", "local")),)))[0] \
        .reasons == ["mot-clé « nettoyage des locaux »"]
    assert matches(Profile(2, 10, keywords=(("nettoyage de vitres", ("nettoyag", "vitr")),))) == []


def test_departement_must_be_shared():
    assert matches(Profile(1, 10, departments=("42", "43")))[0].reasons == ["Loire"]
    assert matches(Profile(2, 10, departments=("69",))) == []


def test_value_range_excludes_outside_and_accepts_unknown_values():
    assert matches(Profile(1, 10, cpv_prefixes=("9091",), min_value=50000, max_value=200000)
                   )[0].reasons[-1] == "montant estimé 120 000,00 € dans votre fourchette"
    assert matches(Profile(2, 10, cpv_prefixes=("9091",), max_value=100000)) == []
    unknown = TenderFeatures(id=2, cpv_codes=("90911200",), departments=("42",))
    assert len(matches(Profile(3, 10, cpv_prefixes=("9091",), max_value=100000), unknown)) == 1


LOTS = TenderFeatures(
    id=3, cpv_codes=("77311000", "90911200"), departments=("42",),
    lots=(LotFeatures("1", cpv_codes=("77311000",), value=80000),
          LotFeatures("2", cpv_codes=("90911200",), reserved=("insertion",), value=40000)))


def test_reserved_only_matches_reserved_lots_only():
    found = matches(Profile(1, 10, cpv_prefixes=("9091",), departments=("42",),
                            reserved_only=True), LOTS)
    assert found[0].lots == ["2"]
    assert found[0].reasons == ["CPV 90911200 sous votre 9091", "Loire",
                                "lot 2 réservé aux structures d'insertion (SIAE)"]
    assert matches(Profile(2, 10, cpv_prefixes=("7731",), reserved_only=True), LOTS) == []


def test_criteria_are_judged_lot_by_lot():
    # Lot 1 has the CPV, lot 2 the value: no single lot meets both.
    assert matches(Profile(1, 10, cpv_prefixes=("7731",), max_value=50000), LOTS) == []
    found = matches(Profile(2, 10, cpv_prefixes=("7731",), max_value=90000), LOTS)
    assert found[0].lots == ["1"]
    assert found[0].reasons[0] == "lot 1 : CPV 77311000 sous votre 7731"


def test_notice_kinds_and_expected_renewals():
    renewal = TenderFeatures(id=4, cpv_codes=("90911200",), departments=("42",),
                             notice_kind="renewal", renewal_expected_on=date(2027, 9, 1))
    found = matches(Profile(1, 10, cpv_prefixes=("9091",)), renewal)
    assert found[0].reasons[-1] == "renouvellement attendu vers le mercredi 1er septembre 2027"
    assert matches(Profile(2, 10, cpv_prefixes=("9091",), notice_kinds=("contract",)),
                   renewal) == []


def test_the_index_finds_exactly_what_testing_every_profile_finds():
    rng = random.Random(7)
    prefixes = ["45", "4521", "7731", "773110", "9091", "90911200", "5552", "555231", "7999"]
    lexemes = ["nettoyag", "espac", "vert", "repas", "archiv", "numeris", "local"]
    profiles = []
    for pid in range(1, 400):
        kind = pid % 4
        profiles.append(Profile(
            pid, pid % 37,
            cpv_prefixes=tuple(rng.sample(prefixes, rng.randint(1, 2))) if kind == 0 else (),
            keywords=((f"k{pid}", tuple(rng.sample(lexemes, rng.randint(1, 2)))),)
            if kind in (0, 1) else (),
            departments=tuple(rng.sample(["42", "43", "69", "63"], rng.randint(1, 2)))
            if kind in (0, 2) else (),
            reserved_only=rng.random() < 0.2))
    index = ProfileIndex(profiles)
    for tid in range(60):
        codes = tuple(rng.sample(["45210000", "77311000", "90911200", "55523100", "79995100"], 2))
        tender = TenderFeatures(
            id=tid, cpv_codes=codes, departments=(rng.choice(["42", "43", "69"]),),
            lexemes=frozenset(rng.sample(lexemes, 3)),
            lots=(LotFeatures("1", cpv_codes=codes[:1]),
                  LotFeatures("2", cpv_codes=codes[1:], reserved=("insertion",))))
        brute = {p.id for p in profiles if match_profile(p, tender) is not None}
        assert {m.profile_id for m in index.match(tender)} == brute


def test_removing_a_profile_removes_it_from_the_index():
    index = ProfileIndex([Profile(1, 10, cpv_prefixes=("9091",)), Profile(2, 11, departments=("42",))])
    index.remove(1)
    assert [m.profile_id for m in index.match(CLEANING)] == [2]
    index.add(Profile(2, 11, departments=("69",)))
    assert index.match(CLEANING) == []
    index.remove(2)
    assert len(index) == 0 and index._index == {}  # nothing left filed under an old key


def test_a_profile_filed_twice_under_one_key_is_found_once_and_removed_whole():
    # The same département twice (as an edit may send it): one entry per key, all removed.
    index = ProfileIndex([Profile(1, 10, cpv_prefixes=("9091", "9091"), departments=("42", "42"))])
    assert [m.profile_id for m in index.match(CLEANING)] == [1]
    index.remove(1)
    assert index._index == {} and index.match(CLEANING) == []


# -- the score's parts: one test each --------------------------------------------------------

from datetime import datetime, timedelta  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from veille.domain.matching import has_criteria  # noqa: E402

NOW = datetime(2027, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def parts(found):
    return {p.part: (round(p.points, 1), p.max) for p in found.parts}


def scored(profile, tender, eligibility=lambda _s: None):
    return match_profile(profile, tender, {}, now=NOW, eligibility=eligibility)


def test_score_part_cpv_grows_with_the_prefix_precision():
    tender = TenderFeatures(id=1, cpv_codes=("90911200",), departments=("42",))
    assert parts(scored(Profile(1, 9, cpv_prefixes=("90",)), tender))["cpv"] == (10.0, 30)
    assert parts(scored(Profile(1, 9, cpv_prefixes=("9091",)), tender))["cpv"] == (16.7, 30)
    assert parts(scored(Profile(1, 9, cpv_prefixes=("90911200",)), tender))["cpv"] == (30.0, 30)


def test_score_part_keywords_counts_the_title_more_than_the_text():
    tender = TenderFeatures(id=1, lexemes=frozenset({"nettoyag", "vitr", "ecol"}),
                            title_lexemes=frozenset({"nettoyag"}), departments=("42",))
    in_title = scored(Profile(1, 9, keywords=(("nettoyage", ("nettoyag",)),)), tender)
    in_text = scored(Profile(1, 9, keywords=(("vitres", ("vitr",)),)), tender)
    both = scored(Profile(1, 9, keywords=(("nettoyage", ("nettoyag",)),
                                          ("vitres", ("vitr",)))), tender)
    assert parts(in_title)["keywords"] == (25, 25) and parts(in_text)["keywords"] == (12.5, 25)
    assert parts(both)["keywords"] == (18.8, 25)
    assert [p.detail for p in both.parts] == ["dans le titre et le descriptif"]


def test_score_part_lot_prefers_the_lot_s_own_code():
    own = TenderFeatures(id=1, cpv_codes=("90911200",),
                         lots=(LotFeatures("1", cpv_codes=("90911200",)),))
    inherited = TenderFeatures(id=1, cpv_codes=("90911200",), lots=(LotFeatures("1"),))
    profile = Profile(1, 9, cpv_prefixes=("9091",))
    assert parts(scored(profile, own))["lot"] == (10, 10)
    assert parts(scored(profile, inherited))["lot"] == (5, 10)


def test_score_part_value_within_the_range_or_unpublished():
    profile = Profile(1, 9, cpv_prefixes=("9091",), min_value=10000, max_value=200000)
    known = TenderFeatures(id=1, cpv_codes=("90911200",), value=120000)
    unknown = TenderFeatures(id=1, cpv_codes=("90911200",))
    assert parts(scored(profile, known))["value"] == (10, 10)
    assert parts(scored(profile, unknown))["value"] == (5, 10)
    assert "value" not in parts(scored(Profile(1, 9, cpv_prefixes=("9091",)), known))


def test_score_part_reservation_rewards_a_structure_that_may_answer():
    tender = TenderFeatures(id=1, cpv_codes=("90911200",),
                            lots=(LotFeatures("1", cpv_codes=("90911200",),
                                              reserved=("sheltered_workshop",)),))
    profile = Profile(1, 9, cpv_prefixes=("9091",))
    ea = scored(profile, tender, lambda _s: frozenset({"sheltered_workshop"}))
    unknown = scored(profile, tender)
    siae = scored(profile, tender, lambda _s: frozenset({"insertion"}))
    assert parts(ea)["reservation"] == (15, 15) and parts(unknown)["reservation"] == (5, 15)
    assert "lot 1 réservé aux ESAT et entreprises adaptées : votre structure peut y répondre" \
        in ea.reasons
    assert "lot 1 réservé aux ESAT et entreprises adaptées" in unknown.reasons
    assert siae is None  # a lot it cannot answer is never presented to it


def test_score_part_time_left_before_the_deadline():
    profile = Profile(1, 9, cpv_prefixes=("9091",))

    def time_part(days):
        tender = TenderFeatures(id=1, cpv_codes=("90911200",), deadline=NOW + timedelta(days=days))
        found = scored(profile, tender)
        return parts(found)["time"][0], [p.detail for p in found.parts if p.part == "time"][0]

    assert time_part(45) == (15, "45 jours pour répondre")
    assert time_part(20)[0] == 10 and time_part(10)[0] == 5
    assert time_part(3) == (0, "3 jours pour répondre")
    assert time_part(0.5) == (0, "moins d'un jour pour répondre")


def test_the_score_is_the_share_of_the_points_of_the_parts_that_apply():
    tender = TenderFeatures(id=1, cpv_codes=("90911200",), deadline=NOW + timedelta(days=40))
    found = scored(Profile(1, 9, cpv_prefixes=("90911200",)), tender)
    assert parts(found) == {"cpv": (30.0, 30), "lot": (10, 10), "time": (15, 15)}
    assert found.score == 100.0
    assert scored(Profile(1, 9, cpv_prefixes=("90",)), tender).score == round(
        100 * (10 + 10 + 15) / 55, 1)


def test_clauses_are_a_criterion_judged_lot_by_lot():
    tender = TenderFeatures(id=1, cpv_codes=("90911200",), lots=(
        LotFeatures("1", cpv_codes=("90911200",)),
        LotFeatures("2", cpv_codes=("90911200",), clauses=("social", "insertion"))))
    found = scored(Profile(1, 9, cpv_prefixes=("9091",), clauses=("insertion",)), tender)
    assert found.lots == ["2"] and "lot 2 : clause d'insertion" in found.reasons
    assert scored(Profile(1, 9, clauses=("social",)), TenderFeatures(id=2)) is None


def test_a_profile_without_criterion_matches_nothing():
    assert not has_criteria(Profile(1, 9))
    assert scored(Profile(1, 9), TenderFeatures(id=1, cpv_codes=("90911200",))) is None


def test_days_left_are_counted_on_the_paris_clock_whatever_the_deadline_s_offset():
    # A lot's deadline comes with a fixed offset, a tender's closing in Europe/Paris: 45
    # calendar days at the same Paris clock time are 45 days, although the clocks go forward
    # in between (28 March 2027) and only 44 days 23 h pass.
    deadline = NOW + timedelta(days=45)
    fixed = datetime.fromisoformat(deadline.isoformat())
    lots = (LotFeatures("1", cpv_codes=("90911200",), deadline=fixed),)
    for tender in (TenderFeatures(id=1, cpv_codes=("90911200",), deadline=deadline),
                   TenderFeatures(id=2, cpv_codes=("90911200",), lots=lots)):
        found = scored(Profile(1, 9, cpv_prefixes=("9091",)), tender)
        assert [p.detail for p in found.parts if p.part == "time"] == ["45 jours pour répondre"]
