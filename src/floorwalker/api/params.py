"""Shared request parameter types."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from floorwalker.kit.ids import MAX_ID

#: A row id in the path: out-of-range numbers are a 422, never a database error.
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]

#: An optional row id filter in the query string, bounded like `IdPath`.
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
