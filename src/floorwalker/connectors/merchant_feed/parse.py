"""Reading a Merchant Center feed item by item: XML (RSS 2.0, `g:` namespace) or TSV.

Each item is a dict of attribute name → value(s) (`additional_image_link` may repeat), with the
item's position: its line in a TSV, its number in an XML feed.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from floorwalker.errors import Invalid

G_NAMESPACE = "http://base.google.com/ns/1.0"
REPEATED = {"additional_image_link"}


class UnreadableFeed(Invalid):
    """The feed is neither RSS 2.0 XML nor a TSV with a header."""

    code = "unreadable_feed"


@dataclass
class FeedItem:
    """One item of the feed."""

    position: int
    attributes: dict[str, str | list[str]]


def feed_format(path: Path) -> str:
    """xml or tsv, from the extension or the first bytes."""
    suffix = path.suffix.lower()
    if suffix in {".xml", ".rss"}:
        return "xml"
    if suffix in {".tsv", ".txt"}:
        return "tsv"
    with path.open("rb") as handle:
        start = handle.read(512).lstrip()
    return "xml" if start.startswith(b"<") else "tsv"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_xml(path: Path) -> Iterator[FeedItem]:
    """Items of an RSS 2.0 feed; attributes with or without the g: prefix."""
    position = 0
    try:
        for _event, element in ET.iterparse(path, events=("end",)):
            if _local(element.tag) != "item":
                continue
            position += 1
            attributes: dict[str, str | list[str]] = {}
            for child in element:
                name = _local(child.tag)
                value = (child.text or "").strip()
                if not value:
                    continue
                if name in REPEATED:
                    existing = attributes.setdefault(name, [])
                    assert isinstance(existing, list)
                    existing.append(value)
                elif name not in attributes or child.tag.startswith("{" + G_NAMESPACE):
                    attributes[name] = value
            element.clear()
            yield FeedItem(position, attributes)
    except ET.ParseError as exc:
        raise UnreadableFeed(f"{path.name} is not well-formed XML: {exc}") from exc


def read_tsv(path: Path) -> Iterator[FeedItem]:
    """Items of a tab-separated feed with a header row."""
    with path.open(encoding="utf-8-sig", newline="") as raw:
        reader = csv.DictReader(raw, delimiter="\t")
        if reader.fieldnames is None:
            return
        reader.fieldnames = [n.strip().removeprefix("g:") for n in reader.fieldnames]
        for record in reader:
            attributes: dict[str, str | list[str]] = {}
            for name, value in record.items():
                if name is None or value is None or not value.strip():
                    continue
                if name in REPEATED:
                    attributes[name] = [v.strip() for v in value.split(",") if v.strip()]
                else:
                    attributes[name] = value.strip()
            yield FeedItem(reader.line_num, attributes)


def read_feed(path: Path) -> Iterator[FeedItem]:
    """Items of a feed file in either form."""
    if not path.is_file():
        raise UnreadableFeed(f"No such file: {path}")
    return read_xml(path) if feed_format(path) == "xml" else read_tsv(path)
