"""A demo store as plain rows, before it touches a database.

Rows are dicts keyed by column name. A reference to another planned row is a `Ref(table,
index)`; the writer swaps it for the database id once that row is inserted. Because the plan
holds no database ids, two plans from the same seed and anchor time are byte-identical, which
`checksum` proves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from dataclasses import dataclass, field
from typing import Any

#: Tables in the order they are written (every reference points to an earlier table, or to an
#: earlier row of the same table for the category tree).
TABLE_ORDER: tuple[str, ...] = (
    "categories", "brands", "products", "variants", "product_images", "locations",
    "customers", "addresses", "payment_methods", "orders", "order_lines", "fulfilments",
    "payment_transactions", "order_returns", "order_exchanges", "inventory_levels", "events",
    "session_links", "articles",
)  # fmt: skip


class Ref:
    """A reference to the `index`-th planned row of `table` (immutable by convention)."""

    __slots__ = ("index", "table")

    def __init__(self, table: str, index: int) -> None:
        # A plain slotted class: a frozen dataclass is several times slower to create, and a
        # plan makes a few hundred thousand of these.
        self.table = table
        self.index = index

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ref) and (self.table, self.index) == (other.table, other.index)

    def __hash__(self) -> int:
        return hash((self.table, self.index))

    def __repr__(self) -> str:
        return f"Ref({self.table!r}, {self.index})"


@dataclass(slots=True)
class Plan:
    """Every row of a demo store, by table, plus the store row itself."""

    store: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {name: [] for name in TABLE_ORDER}
    )

    def add(self, table: str, row: dict[str, Any]) -> Ref:
        """Append a row and return a reference to it."""
        rows = self.rows[table]
        rows.append(row)
        return Ref(table, len(rows) - 1)

    def row(self, ref: Ref) -> dict[str, Any]:
        """The planned row a reference points to."""
        return self.rows[ref.table][ref.index]

    def counts(self) -> dict[str, int]:
        """Number of rows per table."""
        return {name: len(rows) for name, rows in self.rows.items()}

    def checksum(self) -> str:
        """SHA-256 over every row in canonical JSON: equal plans have equal checksums."""
        digest = hashlib.sha256()
        digest.update(canonical(self.store).encode())
        for name in TABLE_ORDER:
            digest.update(f"\n#{name}\n".encode())
            for row in self.rows[name]:
                digest.update(canonical(row).encode())
                digest.update(b"\n")
        return digest.hexdigest()


def _encode(value: Any) -> Any:
    if isinstance(value, Ref):
        return f"@{value.table}:{value.index}"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__}")


def canonical(row: dict[str, Any]) -> str:
    """A row as sorted, compact JSON (references and datetimes spelled out)."""
    return json.dumps(row, sort_keys=True, separators=(",", ":"), default=_encode)


def rng_for(seed: int, part: str) -> random.Random:
    """An independent random stream per part, so changing one part leaves the others alone."""
    return random.Random(f"floorwalker-demo:{seed}:{part}")
