"""Notifications' SQL through psycopg, one module per table family.

- ``journal``: every event received, once (the ``journal`` handler);
- ``directory``: structures and contacts, cases, consortium invitations, parked events;
- ``feed``: the in-app notifications and their read state;
- ``preferences``: each person's choice per kind;
- ``deliveries``: deliveries, the emails carrying them and the sender's state changes;
- ``digests``: digest runs and what each holds;
- ``calendar``: the structures' calendar entries.
"""

from . import calendar, deliveries, digests, directory, feed, journal, preferences  # noqa: F401
from .journal import list_received, record_received  # noqa: F401
