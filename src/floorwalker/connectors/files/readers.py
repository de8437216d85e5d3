"""Reading import files row by row, with bounded memory and byte-level progress.

CSV (UTF-8, header row, comma-separated), JSON Lines (one object per line) and Parquet (row
groups read in batches). Every row comes with the line number people see in an editor (the
header is line 1 of a CSV), so errors can point at it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from floorwalker.errors import Invalid

FORMATS = ("csv", "jsonl", "parquet")

Progress = Callable[[int], None]


class UnreadableFile(Invalid):
    """The file cannot be read as the format it claims to be."""

    code = "unreadable_file"


@dataclass
class Row:
    """One input row: where it is, and its values (or why it could not be parsed)."""

    line: int
    values: dict[str, Any]
    problem: str | None = None


def detect_format(path: Path, given: str | None = None) -> str:
    """The file's format, from `given` or its extension (.csv, .jsonl/.ndjson, .parquet)."""
    if given:
        if given not in FORMATS:
            raise UnreadableFile(f"Unknown format {given!r}; use one of {', '.join(FORMATS)}.")
        return given
    suffix = path.suffix.lower()
    if suffix in {".csv", ".tsv", ".txt"}:
        return "csv"
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    if suffix in {".parquet", ".pq"}:
        return "parquet"
    raise UnreadableFile(
        f"Cannot tell the format of {path.name}; name it .csv, .jsonl or .parquet or pass --format."
    )


#: Why a row holding a NUL character is refused: no text a person writes holds one, and
#: PostgreSQL cannot store it in text (the API refuses it too, as `nul_character`).
NUL_PROBLEM = "contains a NUL character (\\0), which text cannot hold"


NOT_UTF8_PROBLEM = "not UTF-8 text (save the file as UTF-8)"


def _is_utf8(text: str) -> bool:
    """False when decoding left lone surrogates: the bytes were not UTF-8."""
    if text.isascii():  # constant time; only other text is encoded to check it
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _problem(text: str) -> str | None:
    """Why a row's raw text cannot be loaded (a NUL, bytes that are not UTF-8), or None."""
    if "\x00" in text:
        return NUL_PROBLEM
    return None if _is_utf8(text) else NOT_UTF8_PROBLEM


def _has_nul(value: Any) -> bool:
    """Whether a parsed value holds a NUL character in any string, keys included."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class _Counting(io.RawIOBase):
    """A binary reader that reports how many bytes were read."""

    def __init__(self, raw: BinaryIO, progress: Progress | None) -> None:
        self.raw = raw
        self.progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        if self.progress is not None and data:
            self.progress(len(data))
        return len(data)


def _text(path: Path, progress: Progress | None) -> io.TextIOWrapper:
    raw = path.open("rb")
    buffered = io.BufferedReader(_Counting(raw, progress), buffer_size=1 << 20)
    # Bytes that are not UTF-8 become lone surrogates, found row by row (see _problem), so a
    # bad row is reported with its line instead of stopping the file where the decoder was.
    return io.TextIOWrapper(buffered, encoding="utf-8-sig", errors="surrogateescape", newline="")


def read_csv(path: Path, progress: Progress | None = None, delimiter: str = ",") -> Iterator[Row]:
    """Rows of a CSV file with a header; empty cells are left out."""
    with _text(path, progress) as handle:
        # csv.reader with the header zipped in: DictReader builds a dict per row with every
        # column, only for the empty cells to be dropped again (twice the time per row).
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = next(reader, None)
            if header is None:
                return
            names = [n.strip() for n in header]
            if len(set(names)) != len(names):
                raise UnreadableFile(f"{path.name}: the header repeats a column name.")
            if _problem("".join(names)) is not None:
                raise UnreadableFile(f"{path.name}: the header is not UTF-8 text.")
            width = len(names)
            for cells in reader:
                if len(cells) > width:
                    yield Row(reader.line_num, {}, "more cells than header columns")
                    continue
                problem = _problem("".join(cells))  # one search, not one per cell
                if problem is not None:
                    yield Row(reader.line_num, {}, problem)
                    continue
                # A short row leaves its last columns out, as if empty.
                pairs = zip(names, cells, strict=False)
                values = {k: v for k, v in pairs if v and not v.isspace()}
                if values:
                    yield Row(reader.line_num, values)
        except csv.Error as exc:
            raise UnreadableFile(f"{path.name}, line {reader.line_num}: {exc}") from exc


def read_jsonl(path: Path, progress: Progress | None = None) -> Iterator[Row]:
    """Objects of a JSON Lines file; a line that is not a JSON object is a row problem."""
    with _text(path, progress) as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            if not _is_utf8(text):
                yield Row(number, {}, NOT_UTF8_PROBLEM)
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                yield Row(number, {}, f"not JSON ({exc.msg})")
                continue
            if not isinstance(value, dict):
                yield Row(number, {}, "not a JSON object")
                continue
            # Only a line that holds an escaped (or raw) NUL is searched value by value.
            if ("\\u0000" in text or "\x00" in text) and _has_nul(value):
                yield Row(number, {}, NUL_PROBLEM)
                continue
            yield Row(number, value)


def read_parquet(
    path: Path, progress: Progress | None = None, batch: int = 10_000
) -> Iterator[Row]:
    """Rows of a Parquet file, a batch at a time; nulls are left out."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises its own errors for anything unreadable
        raise UnreadableFile(f"{path.name} is not a Parquet file: {exc}") from exc
    total = max(1, parquet.metadata.num_rows)
    size = path.stat().st_size
    line = 0
    for record_batch in parquet.iter_batches(batch_size=batch):
        columns = record_batch.to_pydict()
        names = list(columns)
        for offset in range(record_batch.num_rows):
            line += 1
            values = {n: columns[n][offset] for n in names if columns[n][offset] is not None}
            if _has_nul(values):
                yield Row(line, {}, NUL_PROBLEM)
                continue
            yield Row(line, values)
        if progress is not None:
            progress(int(size * record_batch.num_rows / total))


def read_rows(path: Path, fmt: str, progress: Progress | None = None) -> Iterator[Row]:
    """Rows of a file in one of FORMATS."""
    if not path.is_file():
        raise UnreadableFile(f"No such file: {path}")
    if fmt == "csv":
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        return read_csv(path, progress, delimiter)
    if fmt == "jsonl":
        return read_jsonl(path, progress)
    return read_parquet(path, progress)
