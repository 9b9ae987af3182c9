"""The advisors' workload (staff): for each advisor, the open cases by stage, the soonest
deadline and the hours booked over a period — accompagnement computes the figures; the page
links each count to the list of those cases."""

from __future__ import annotations

from flask import Blueprint, render_template

from centrale.french import label

from ..clients import ApiError, call, get_counted
from ..security import staff_required
from .impact import period

blp = Blueprint("advisors", __name__)

@blp.get("/conseillers")
@staff_required
def workload():
    start, end = period()
    errors: dict[str, list[str]] = {}
    try:
        loads = call("accompagnement", "GET", "/api/advisors/workload",
                     params={"start": start, "end": end})
    except ApiError as exc:
        if exc.status != 422:
            raise
        loads, errors = [], exc.field_errors()
    # The stages in the workflow's order, as accompagnement gives them.
    stages = [(code, label("stage", code))
              for code in (loads[0]["open_cases_by_stage"] if loads else ())]
    _, unassigned = get_counted("accompagnement", "/api/cases",
                                {"open": "true", "unassigned": "true", "limit": 1})
    return render_template("advisors/workload.html", loads=loads, stages=stages, start=start,
                           end=end, errors=errors, unassigned=unassigned)
