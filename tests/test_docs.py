"""The docs keep up with the code: every setting is in the configuration reference."""

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
