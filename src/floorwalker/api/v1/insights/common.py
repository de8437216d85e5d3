"""What the insights routes share: query parameters and CSV downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from fastapi import Path, Query, Response
from pydantic import BaseModel

MAX_ID = 2**63 - 1
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
Format = Annotated[
    Literal["json", "csv"], Query(alias="format", description="json, or csv for a spreadsheet.")
]
From = Annotated[
    dt.date | None,
    Query(alias="from", description="First day, in the store's timezone (default: 30 days ago)."),
]
To = Annotated[
    dt.date | None, Query(alias="to", description="Last day, included (default: today).")
]


def _flat(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flat(f"{prefix}.{key}" if prefix else str(key), inner, out)
    elif isinstance(value, list):
        out[prefix] = "; ".join(
            ",".join(f"{k}={v}" for k, v in item.items()) if isinstance(item, dict) else str(item)
            for item in value
        )
    else:
        out[prefix] = "" if value is None else value


def csv_response(rows: Iterable[BaseModel | dict[str, Any]], filename: str) -> Response:
    """Rows as a CSV download: nested objects become dotted columns, lists `a; b`."""
    flat: list[dict[str, Any]] = []
    for row in rows:
        data = row.model_dump(mode="json") if isinstance(row, BaseModel) else row
        out: dict[str, Any] = {}
        _flat("", data, out)
        flat.append(out)
    columns: list[str] = []
    for row in flat:
        columns.extend(c for c in row if c not in columns)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(flat)
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )
