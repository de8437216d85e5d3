"""Producers for tests of `floorwalker.kit.ahead`: importable (and light) in a helper process."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

from floorwalker.connectors.files.readers import UnreadableFile


def numbers(count: int) -> Iterator[int]:
    """0, 1, ... count - 1."""
    yield from range(count)


def failing(after: int) -> Iterator[int]:
    """`after` numbers, then an error of our own kind (it pickles)."""
    yield from range(after)
    raise UnreadableFile(f"broken after {after}")


class _Unpicklable(Exception):
    def __init__(self, first: str, second: str) -> None:
        super().__init__(f"{first} {second}")


def failing_oddly(after: int) -> Iterator[int]:
    """`after` numbers, then an error that cannot travel as itself (its __init__ takes two)."""
    yield from range(after)
    raise _Unpicklable("odd", "failure")


def dying(after: int) -> Iterator[int]:
    """`after` numbers, then the process ends without a word (as if killed)."""
    yield from range(after)
    os._exit(3)


def endless(pid_file: Path) -> Iterator[int]:
    """Writes its process id, then numbers forever (a consumer must stop it)."""
    pid_file.write_text(str(os.getpid()))
    n = 0
    while True:
        yield n
        n += 1
        time.sleep(0.001)
