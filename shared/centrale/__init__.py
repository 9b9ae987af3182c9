"""The project's own library, shared by every service of the Centrale des Marchés Solidaires.

One way to do each cross-cutting thing lives here: settings, database access and migrations,
the event envelope, the outbox and its relay, the bus consumer with its inbox, service tokens,
problem+json errors, health checks, structured logs and the Temporal client. Each service keeps
only its own domain.
"""
