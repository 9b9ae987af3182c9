"""Portail: the web front where advisors and structures meet the platform, in French."""
