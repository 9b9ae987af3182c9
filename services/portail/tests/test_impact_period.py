"""The impact dashboard's default period ends today in Paris, whatever the server's zone."""

import os
import time
from datetime import datetime

import pytest

from centrale.french import PARIS
from portail.app import create_app
from portail.views.impact import period


@pytest.fixture
def server_zone():
    """Set the process's local zone (what ``date.today()`` reads); restored afterwards."""
    before = os.environ.get("TZ")

    def set_zone(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield set_zone
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_the_default_period_ends_today_in_paris(server_zone):
    # UTC+14 and UTC-11: at any hour, one of them is not on Paris's date.
    app = create_app(open_resources=False)
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        server_zone(zone)
        with app.test_request_context("/impact"):
            start, end = period()
        today = datetime.now(PARIS).date()
        assert (start, end) == (today.replace(month=1, day=1).isoformat(), today.isoformat()), zone
