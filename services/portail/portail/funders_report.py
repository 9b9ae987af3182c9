"""The funders' report: the services' figures for a period and a territory, put together once
for the page, the PDF and the CSV (pure: no request, no HTTP).

Where each figure comes from (none is computed from every case):
- accompagnement's ``/api/impact?departement=…``: structures helped, diagnoses, answers
  submitted, contracts won and their amounts from cases, coaching hours (and insertion hours
  once accompagnement gives them), kept to the structures established in the territory
  (``structures.departement``), with every such structure's own figures (``by_structure``);
- veille's ``/api/needs/figures``: the needs posted in the territory (by the need's own
  département), and each structure's answers to buyers' needs, the contracts it was chosen for
  and their amounts;
- formation's ``/api/figures``: each structure's training hours (« heures stagiaires »),
  people present, attendance and satisfaction (the survey's 1-to-5 scores, which formation
  already collects after each session, with their sum so that a territory's mean is exact);
- accompagnement's ``insertion_hours``: the hours of insertion the facilitator entered for the
  contracts with a clause whose tender lies in the territory, whoever won them.
Formation and veille know no structure's département: their per-structure figures are kept to
the structures accompagnement lists for the territory, then added up here.

Small counts (« secret statistique »): the public page names no structure, and it does not
publish a figure that one or two structures make up on their own, since a funder who knows the
territory would recognise them — a figure to which fewer than ``SMALL_COUNT`` (3) structures
contribute is shown as « non publié (moins de 3 structures) ». An amount is also withheld when
one structure holds more than 85 % of it (the dominance rule of official statistics), and the
monthly amounts are not published at all (a month often has a single winner). Counts of
structures themselves, of needs posted (the buyers' figure) and of zero are always shown.
Advisors see every figure and the per-structure table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from centrale import french
from centrale.territory import department_label

from . import formatting

SMALL_COUNT = 3
DOMINANCE = Decimal("0.85")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: Decimal | int | None
    unit: str  # "nombre", "euros", "heures", "note", "taux"
    section: str
    # what each structure contributes (the small-count rule); None: always published
    parts: tuple[Decimal, ...] | None = None
    detail: str = ""

    @property
    def withheld(self) -> str | None:
        """Why the public page does not show it, or None."""
        if self.parts is None or not self.value:
            return None
        contributing = [part for part in self.parts if part]
        if len(contributing) < SMALL_COUNT:
            return f"non publié : moins de {SMALL_COUNT} structures"
        if self.unit == "euros" and max(contributing) > DOMINANCE * sum(contributing):
            return "non publié : une structure en fait l'essentiel"
        return None

    @property
    def text(self) -> str:
        """The value as people read it."""
        if self.value is None:
            return "—"
        if self.unit == "euros":
            return french.euros(self.value) or "—"
        if self.unit == "heures":
            return french.hours(self.value)
        if self.unit == "note":
            return f"{french.decimal_comma(self.value, 1)} / 5"
        if self.unit == "taux":
            return f"{french.decimal_comma(Decimal(self.value) * 100, 0)} %"
        return french.whole_number(int(self.value))

    @property
    def spreadsheet(self) -> str:
        """The value for a French spreadsheet: a decimal comma, no unit, nothing for None."""
        if self.value is None:
            return ""
        if self.unit == "taux":
            return french.decimal_comma(Decimal(self.value) * 100, 1)
        return french.decimal_comma(self.value, 2)


@dataclass(frozen=True)
class Chart:
    """A bar chart: the page draws it with Chart.js, the PDF with fpdf2, from the same data."""
    key: str
    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]  # (name, one value per label)
    money: bool = False


@dataclass(frozen=True)
class StructureRow:
    structure_id: int
    name: str
    departement: str
    diagnoses: int
    answers_submitted: int
    won: int
    amount_won: Decimal
    need_answers: int
    need_won: int
    need_amount_won: Decimal
    coaching_hours: Decimal
    training_hours: Decimal
    people_present: int
    satisfaction_mean: Decimal | None
    satisfaction_answers: int
    insertion_hours: Decimal | None = None


@dataclass(frozen=True)
class FundersReport:
    start: str
    end: str
    departements: tuple[str, ...]
    figures: tuple[Figure, ...]
    charts: tuple[Chart, ...]
    structures: tuple[StructureRow, ...] = field(default_factory=tuple)
    months: tuple[dict, ...] = field(default_factory=tuple)
    missing: tuple[str, ...] = ()  # services that did not answer

    @property
    def territory(self) -> str:
        if not self.departements:
            return "toutes les structures accompagnées"
        return french.join_with_et(department_label(code) for code in self.departements)

    @property
    def chart_data(self) -> list[dict]:
        """What the page's script draws (``static/js/impact-charts.js``)."""
        return [{"key": c.key, "labels": list(c.labels), "money": c.money,
                 "series": [{"name": name, "values": list(values)} for name, values in c.series]}
                for c in self.charts]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    @property
    def sections(self) -> list[tuple[str, list[Figure]]]:
        found: dict[str, list[Figure]] = {}
        for item in self.figures:
            found.setdefault(item.section, []).append(item)
        return list(found.items())

    def public(self) -> FundersReport:
        """The aggregates a visitor may read: no structure, no small count (module doc)."""
        shown = tuple(item if item.withheld is None else
                      Figure(item.key, item.label, None, item.unit, item.section, item.parts,
                             item.withheld) for item in self.figures)
        by_key = {item.key: item for item in shown}
        charts = []
        for chart in self.charts:
            if chart.key == "amounts_by_month":
                continue  # a month's amount is often one winner's
            withheld = [key for keys in CHART_FIGURES.get(chart.key, {}).values()
                        for key in keys if key in by_key and by_key[key].value is None]
            if withheld:
                continue  # a withheld bar drawn at 0 would say « none »
            charts.append(chart)
        # Months add up to the period's figures: none when those are withheld.
        months = tuple({k: v for k, v in row.items() if k in ("month", "answers_submitted", "won")}
                       for row in self.months) if any(c.key == "answers_by_month"
                                                      for c in charts) else ()
        return FundersReport(self.start, self.end, self.departements, shown, tuple(charts),
                             (), months, self.missing)


# The figure behind each bar of the charts drawn from figures, so that a withheld figure is
# not shown as a bar either.
CHART_FIGURES = {
    "answers_by_month": {"Réponses déposées": ("answers_submitted",),
                         "Marchés gagnés": ("won_cases",)},
    "won_by_origin": {"Marchés gagnés": ("won_cases", "won_needs")},
    "amounts_by_origin": {"Montants (euros HT)": ("amount_cases", "amount_needs")},
    "hours": {"Heures": ("coaching_hours", "training_hours", "insertion_hours")},
}


def _decimal(value) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def build(impact: dict | None, training: dict | None, needs: dict | None,
          departements: tuple[str, ...] = ()) -> FundersReport:
    """The report from the three services' answers (None: that service did not answer)."""
    impact = impact or {}
    territory = {int(row["structure_id"]): row for row in impact.get("by_structure", [])}
    trained = {int(b["key"]): b["figures"] for b in (training or {}).get("by_structure", [])
               if int(b["key"]) in territory}
    answered = {int(row["structure_id"]): row for row in (needs or {}).get("by_structure", [])
                if int(row["structure_id"]) in territory}
    has_insertion = "insertion_hours" in impact

    rows = []
    for sid, own in territory.items():
        course = trained.get(sid, {})
        need = answered.get(sid, {})
        answers = int(course.get("satisfaction_answers", 0))
        row = StructureRow(
            structure_id=sid, name=own.get("name", ""), departement=own.get("departement", ""),
            diagnoses=int(own.get("diagnoses", 0)),
            answers_submitted=int(own.get("answers_submitted", 0)), won=int(own.get("won", 0)),
            amount_won=_decimal(own.get("amount_won")),
            need_answers=int(need.get("answers", 0)), need_won=int(need.get("won", 0)),
            need_amount_won=_decimal(need.get("amount_won")),
            coaching_hours=_decimal(own.get("coaching_hours")),
            training_hours=_decimal(course.get("training_hours")),
            people_present=int(course.get("people_present", 0)),
            satisfaction_mean=(Decimal(int(course.get("satisfaction_points", 0))) / answers
                               if answers else None),
            satisfaction_answers=answers,
            insertion_hours=(_decimal(own.get("insertion_hours"))
                             if "insertion_hours" in own else None))
        if own.get("helped") or any((row.diagnoses, row.answers_submitted, row.won,
                                     row.need_answers, row.need_won, row.training_hours,
                                     row.people_present, row.insertion_hours)):
            rows.append(row)

    def parts(attribute: str) -> tuple[Decimal, ...]:
        return tuple(Decimal(getattr(row, attribute) or 0) for row in rows)

    def total(attribute: str):
        return sum(parts(attribute), Decimal(0))

    present = sum(int(f.get("people_present", 0)) for f in trained.values())
    recorded = sum(int(f.get("attendance_recorded", 0)) for f in trained.values())
    answers = sum(int(f.get("satisfaction_answers", 0)) for f in trained.values())
    points = sum(int(f.get("satisfaction_points", 0)) for f in trained.values())
    won_cases, won_needs = int(total("won")), int(total("need_won"))
    amount_cases, amount_needs = total("amount_won"), total("need_amount_won")
    accompaniment, buyers, training_section = ("Accompagnement", "Marchés obtenus",
                                               "Formation")
    figures = [
        Figure("structures_helped", "Structures accompagnées",
               int(impact.get("structures_helped", {}).get("total", 0)), "nombre",
               accompaniment),
        Figure("diagnoses", "Diagnostics réalisés", int(impact.get("diagnoses", 0)), "nombre",
               accompaniment, parts("diagnoses")),
        Figure("answers_submitted", "Réponses déposées (dossiers accompagnés)",
               int(impact.get("answers_submitted", 0)), "nombre", accompaniment,
               parts("answers_submitted")),
        Figure("coaching_hours", "Heures d'accompagnement", _decimal(impact.get("coaching_hours")),
               "heures", accompaniment, parts("coaching_hours")),
        Figure("won_cases", "Marchés gagnés sur appels d'offres", won_cases, "nombre", buyers,
               parts("won")),
        Figure("amount_cases", "Montants gagnés sur appels d'offres",
               amount_cases, "euros", buyers, parts("amount_won"), "euros HT"),
        Figure("needs_posted", "Besoins déposés par des acheteurs",
               int((needs or {}).get("posted", 0)), "nombre", buyers, None,
               "dans le territoire, par le département du besoin"),
        Figure("need_answers", "Réponses aux besoins d'acheteurs", int(total("need_answers")),
               "nombre", buyers, parts("need_answers")),
        Figure("won_needs", "Marchés obtenus sur besoins d'acheteurs", won_needs, "nombre",
               buyers, parts("need_won")),
        Figure("amount_needs", "Montants obtenus sur besoins d'acheteurs", amount_needs,
               "euros", buyers, parts("need_amount_won"), "euros HT"),
        Figure("won_total", "Marchés gagnés, en tout", won_cases + won_needs, "nombre", buyers,
               tuple(Decimal(r.won + r.need_won) for r in rows)),
        Figure("amount_total", "Montants gagnés, en tout", amount_cases + amount_needs, "euros",
               buyers, tuple(r.amount_won + r.need_amount_won for r in rows), "euros HT"),
    ]
    if has_insertion:
        # Hours done on the territory's contracts with a clause, whoever won them: what the
        # structures did counts structure by structure, the other winners' hours as one part.
        insertion = _decimal(impact.get("insertion_hours"))
        own = parts("insertion_hours")
        others = insertion - sum(own, Decimal(0))
        figures.append(Figure("insertion_hours", "Heures d'insertion réalisées", insertion,
                              "heures", buyers, own + ((others,) if others > 0 else ()),
                              "clauses sociales suivies par le facilitateur"))
    figures += [
        Figure("training_hours", "Heures de formation (heures stagiaires)",
               total("training_hours"), "heures", training_section, parts("training_hours")),
        Figure("people_trained", "Personnes formées (présentes)", present, "nombre",
               training_section, parts("people_present")),
        Figure("attendance_rate", "Taux de présence",
               (Decimal(present) / recorded) if recorded else None, "taux", training_section,
               tuple(Decimal(int(f.get("attendance_recorded", 0))) for f in trained.values())),
        Figure("satisfaction", "Satisfaction des formations",
               (Decimal(points) / answers) if answers else None, "note", training_section,
               parts("satisfaction_answers"),
               f"moyenne de {french.plural(answers, 'réponse')} au questionnaire (1 à 5)"),
    ]
    by_key = {item.key: item for item in figures}

    months = tuple(impact.get("by_month", []))
    month_labels = tuple(formatting.month(row["month"]) for row in months)
    charts = [
        Chart("answers_by_month", "Réponses déposées et marchés gagnés, par mois", month_labels,
              (("Réponses déposées", tuple(float(r["answers_submitted"]) for r in months)),
               ("Marchés gagnés", tuple(float(r["won"]) for r in months)))),
        Chart("amounts_by_month", "Montants gagnés sur appels d'offres, par mois (euros HT)",
              month_labels,
              (("Montants (euros HT)", tuple(float(r["amount_won"]) for r in months)),),
              money=True),
        Chart("won_by_origin", "Marchés gagnés, selon leur origine",
              ("Appels d'offres", "Besoins d'acheteurs"),
              (("Marchés gagnés", (float(won_cases), float(won_needs))),)),
        Chart("amounts_by_origin", "Montants gagnés, selon leur origine (euros HT)",
              ("Appels d'offres", "Besoins d'acheteurs"),
              (("Montants (euros HT)", (float(amount_cases), float(amount_needs))),),
              money=True),
        Chart("hours", "Heures d'accompagnement, de formation et d'insertion" if has_insertion
              else "Heures d'accompagnement et de formation",
              ("Accompagnement", "Formation") + (("Insertion",) if has_insertion else ()),
              (("Heures", tuple(float(by_key[key].value or 0) for key in (
                  "coaching_hours", "training_hours")
                  + (("insertion_hours",) if has_insertion else ()))),)),
    ]
    missing = tuple(name for name, answer in (("accompagnement", impact or None),
                                              ("formation", training), ("veille", needs))
                    if answer is None)
    period = impact.get("period") or {}
    return FundersReport(
        start=str(period.get("start", "")), end=str(period.get("end", "")),
        departements=tuple(departements), figures=tuple(figures), charts=tuple(charts),
        structures=tuple(sorted(rows, key=lambda r: (r.name.casefold(), r.structure_id))),
        months=months, missing=missing)
