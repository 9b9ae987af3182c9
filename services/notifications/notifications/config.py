"""Notifications' own settings, read from the shared :class:`~centrale.settings.Settings`.

Besides the shared ``CENTRALE_*`` variables (SMTP server, token secret, service URLs),
notifications reads six of its own (``settings.option``):

- ``CENTRALE_NOTIFICATIONS_PUBLIC_URL``: the address of the unsubscribe and calendar links of
  emails (default: the portail's address, below — the portail forwards ``/desabonnement/…`` and
  ``/calendrier/….ics`` here, so people never need to reach this service);
- ``CENTRALE_NOTIFICATIONS_MAIL_FROM``: the sender of emails;
- ``CENTRALE_NOTIFICATIONS_DIGEST_TIME``: when the daily digest leaves, Paris time (07:00);
- ``CENTRALE_NOTIFICATIONS_GROUPING_SECONDS``: how long a case's stage-change email waits
  for the next change of the same case, so that close changes make one email (600);
- ``CENTRALE_NOTIFICATIONS_ADMINS``: the territory's admins' addresses, comma-separated: an
  idle case without an advisor is escalated to them;
- ``CENTRALE_NOTIFICATIONS_PORTAIL_URL``: the address people reach the portail at, for the
  « Ouvrir dans la Centrale » links of emails (default: ``CENTRALE_PORTAIL_URL``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from email.utils import parseaddr

from centrale.settings import Settings, SettingsError

DEFAULT_MAIL_FROM = "notifications@marches-solidaires.localhost"
SENDER_NAME = "Centrale des Marchés Solidaires"


@dataclass(frozen=True)
class NotificationConfig:
    public_url: str
    mail_from: str  # the bare address
    smtp_host: str
    smtp_port: int
    token_secret: str
    formation_url: str
    digest_time: time = time(7, 0)
    portail_url: str = "http://127.0.0.1:8000"
    smtp_timeout_s: float = 30.0
    max_attempts: int = 8
    retry_base: timedelta = timedelta(seconds=30)
    retry_cap: timedelta = timedelta(minutes=30)
    # How long a case's stage-change email waits for the next change, to tell both at once.
    grouping_window: timedelta = timedelta(minutes=10)
    # The territory's admins: escalations of cases without an advisor reach them.
    admins: tuple[str, ...] = ()
    # A ``sending`` email older than this belongs to a sender that died after handing it over.
    sending_lease: timedelta = timedelta(minutes=5)

    @property
    def sender(self) -> str:
        """The From header, unencoded (the email policy encodes the accented name)."""
        return f"{SENDER_NAME} <{self.mail_from}>"

    @property
    def mail_domain(self) -> str:
        return self.mail_from.rpartition("@")[2] or "localhost"


def config_from(settings: Settings) -> NotificationConfig:
    portail_url = settings.option("NOTIFICATIONS_PORTAIL_URL",
                                  settings.service_urls.get("portail", "http://127.0.0.1:8000")
                                  ).rstrip("/")
    # People reach the portail, not this service: it forwards /desabonnement and /calendrier.
    public_url = settings.option("NOTIFICATIONS_PUBLIC_URL", portail_url)
    mail_from = parseaddr(settings.option("NOTIFICATIONS_MAIL_FROM", DEFAULT_MAIL_FROM))[1]
    raw_time = settings.option("NOTIFICATIONS_DIGEST_TIME", "07:00")
    try:
        digest_time = time.fromisoformat(raw_time)
    except ValueError as exc:
        raise SettingsError(
            f"CENTRALE_NOTIFICATIONS_DIGEST_TIME doit être une heure (HH:MM), reçu {raw_time!r}"
        ) from exc
    return NotificationConfig(
        public_url=public_url.rstrip("/"),
        mail_from=mail_from or DEFAULT_MAIL_FROM,
        smtp_host=settings.smtp_host,
        smtp_port=settings.smtp_port,
        token_secret=settings.require_token_secret(),
        formation_url=settings.service_urls.get("formation", "http://127.0.0.1:8003").rstrip("/"),
        digest_time=digest_time,
        portail_url=portail_url,
        grouping_window=timedelta(seconds=int(settings.option(
            "NOTIFICATIONS_GROUPING_SECONDS", "600"))),
        admins=tuple(address.strip().lower()
                     for address in settings.option("NOTIFICATIONS_ADMINS", "").split(",")
                     if "@" in address),
    )
