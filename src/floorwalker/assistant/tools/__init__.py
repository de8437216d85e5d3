"""The assistant's tools, gathered into one registry."""

from __future__ import annotations

from floorwalker.assistant.tools import advice, cart, catalog, changes, memory, orders, support
from floorwalker.assistant.tools.base import Registry, Tool

ALL_TOOLS: list[Tool] = [
    *catalog.TOOLS,
    *advice.TOOLS,
    *cart.TOOLS,
    *orders.TOOLS,
    *changes.TOOLS,
    *support.TOOLS,
    *memory.TOOLS,
]

_registry = Registry(ALL_TOOLS)


def build_registry() -> Registry:
    """The registry every conversation uses (tools hold no state)."""
    return _registry
