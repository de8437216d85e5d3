"""Bounds of numbers that reach the database, as input types.

Out-of-range numbers are refused as validation errors (422) instead of failing in the driver
(PostgreSQL raises on integers that do not fit BIGINT or INTEGER).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

#: The largest id a row can have (BIGINT on PostgreSQL, INTEGER on SQLite).
MAX_ID = 2**63 - 1
#: The largest amount or count a column holds (INTEGER on PostgreSQL).
MAX_INT = 2**31 - 1

#: A row id as input.
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
#: A non-negative amount in minor units, or a count, that fits INTEGER.
Amount = Annotated[int, Field(ge=0, le=MAX_INT)]
#: A positive count that fits INTEGER.
Count = Annotated[int, Field(ge=1, le=MAX_INT)]
