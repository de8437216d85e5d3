"""Every copy family by name (what `ProductType.family` refers to)."""

from __future__ import annotations

from floorwalker.demo.vocab.clothing import CLOTHING
from floorwalker.demo.vocab.copy import CopyFamily
from floorwalker.demo.vocab.footwear import FOOTWEAR
from floorwalker.demo.vocab.goods import GOODS

FAMILIES: dict[str, CopyFamily] = {**CLOTHING, **FOOTWEAR, **GOODS}
