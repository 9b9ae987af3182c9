"""Accompagnement: structures, coaching cases as durable workflows, consortia, impact."""
