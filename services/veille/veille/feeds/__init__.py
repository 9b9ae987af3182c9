"""Adapters to the live sources (BOAMP's Opendatasoft API, TED's search API): HTTP only.

They fetch bytes and say where the next page is; normalising and storing is the ingester's
work. Base URLs come from settings, so that tests point them at a local replay server.
"""
