"""Pure domain of the formation service: the rules, with no I/O.

Nothing here imports Flask, psycopg, kombu, temporalio or the project's ``centrale`` library
(but its pure ``centrale.french``, how things read in French):
the API, the store, the handlers and the Temporal workflow call these functions, never the
other way round. Messages people read are in French; identifiers in English.

- ``catalogue``: the modules the Centrale teaches and the codes diagnoses recommend;
- ``registrations``: who gets a seat, who waits, in which order seats are handed back,
  when registrations are open, when attendance and surveys may be recorded;
- ``schedule``: when the session workflow reminds people and closes registrations;
- ``figures``: training hours, attendance rate and satisfaction over a period;
- ``invitation``: a session's calendar invitation (iCalendar, Europe/Paris);
- ``session_events``: what the training events say about a session and a registration.
"""
