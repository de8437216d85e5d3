"""A five-product shop and its history, for engine tests that need exact lists."""

from __future__ import annotations

from floorwalker.recommend.engine.catalog import ItemCatalog, ItemInfo
from floorwalker.recommend.engine.components import DAY
from floorwalker.recommend.engine.data import InteractionLog, Kind
from floorwalker.recommend.engine.model import Params, RecommenderModel
from floorwalker.recommend.engine.scoring import History
from floorwalker.recommend.engine.train import fit

NOW = 1_700_000_000
ITEMS = [
    ItemInfo(key="A", title="Linen Shirt", category="Clothing > Shirts", brand="Breeze",
             price=4500, options={"Size": ["S", "M"], "Colour": ["White"]},
             text="A breathable linen shirt."),
    ItemInfo(key="B", title="Chino Trousers", category="Clothing > Trousers", brand="Tailor",
             price=6000, options={"Size": ["M", "L"]}, text="Cotton chinos."),
    ItemInfo(key="C", title="Canvas Sneakers", category="Footwear > Shoes", brand="Stride",
             price=7000, options={"Shoe size": ["41", "42"]}, text="Canvas shoes."),
    ItemInfo(key="D", title="Coffee Beans", category="Home > Pantry", brand="Hearth",
             price=900, text="Whole roasted beans."),
    ItemInfo(key="E", title="Oxford Shirt", category="Clothing > Shirts", brand="Breeze",
             price=5000, options={"Size": ["L"], "Colour": ["Blue"]},
             text="A cotton oxford shirt."),
]  # fmt: skip
P = int(Kind.PURCHASE)
#: (customer, item, days ago, kind, order)
HISTORY = [
    ("u1", "A", 20, P, "o1"), ("u1", "B", 20, P, "o1"),
    ("u2", "A", 15, P, "o2"), ("u2", "B", 15, P, "o2"),
    ("u3", "A", 12, P, "o3"), ("u3", "C", 12, P, "o3"),
    ("u4", "D", 40, P, "o4"), ("u4", "D", 10, P, "o5"),
    ("u5", "D", 30, P, "o6"), ("u5", "D", 5, P, "o7"),
    ("u6", "E", 3, P, "o8"),
    ("u7", "C", 2, P, "o10"),
    ("me", "A", 1, P, "o9"),
]  # fmt: skip
PARAMS = Params(learn_weights=False, repurchase_threshold=0.3)


def history_log() -> InteractionLog:
    """The shop's history as an interaction log."""
    return InteractionLog.from_rows(
        users=[r[0] for r in HISTORY],
        items=[r[1] for r in HISTORY],
        times=[NOW - r[2] * DAY for r in HISTORY],
        kinds=[r[3] for r in HISTORY],
        baskets=[r[4] for r in HISTORY],
    )


def model(weights: dict[str, float] | None = None) -> RecommenderModel:
    """The shop's model with the given blend weights (others 0)."""
    return fit(history_log(), ItemCatalog.build(ITEMS), params=PARAMS, now=NOW,
               weights=weights or {})  # fmt: skip


def history(m: RecommenderModel, rows: list[tuple[str, int, int, int]]) -> History:
    """A shopper's history from (item key, days ago, kind, basket) rows."""
    return History.of([(m.index[k], NOW - d * DAY, kind, b) for k, d, kind, b in rows])


def keys(m: RecommenderModel, indices: object) -> list[str]:
    """Item keys of item indices."""
    return [str(m.keys[i]) for i in list(indices)]  # type: ignore[call-overload]
