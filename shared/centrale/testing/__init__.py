"""The pytest plugin of every service's tests (``-p centrale.testing``), against the real
servers ``make test`` starts. Isolation without mocks: each test session gets its own
databases, exchange, queues and task queues.

Its rooms, by purpose (everything is importable from ``centrale.testing`` too):

- :mod:`.resources` — this session's databases, exchange, queues and the settings to reach them;
- :mod:`.fixtures` — tokens and headers, a service's Flask app, waiting, reading the outbox;
- :mod:`.workers` — Temporal workers (``centrale.temporal``'s own loop) and bus consumers in
  threads, recorded histories replayed;
- :mod:`.processes` — services started as OS processes (gunicorn, ``S worker``, ``S bus``);
- :mod:`.code_rules` — rules checked on the code's syntax tree (pure domains, mail only in
  notifications, activities by reference, French wording only through ``centrale.french``).
- :mod:`.clock` — dates built from the real clock with margins (``paris_at(30)``,
  ``from_now(hours=60)``), for tests whose dates meet ``now()``: no fixed date that will pass.
"""

from .code_rules import PURE_SHARED_MODULES, impure_domain_imports  # noqa: F401
from .fixtures import (as_service, bearer, make_headers, make_service_app, outbox_events,  # noqa: F401
                       service_headers, token_secret, wait_until)
from .processes import (RoleProcess, free_port, gunicorn_command, http_ready,  # noqa: F401
                        processes, wait_for_port)
from .resources import (RUN_ID, STALE_AFTER_S, TEST_SECRET, drop_stale_databases,  # noqa: F401
                        drop_test_databases, drop_this_run_databases, isolated_environment,
                        isolated_settings, prepared_settings, recreate_database)
from .workers import (delete_queues, replay_recorded, run_async, running_consumer,  # noqa: F401
                      running_worker)


def pytest_sessionstart(session) -> None:
    drop_stale_databases()


def pytest_sessionfinish(session, exitstatus) -> None:
    drop_this_run_databases()
