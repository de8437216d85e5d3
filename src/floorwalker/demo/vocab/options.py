# ruff: noqa: E501 - one option per line reads better than wrapped tuples
"""Colours and the options variants vary by (sizes, capacities, materials, scents …)."""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------- colours

#: slug → (display name, hex) — the hex also paints the placeholder image.
COLOURS: dict[str, tuple[str, str]] = {
    "black": ("Black", "#1f2124"), "charcoal": ("Charcoal", "#3b4148"),
    "heather-grey": ("Heather Grey", "#9a9ea3"), "slate-blue": ("Slate Blue", "#4a6785"),
    "navy": ("Navy", "#1e2d4f"), "glacier": ("Glacier Blue", "#8fb8d0"),
    "indigo": ("Indigo", "#3a3f7a"), "moss": ("Moss", "#6b7d3f"), "forest": ("Forest Green", "#2f4f3a"),
    "sage": ("Sage", "#a3b18a"), "olive": ("Olive", "#5d5f2e"), "rust": ("Rust", "#b5532d"),
    "terracotta": ("Terracotta", "#c46a4a"), "ochre": ("Ochre", "#c8962e"),
    "marigold": ("Marigold", "#e3a72f"), "burgundy": ("Burgundy", "#6e2332"),
    "plum": ("Plum", "#5e3a5b"), "sand": ("Sand", "#d6c3a0"), "oatmeal": ("Oatmeal", "#e4dccb"),
    "cream": ("Cream", "#f2ead8"), "white": ("White", "#f7f7f5"), "coral": ("Coral", "#e07a67"),
    "teal": ("Teal", "#2d7f7f"), "clay": ("Clay", "#a9745a"), "stone": ("Stone", "#b9b2a5"),
    "espresso": ("Espresso", "#4a3426"), "red": ("Ember Red", "#b8322a"),
    "natural": ("Natural", "#e9e1d0"), "mist": ("Mist", "#cfd8dc"), "dusk": ("Dusk Pink", "#d7a9a3"),
}  # fmt: skip

OUTER = ("black", "slate-blue", "moss", "rust", "navy", "glacier", "ochre", "forest", "burgundy")
EARTH = ("charcoal", "heather-grey", "olive", "sand", "espresso", "forest", "rust", "navy", "stone")
BRIGHT = ("coral", "teal", "marigold", "glacier", "plum", "moss", "white", "black", "dusk")
KIDS = ("marigold", "coral", "teal", "glacier", "red", "moss", "navy", "plum")
GEAR = ("black", "slate-blue", "moss", "rust", "ochre", "charcoal", "teal", "sand")
HOME = (
    "white",
    "oatmeal",
    "cream",
    "sage",
    "mist",
    "clay",
    "charcoal",
    "natural",
    "dusk",
    "indigo",
)
KITCHEN = ("black", "cream", "sage", "terracotta", "navy", "marigold", "teal", "white")

# ---------------------------------------------------------------- options


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """One option of a product type: its name, the values it can take, how many a product has.

    `run` takes a contiguous run of values (sizes); otherwise values are picked at random.
    `steps` add to the price by value index (a king duvet costs more than a twin).
    """

    name: str
    values: tuple[str, ...]
    pick: tuple[int, int]
    run: bool = True
    steps: tuple[int, ...] = ()


def colour(pool: tuple[str, ...], low: int = 2, high: int = 4) -> OptionSpec:
    """A colour option drawn from a palette (values are colour slugs)."""
    return OptionSpec("colour", pool, (low, high), run=False)


SIZES_W = OptionSpec("size", ("XS", "S", "M", "L", "XL"), (4, 5))
SIZES_M = OptionSpec("size", ("S", "M", "L", "XL", "XXL"), (4, 5))
SIZES_U = OptionSpec("size", ("XS", "S", "M", "L", "XL", "XXL"), (4, 6))
SIZES_KIDS = OptionSpec("size", ("4", "5-6", "7-8", "10-12", "14-16"), (4, 5))
SIZES_TODDLER = OptionSpec("size", ("2T", "3T", "4T", "5", "6"), (4, 5))
WAIST_W = OptionSpec("size", ("0", "2", "4", "6", "8", "10", "12", "14", "16"), (7, 9))
WAIST_M = OptionSpec("waist", ("28", "30", "32", "34", "36", "38", "40"), (5, 7))
INSEAM_M = OptionSpec("inseam", ("30", "32", "34"), (2, 3))
SHOE_W = OptionSpec(
    "size", ("5.5", "6", "6.5", "7", "7.5", "8", "8.5", "9", "9.5", "10", "11"), (9, 11)
)
SHOE_M = OptionSpec(
    "size", ("7.5", "8", "8.5", "9", "9.5", "10", "10.5", "11", "11.5", "12", "13"), (9, 11)
)
WIDTH = OptionSpec("width", ("Regular", "Wide"), (1, 2))
SOCK = OptionSpec("size", ("S", "M", "L", "XL"), (3, 4))
HAT = OptionSpec("size", ("S/M", "L/XL"), (1, 2))
ONE_SIZE = OptionSpec("size", ("One Size",), (1, 1))
GLOVE = OptionSpec("size", ("XS", "S", "M", "L", "XL"), (4, 5))
PACK_DAY = OptionSpec("capacity", ("18L", "22L", "26L", "30L"), (1, 3), steps=(0, 1000, 2000, 3000))
PACK_BIG = OptionSpec("capacity", ("45L", "55L", "65L", "75L"), (2, 3), steps=(0, 2000, 4000, 6000))
TORSO = OptionSpec("torso", ("S/M", "M/L"), (2, 2))
TENT = OptionSpec(
    "capacity",
    ("1-person", "2-person", "3-person", "4-person"),
    (2, 3),
    steps=(0, 6000, 12000, 20000),
)
BAG_LEN = OptionSpec("length", ("Regular", "Long"), (2, 2), steps=(0, 2000))
ZIP = OptionSpec("zip", ("Left", "Right"), (1, 2), run=False)
PAD = OptionSpec("size", ("Regular", "Regular Wide", "Long Wide"), (2, 3), steps=(0, 2000, 3500))
BOTTLE = OptionSpec(
    "capacity",
    ("12 oz", "18 oz", "24 oz", "32 oz", "40 oz"),
    (2, 4),
    steps=(0, 300, 600, 900, 1200),
)
MUG_CAP = OptionSpec(
    "capacity", ("10 oz", "12 oz", "16 oz", "20 oz"), (1, 2), steps=(0, 200, 400, 600)
)
BED = OptionSpec(
    "size",
    ("Twin", "Full", "Queen", "King", "California King"),
    (4, 5),
    steps=(0, 2000, 3000, 5000, 5000),
)
PILLOW = OptionSpec("size", ("Standard", "Queen", "King"), (2, 3), steps=(0, 1000, 1500))
FIRMNESS = OptionSpec("firmness", ("Soft", "Medium", "Firm"), (2, 3))
WARMTH = OptionSpec(
    "warmth", ("Lightweight", "All-Season", "Extra Warm"), (2, 3), steps=(0, 3000, 6000)
)
SHEET_MATERIAL = OptionSpec(
    "material",
    ("Percale Cotton", "Sateen Cotton", "Linen", "Flannel"),
    (1, 3),
    run=False,
    steps=(0, 1000, 6000, 1500),
)
THROW = OptionSpec("size", ("50 x 60 in", "60 x 80 in"), (1, 2), steps=(0, 3000))
TOWEL = OptionSpec(
    "size", ("Hand Towel", "Bath Towel", "Bath Sheet"), (2, 3), steps=(0, 1200, 2200)
)
ROBE = OptionSpec("size", ("XS/S", "M/L", "XL/XXL"), (3, 3))
ROBE_MATERIAL = OptionSpec(
    "material", ("Waffle Cotton", "Terry Cotton", "Linen"), (1, 2), run=False, steps=(0, 1000, 3000)
)
SKILLET = OptionSpec("size", ('8"', '10"', '12"', '15"'), (2, 3), steps=(0, 1000, 2000, 4000))
DUTCH = OptionSpec("capacity", ("3.5 qt", "5.5 qt", "7.25 qt"), (2, 3), steps=(0, 4000, 8000))
KNIFE = OptionSpec("length", ('6"', '8"', '10"'), (1, 2), steps=(0, 2000, 3500))
BOARD = OptionSpec("size", ("Small", "Medium", "Large"), (2, 3), steps=(0, 1500, 3000))
SET_OF = OptionSpec("set", ("Set of 2", "Set of 4", "Set of 6"), (1, 2), steps=(0, 2000, 4000))
DINNER = OptionSpec("set", ("4-Piece", "12-Piece", "16-Piece"), (2, 3), steps=(0, 6000, 9000))
SCENT = OptionSpec(
    "scent",
    (
        "Cedar & Smoke",
        "Douglas Fir",
        "Sea Salt & Sage",
        "Wild Fig",
        "Campfire",
        "Juniper",
        "Rain on Moss",
        "Amber & Oak",
        "Citrus Grove",
        "Lavender Field",
    ),
    (2, 4),
    run=False,
)
CANDLE = OptionSpec("size", ("8 oz", "14 oz"), (1, 2), steps=(0, 1400))
STOVE_FUEL = OptionSpec("fuel", ("Canister", "Liquid Fuel"), (1, 1), run=False, steps=(0, 3000))
LUMENS = OptionSpec("output", ("250 lm", "400 lm", "600 lm"), (1, 2), steps=(0, 1500, 3000))
HIP = OptionSpec("capacity", ("1.5L", "3L", "5L"), (1, 2), steps=(0, 800, 1600))
