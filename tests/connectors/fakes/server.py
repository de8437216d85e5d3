"""Serving a fake platform over real HTTP on loopback, with scripted faults and a virtual clock.

Faults are consumed one per request, in order: a status (500, 503, 429 with Retry-After), a
delay longer than the client's timeout, or a GraphQL THROTTLED answer. The virtual clock lets
a client's injected `sleep` advance the fake's time, so throttling refills are exact and no
test waits for real.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.applications import Starlette


@dataclass
class Fault:
    """One scripted misbehaviour."""

    status: int = 500
    retry_after: float | None = None
    delay: float = 0.0
    throttled: bool = False


class VirtualClock:
    """Time that moves only when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Record the wait and advance time instead of waiting."""
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FakeServer:
    """A Starlette app on a loopback port in a background thread."""

    def __init__(self, app: Starlette) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.faults: deque[Fault] = deque()
        self.requests: list[dict[str, Any]] = []
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=lambda: asyncio.run(self.server.serve()), daemon=True)

    def start(self) -> FakeServer:
        """Start serving (returns once the port accepts connections)."""
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving."""
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def fail(self, *faults: Fault) -> None:
        """Misbehave on the next requests, one fault each."""
        self.faults.extend(faults)

    def next_fault(self) -> Fault | None:
        """The fault for this request, if one is scripted."""
        return self.faults.popleft() if self.faults else None
