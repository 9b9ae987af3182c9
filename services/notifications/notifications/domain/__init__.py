"""Pure domain of the notifications service: who gets what, in which words, when.

Nothing here does I/O or imports Flask, psycopg, kombu, temporalio, jinja2 or smtplib: the
handlers, the sender, the API and the workflows call these functions, never the other way
round. User-facing texts are in French; identifiers in English.

- ``kinds``: the kinds of notification, preferences and how they decide an email's fate;
- ``recipients``: who is told about an event (the directory kept from events);
- ``messages``: what each event says (title, summary, facts for the templates);
- ``digest``: what goes into each person's daily digest;
- ``delivery``: the states of a delivery and of an email, retries, Message-IDs;
- ``calendar``: the structure's deadlines and trainings as iCalendar;
- ``labels``: how other services' codes read inside a message's sentence.

Dates, amounts and labels are written by ``centrale.french`` (pure, shared by every service).
"""
