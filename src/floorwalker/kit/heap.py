"""Keep long-lived objects out of the garbage collector's full passes.

A serving process holds about 250,000 objects after its imports (functions, classes, SQLAlchemy
and pydantic machinery) and 50,000 more per search index. CPython's full collection walks all of
them: measured at 260 ms of CPU on the demo store, during which the event loop answers nobody.
That pause was the tail of the assistant's turn latency and of API reads. `gc.freeze()` moves
every object alive now to a generation the collector never walks; objects made later are
collected as usual. Call it after start-up and after loading a large structure that lives
as long as the process (a search index, a trained model).
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()


def freeze_long_lived() -> None:
    """Exclude every object alive now from future garbage-collection passes.

    Young garbage is collected first (cheap), so little that is already dead is kept. Objects
    frozen and later released are freed by reference counting as usual; only reference cycles
    among them stay until the process exits, which is why this is for long-lived structures.
    """
    with _lock:
        gc.collect(1)
        gc.freeze()
