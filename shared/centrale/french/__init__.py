"""Everything shown to people, written the French way: pure functions and one label table that
every service, every service's pure domain and the portail use (no local copies).

- :mod:`.dates` — dates, deadlines, time spans, durations, countdowns, in Europe/Paris;
- :mod:`.numbers` — euro amounts, decimal commas, plurals, quotes, lists joined by « et »;
- :mod:`.labels` — the table of stage, status and category labels (:func:`label`).
"""

from .dates import (MONTHS, PARIS, WEEKDAYS, clock, countdown, hours, long_date,  # noqa: F401
                    long_datetime, parse_instant, paris, recurrence, short_date,
                    spreadsheet_datetime, time_span)
from .labels import LABELS, choices, label  # noqa: F401
from .numbers import (decimal_comma, euros, join_with_et, plural, quoted,  # noqa: F401
                      whole_number)
