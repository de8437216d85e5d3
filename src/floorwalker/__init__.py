"""Floorwalker: an open-source, self-hostable AI shopping assistant."""

__version__ = "0.1.0"
