"""Notifications: the platform's events turned into emails and an in-app feed."""
