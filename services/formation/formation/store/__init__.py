"""Formation's SQL, one room per table family; nothing here decides a rule, an HTTP status or
what an event says (the use cases — ``sessions``, ``registrations``, ``session_steps`` — do,
with the domain):

- ``modules``: the catalogue;
- ``sessions``: sessions, their moves and who is registered to them;
- ``registrations``: registrations, the waitlist, attendance and survey answers;
- ``steps``: what the session workflow claims once (reminders, closing, survey);
- ``recommendations``: modules recommended by diagnoses;
- ``figures``: the records the impact figures are computed from.

Every change of a session's registrations first locks the session row (``SELECT … FOR
UPDATE``, :func:`sessions.get_session` with ``for_update``): registrations of one session are
thereby serialised, so the seat count read is the true one and the waitlist order is the
order in which the lock was obtained. The database checks the result as well:
``sessions.confirmed_count`` (kept by a trigger) may never exceed ``capacity``. Lock order is
always session, then registration, so two operations never deadlock.
"""
