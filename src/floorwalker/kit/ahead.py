"""Run a generator of CPU-only work ahead of its consumer: in a thread, or in another process.

A file import reads, parses and validates batches (pure Python, no I/O but the file) while the
event loop writes the previous ones to the database. In a thread the two share one GIL, so the
import runs on a single core; in a helper process the parsing takes the machine's other core
(decision 0020). `ahead` gives both the same shape: an async iterator of the items, in order,
made ahead of the consumer, with the producer's errors raised where the consumer reads.

The helper is a fresh interpreter (`python -P -m floorwalker.kit.ahead`, so it never re-runs the
parent's main script and never forks a process that has threads) that receives `produce` and
`argument` over a pipe, runs `produce(argument)` and sends each item back as it is made. The
pipe's buffer bounds how far ahead it runs. It stops when the consumer stops reading, whether
it finished, failed or was cancelled. `produce`, `argument` and the items must be picklable.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import pickle
import signal
import subprocess
import sys
from collections.abc import AsyncGenerator, Callable, Iterator
from multiprocessing.connection import Connection, Pipe
from typing import TypeVar

from floorwalker.errors import AppError

T = TypeVar("T")
A = TypeVar("A")

#: How long a helper may take to stop once told to (seconds) before it is killed.
_STOP_TIMEOUT = 5.0


class WorkerStopped(AppError):
    """The helper process stopped before it finished (killed, or out of memory)."""

    code = "worker_stopped"
    status = 500


def _next_in(items: Iterator[T]) -> list[T]:
    """The next item in a list; an empty list at the end."""
    return list(itertools.islice(items, 1))


async def ahead(
    produce: Callable[[A], Iterator[T]], argument: A, *, process: bool
) -> AsyncGenerator[T, None]:
    """The items of `produce(argument)`, made in a worker thread or a helper process."""
    if process:
        # Closed with this generator, so the helper stops when the consumer does.
        async with contextlib.aclosing(_in_process(produce, argument)) as made:
            async for item in made:
                yield item
        return
    items = produce(argument)
    # A generator cannot run in two threads at once: one step ahead.
    upcoming = asyncio.ensure_future(asyncio.to_thread(_next_in, items))
    try:
        while True:
            step = await upcoming
            if not step:
                return
            upcoming = asyncio.ensure_future(asyncio.to_thread(_next_in, items))
            yield step[0]
    finally:
        if not upcoming.done():
            with contextlib.suppress(Exception):
                await upcoming


async def _in_process(produce: Callable[[A], Iterator[T]], argument: A) -> AsyncGenerator[T, None]:
    ours, theirs = Pipe()
    helper = subprocess.Popen(
        # -P: the working directory is not put on the path (a folder named like a module in it
        # must not shadow ours).
        [sys.executable, "-P", "-m", "floorwalker.kit.ahead", str(theirs.fileno())],
        pass_fds=(theirs.fileno(),),
        stdin=subprocess.DEVNULL,
    )
    theirs.close()
    try:
        # The path first: unpickling `produce` imports its module.
        await asyncio.to_thread(ours.send, sys.path)
        await asyncio.to_thread(ours.send, (produce, argument))
        while True:
            try:
                kind, value = await asyncio.to_thread(ours.recv)
            except (EOFError, OSError) as exc:
                code = await asyncio.to_thread(_exit_code, helper)
                raise WorkerStopped(
                    "The helper process reading the input stopped unexpectedly "
                    f"(exit code {code}); nothing after the last batch was read."
                ) from exc
            if kind == "item":
                yield value
            elif kind == "error":
                raise value
            else:
                return
    finally:
        ours.close()
        await asyncio.to_thread(_stop, helper)


def _exit_code(helper: subprocess.Popen[bytes]) -> int | None:
    """The exit code of a helper whose pipe closed (it is ending), or None if it lingers."""
    try:
        return helper.wait(timeout=_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None


def _stop(helper: subprocess.Popen[bytes]) -> None:
    """Wait for a helper whose pipe is closed; kill it if it does not stop."""
    try:
        helper.wait(timeout=_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        helper.kill()
        helper.wait()


def _portable(exc: Exception) -> Exception:
    """The error itself if it survives pickling, else a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _serve(fd: int) -> None:
    """The helper's side: receive the work, send each item, then ("end", None)."""
    # Ctrl-C reaches the whole process group: the parent decides, and closes the pipe.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    connection = Connection(fd)
    try:
        sys.path[:] = connection.recv()
        produce, argument = connection.recv()
        try:
            for item in produce(argument):
                connection.send(("item", item))
        except Exception as exc:  # sent to the parent, which raises it where it reads
            connection.send(("error", _portable(exc)))
            return
        connection.send(("end", None))
    except (BrokenPipeError, ConnectionResetError, EOFError):
        return  # the parent stopped reading
    finally:
        connection.close()


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
