"""Veille: the tender watch — ingest the buyers' notices, understand them, alert structures."""
