"""Veille's SQL, one module per table family: tenders (ingest and merge), search, profiles,
matches, quarantine, CPV reference data, feed cursors."""
