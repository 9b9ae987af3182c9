"""Veille's own figure for Prometheus: when each live source was last polled successfully
(its cursor moved), read from the database when veille's bus process is scraped."""

from __future__ import annotations

import logging

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from .store.cursors import last_polls

log = logging.getLogger(__name__)


class FeedPollCollector(Collector):
    def __init__(self, db) -> None:
        self.db = db

    def collect(self):
        family = GaugeMetricFamily("centrale_feed_last_success_timestamp_seconds",
                                   "Dernière lecture réussie d'une page de la source",
                                   labels=["source"])
        try:
            with self.db.transaction() as conn:
                polls = last_polls(conn)
        except Exception as exc:  # database away: no figure rather than a false one
            log.warning("feed metrics unavailable", extra={"error": repr(exc)})
            return
        for source, at in sorted(polls.items()):
            family.add_metric([source], at)
        yield family
