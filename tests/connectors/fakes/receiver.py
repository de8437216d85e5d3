"""A retailer's webhook endpoint: records what it receives and answers as scripted."""

from __future__ import annotations

from collections import deque
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.connectors.fakes.server import FakeServer


class Receiver:
    """POST /hook records headers and raw body; answers with the next scripted status."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.statuses: deque[int] = deque()
        self.server = FakeServer(Starlette(routes=[Route("/hook", self._hook, methods=["POST"])]))

    @property
    def url(self) -> str:
        """The endpoint's URL."""
        return self.server.url + "/hook"

    def start(self) -> Receiver:
        """Serve on loopback."""
        self.server.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self.server.stop()

    def answer(self, *statuses: int) -> None:
        """Answer the next requests with these statuses (200 afterwards)."""
        self.statuses.extend(statuses)

    async def _hook(self, request: Request) -> JSONResponse:
        self.received.append({"headers": dict(request.headers), "body": await request.body()})
        status = self.statuses.popleft() if self.statuses else 200
        return JSONResponse({"ok": status < 300}, status_code=status)
