"""Every id a client can send is bounded, so an out-of-range number is a 422, never a 500.

SQLite and PostgreSQL store ids as 64-bit integers; a larger number reaching a query fails in
the driver (`OverflowError`, `NumericValueOutOfRange`). The fuzz test finds such holes by
chance; this walks every input schema and finds them all.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import floorwalker
from floorwalker.kit.ids import MAX_ID
from floorwalker.kit.schemas import InputSchema


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _input_schemas() -> list[type[InputSchema]]:
    for module in pkgutil.walk_packages(floorwalker.__path__, "floorwalker."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    return sorted(set(_subclasses(InputSchema)), key=lambda c: (c.__module__, c.__qualname__))


def _integer_bounds(schema: dict[str, Any]) -> list[int | None]:
    """The `maximum` of each integer branch of a property's JSON schema."""
    branches = schema.get("anyOf", [schema])
    out: list[int | None] = []
    for branch in branches:
        if branch.get("type") == "integer":
            out.append(branch.get("maximum"))
        elif branch.get("type") == "array" and branch.get("items", {}).get("type") == "integer":
            out.append(branch["items"].get("maximum"))
    return out


def test_every_integer_id_in_a_request_body_is_bounded() -> None:
    unbounded = []
    schemas = _input_schemas()
    for cls in schemas:
        for name, prop in cls.model_json_schema()["properties"].items():
            if name == "id" or name.endswith(("_id", "_ids")):
                unbounded += [
                    f"{cls.__module__}.{cls.__qualname__}.{name}"
                    for bound in _integer_bounds(prop)
                    if bound is None or bound > MAX_ID
                ]
    assert len(schemas) > 50
    assert unbounded == []
