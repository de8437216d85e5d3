"""The docs keep up with the code: every setting is in the configuration reference, every
setting the docs name exists, and every relative link points to a file."""

from __future__ import annotations

import re
from pathlib import Path

from floorwalker.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text()

    missing = [
        f"FLOORWALKER_{name.upper()}"
        for name in Settings.model_fields
        if f"`FLOORWALKER_{name.upper()}`" not in text
    ]

    assert missing == []


def test_no_documented_setting_is_unknown() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text()
    known = {f"FLOORWALKER_{name.upper()}" for name in Settings.model_fields}

    documented = set(re.findall(r"`(FLOORWALKER_[A-Z0-9_]+)`", text))

    assert documented - known == set()


#: `[text](target)` links, leaving images' alt text and code spans aside.
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _docs() -> list[Path]:
    return [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]


def test_every_relative_link_points_to_an_existing_file() -> None:
    broken = []
    for doc in _docs():
        text = re.sub(r"```.*?```", "", doc.read_text(), flags=re.DOTALL)
        for target in _LINK.findall(text):
            if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue  # a URL, mailto: or an anchor in the same page
            path = target.split("#", 1)[0]
            if not (doc.parent / path).exists():
                broken.append(f"{doc.relative_to(ROOT)} -> {target}")

    assert broken == []


def test_every_setting_named_in_the_docs_exists() -> None:
    known = {f"FLOORWALKER_{name.upper()}" for name in Settings.model_fields}
    # A retailer's own code in examples names its own variables (FLOORWALKER_IDENTITY_SECRET).
    their_code = re.compile(r"```(?:python|js|javascript|ts|html|php|ruby)\n.*?```", re.DOTALL)
    named = {
        f"{doc.relative_to(ROOT)}: {setting}"
        for doc in _docs()
        for setting in re.findall(
            r"\b(FLOORWALKER_[A-Z0-9_]*[A-Z0-9])\b", their_code.sub("", doc.read_text())
        )
        if setting not in known and not setting.startswith("FLOORWALKER_TEST_")
    }

    assert named == set()
