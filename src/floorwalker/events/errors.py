"""Errors of the events context."""

from __future__ import annotations

from typing import Any

from floorwalker.errors import Invalid


class EventError(Invalid):
    """The family of event ingestion failures."""

    code = "event_error"


class InvalidEvents(EventError):
    """A strict batch held at least one invalid event, so none was stored."""

    code = "invalid_events"

    def __init__(self, rejected: list[dict[str, Any]]) -> None:
        super().__init__(
            f"{len(rejected)} event(s) are not valid; nothing was stored.", rejected=rejected
        )
