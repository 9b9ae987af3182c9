"""The tests' dates built from the real clock (``centrale.testing.clock``): Paris days
whatever the machine's zone, exact durations across daylight-saving changes."""

from datetime import datetime, timedelta, timezone

from centrale.french import PARIS
from centrale.testing.clock import (from_now, moved_to_today, paris_at, paris_today,
                                    same_time_days_before)


def test_days_are_counted_in_paris_at_the_hour_asked():
    moment = paris_at(30, 9, 15)
    assert (moment.tzinfo, moment.hour, moment.minute) == (PARIS, 9, 15)
    assert moment.date() - paris_today() == timedelta(days=30)
    assert timedelta(days=29) < moment - datetime.now(timezone.utc) < timedelta(days=31)


def test_from_now_is_an_exact_duration():
    ahead = from_now(hours=60) - datetime.now(timezone.utc)
    assert timedelta(hours=59, minutes=59) < ahead <= timedelta(hours=60)


def test_j_minus_keeps_the_paris_clock_time_across_a_daylight_saving_change():
    deadline = datetime(2027, 4, 2, 12, 0, tzinfo=PARIS)  # summer time since 28 March
    assert same_time_days_before(deadline, 7).isoformat() == "2027-03-26T12:00:00+01:00"
    assert same_time_days_before(deadline.astimezone(timezone.utc), 1).isoformat() == (
        "2027-04-01T12:00:00+02:00")


def test_recorded_dates_are_moved_to_today_by_whole_weeks():
    anchor = paris_today() - timedelta(days=10)
    text = (f'{{"parution": "{anchor}", "deadline": "{anchor + timedelta(days=45)}T12:00:00'
            f'+01:00", "idweb": "26-118204", "publication": "00781234-2026"}}')
    moved = moved_to_today(text, anchor)
    weeks = timedelta(weeks=2)  # 10 days ago: two weeks later is 4 days ahead
    assert moved == (f'{{"parution": "{anchor + weeks}", "deadline": '
                     f'"{anchor + timedelta(days=45) + weeks}T12:00:00+01:00", '
                     '"idweb": "26-118204", "publication": "00781234-2026"}')
    assert moved_to_today(text, paris_today() + timedelta(days=3)) == text  # already ahead
