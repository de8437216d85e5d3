# ruff: noqa: E501 - one product type or option per line reads better than wrapped tuples
"""The demo store's catalog vocabulary: categories, brands, colours, options, product types.

Alder & Pine Outfitters sells outdoor clothing, footwear and gear, plus a home line (bedding,
throws, bath, cookware, tableware, candles). Each product type says where it lives in the
category tree, which options its variants vary by, its price range and which copy family
(`vocab.copy`) its descriptions are written from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from floorwalker.demo.vocab.options import (
    BAG_LEN,
    BED,
    BOARD,
    BOTTLE,
    BRIGHT,
    CANDLE,
    DINNER,
    DUTCH,
    EARTH,
    FIRMNESS,
    GEAR,
    GLOVE,
    HAT,
    HIP,
    HOME,
    INSEAM_M,
    KIDS,
    KITCHEN,
    KNIFE,
    LUMENS,
    MUG_CAP,
    ONE_SIZE,
    OUTER,
    PACK_BIG,
    PACK_DAY,
    PAD,
    PILLOW,
    ROBE,
    ROBE_MATERIAL,
    SCENT,
    SET_OF,
    SHEET_MATERIAL,
    SHOE_M,
    SHOE_W,
    SIZES_KIDS,
    SIZES_M,
    SIZES_TODDLER,
    SIZES_W,
    SKILLET,
    SOCK,
    STOVE_FUEL,
    TENT,
    THROW,
    TORSO,
    TOWEL,
    WAIST_M,
    WAIST_W,
    WARMTH,
    WIDTH,
    ZIP,
    OptionSpec,
    colour,
)

# ---------------------------------------------------------------- categories

#: (slug, name, parent slug or None), parents before children.
CATEGORIES: tuple[tuple[str, str, str | None], ...] = (
    ("women", "Women", None), ("men", "Men", None), ("kids", "Kids", None),
    ("footwear", "Footwear", None), ("accessories", "Accessories", None),
    ("gear", "Gear", None), ("home", "Home", None),
    ("women-jackets", "Jackets & Coats", "women"), ("women-fleece", "Fleece & Midlayers", "women"),
    ("women-tops", "Tops & Tees", "women"), ("women-pants", "Pants & Leggings", "women"),
    ("women-dresses", "Dresses & Skirts", "women"),
    ("men-jackets", "Jackets & Coats", "men"), ("men-fleece", "Fleece & Midlayers", "men"),
    ("men-shirts", "Shirts & Tees", "men"), ("men-pants", "Pants & Shorts", "men"),
    ("kids-outerwear", "Outerwear", "kids"), ("kids-clothing", "Clothing", "kids"),
    ("hiking-boots", "Hiking Boots", "footwear"), ("trail-runners", "Trail Running Shoes", "footwear"),
    ("sandals", "Sandals", "footwear"), ("casual-shoes", "Casual Shoes & Slippers", "footwear"),
    ("hats", "Hats & Beanies", "accessories"), ("gloves", "Gloves & Mittens", "accessories"),
    ("socks", "Socks", "accessories"),
    ("backpacks", "Backpacks & Bags", "gear"), ("tents", "Tents & Shelters", "gear"),
    ("sleeping", "Sleeping Bags & Pads", "gear"), ("camp-kitchen", "Camp Kitchen & Furniture", "gear"),
    ("drinkware", "Water Bottles & Drinkware", "gear"), ("lighting", "Headlamps & Lanterns", "gear"),
    ("bedding", "Bedding", "home"), ("throws", "Throws & Blankets", "home"), ("bath", "Bath", "home"),
    ("cookware", "Cookware & Knives", "home"), ("tableware", "Tableware & Mugs", "home"),
    ("candles", "Candles & Home Fragrance", "home"),
)  # fmt: skip

# ---------------------------------------------------------------- brands

#: (name, three-letter SKU code, the copy families it makes).
BRANDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Alder & Pine", "ALP", ("shell", "softshell", "workwear", "insulated", "fleece", "tops", "bottoms", "packs", "socks", "headwear", "bedding", "throws")),
    ("Cascadia Threadworks", "CTW", ("tops", "bottoms", "dress", "fleece")),
    ("Headwall Mountain Works", "HMW", ("shell", "softshell", "insulated", "packs", "tents", "gloves")),
    ("Kestrel Trail", "KST", ("boots", "shoes", "sandals")),
    ("Quarry Footwear", "QRY", ("boots", "shoes", "slippers")),
    ("Tidewater Supply Co.", "TWS", ("tops", "bottoms", "sandals", "drinkware", "headwear")),
    ("Sitka Wool Co.", "SWC", ("socks", "fleece", "headwear", "throws", "gloves")),
    ("Northbound Packs", "NBP", ("packs",)),
    ("Glacier Peak Gear", "GPG", ("tents", "sleep", "lighting", "kitchen")),
    ("Ember Outdoor", "EMB", ("kitchen", "lighting", "drinkware")),
    ("Larchmont Knits", "LMK", ("fleece", "headwear", "throws", "tops")),
    ("Cobble Creek Kids", "CCK", ("kids",)),
    ("Fernway Linen", "FWL", ("bedding", "bath", "throws")),
    ("Hearthstone Home", "HSH", ("bedding", "throws", "bath", "tableware")),
    ("Basalt Ironworks", "BSI", ("cookware",)),
    ("Driftwood Ceramics", "DWC", ("tableware",)),
    ("Wren & Willow", "WNW", ("candles", "tableware", "throws")),
    ("Lantern & Loom", "LNL", ("candles", "bath", "bedding")),
    ("Talus Alpine", "TAL", ("shell", "softshell", "insulated", "boots", "gloves", "sleep")),
    ("Redwood Canvas", "RWC", ("workwear", "bottoms", "tops", "packs", "kitchen")),
    ("Lumen Field Co.", "LUM", ("lighting",)),
    ("Switchback Running", "SWR", ("shoes", "tops", "bottoms", "socks")),
    ("Otter Bay", "OTB", ("kids", "sandals", "drinkware")),
    ("Copper Kettle Kitchen", "CKK", ("cookware", "kitchen", "tableware")),
    ("Stillwater Goods", "STW", ("candles", "bath", "tableware", "drinkware")),
)  # fmt: skip

# ---------------------------------------------------------------- product types


@dataclass(frozen=True, slots=True)
class ProductType:
    """A kind of product the store sells, and everything needed to invent one."""

    key: str
    name: str
    category: str
    audience: str | None
    family: str
    icon: str
    options: tuple[OptionSpec, ...]
    price: tuple[int, int]
    weight: tuple[int, int]
    share: int
    #: Months (1-12) when it sells most; empty means all year.
    peak: tuple[int, ...] = ()
    descriptors: tuple[str, ...] = field(default_factory=tuple)
    #: Per-unit quantities bought at once (socks, mugs come in twos).
    multi: bool = False


WINTER = (10, 11, 12, 1, 2)
SUMMER = (5, 6, 7, 8)
SHOULDER = (3, 4, 9, 10)
HOLIDAY = (11, 12)

W, M, K = "Women's", "Men's", "Kids'"


def _t(
    key: str, name: str, cat: str, aud: str | None, fam: str, icon: str,
    opts: tuple[OptionSpec, ...], price: tuple[int, int], weight: tuple[int, int], share: int,
    peak: tuple[int, ...] = (), desc: tuple[str, ...] = (), multi: bool = False,
) -> ProductType:  # fmt: skip
    return ProductType(
        key, name, cat, aud, fam, icon, opts, price, weight, share, peak, desc, multi
    )


PRODUCT_TYPES: tuple[ProductType, ...] = (
    # women
    _t("w-rain", "Rain Jacket", "women-jackets", W, "shell", "jacket", (SIZES_W, colour(OUTER)), (11900, 27900), (280, 480), 40, SHOULDER, ("3L", "2.5L", "Packable", "Stretch", "Storm", "Trail")),
    _t("w-down", "Down Jacket", "women-jackets", W, "insulated", "puffer", (SIZES_W, colour(OUTER)), (17900, 32900), (300, 520), 34, WINTER, ("800-Fill", "Hooded", "Ultralight", "Packable", "Quilted")),
    _t("w-parka", "Insulated Parka", "women-jackets", W, "insulated", "parka", (SIZES_W, colour(EARTH)), (22900, 42900), (900, 1400), 22, WINTER, ("Waterproof", "Long", "City", "Expedition")),
    _t("w-soft", "Softshell Jacket", "women-jackets", W, "softshell", "jacket", (SIZES_W, colour(OUTER)), (12900, 19900), (380, 560), 22, SHOULDER, ("Hybrid", "Alpine", "Stretch", "Hooded")),
    _t("w-fleece", "Fleece Jacket", "women-fleece", W, "fleece", "fleece", (SIZES_W, colour(EARTH)), (6900, 13900), (330, 520), 34, WINTER, ("Grid", "High-Pile", "Full-Zip", "Recycled", "Sherpa")),
    _t("w-qzip", "Quarter-Zip Pullover", "women-fleece", W, "fleece", "sweater", (SIZES_W, colour(EARTH)), (5900, 11900), (260, 420), 28, WINTER, ("Merino", "Grid Fleece", "Brushed", "Thermal")),
    _t("w-vest", "Down Vest", "women-fleece", W, "insulated", "vest", (SIZES_W, colour(OUTER)), (9900, 17900), (200, 320), 18, SHOULDER, ("Quilted", "Packable", "Hybrid")),
    _t("w-tee", "T-Shirt", "women-tops", W, "tops", "tee", (SIZES_W, colour(BRIGHT, 3, 5)), (2400, 4400), (120, 180), 40, SUMMER, ("Organic Cotton", "Merino", "Trail", "Everyday", "Pocket", "Graphic")),
    _t("w-ls", "Long-Sleeve Tee", "women-tops", W, "tops", "longsleeve", (SIZES_W, colour(BRIGHT, 2, 4)), (3400, 6900), (160, 240), 28, SHOULDER, ("Merino", "Sun", "Waffle", "Base Layer")),
    _t("w-flannel", "Flannel Shirt", "women-tops", W, "tops", "shirt", (SIZES_W, colour(EARTH, 2, 3)), (5900, 8900), (300, 420), 24, WINTER, ("Brushed", "Heavyweight", "Plaid", "Lined")),
    _t("w-sun", "Sun Hoodie", "women-tops", W, "tops", "hoodie", (SIZES_W, colour(BRIGHT, 2, 4)), (4900, 7900), (180, 260), 20, SUMMER, ("UPF 50", "Cooling", "Trail")),
    _t("w-hike", "Hiking Pants", "women-pants", W, "bottoms", "pants", (WAIST_W, colour(EARTH, 2, 3)), (6900, 11900), (280, 400), 30, SHOULDER, ("Stretch", "Convertible", "Lined", "Trail", "Softshell")),
    _t("w-leg", "Leggings", "women-pants", W, "bottoms", "leggings", (SIZES_W, colour(EARTH, 2, 4)), (4900, 9900), (180, 260), 30, (), ("High-Rise", "Thermal", "Pocket", "Merino")),
    _t("w-jog", "Joggers", "women-pants", W, "bottoms", "pants", (SIZES_W, colour(EARTH, 2, 3)), (5400, 8900), (260, 360), 20, WINTER, ("Fleece", "Travel", "Cargo")),
    _t("w-short", "Hiking Shorts", "women-pants", W, "bottoms", "shorts", (WAIST_W, colour(EARTH, 2, 3)), (4400, 6900), (150, 220), 22, SUMMER, ('5"', '7"', "Stretch", "Cargo")),
    _t("w-dress", "Knit Dress", "women-dresses", W, "dress", "dress", (SIZES_W, colour(BRIGHT, 2, 3)), (6900, 11900), (240, 360), 22, SUMMER, ("Merino", "Wrap", "Midi", "Travel")),
    _t("w-skort", "Active Skort", "women-dresses", W, "dress", "skirt", (SIZES_W, colour(EARTH, 2, 3)), (4900, 6900), (160, 220), 16, SUMMER, ("Trail", "Pleated", "Stretch")),
    _t("w-skirt", "Midi Skirt", "women-dresses", W, "dress", "skirt", (SIZES_W, colour(EARTH, 2, 3)), (5900, 8900), (200, 300), 12, SHOULDER, ("Corduroy", "Twill", "Wrap")),
    # men
    _t("m-rain", "Rain Jacket", "men-jackets", M, "shell", "jacket", (SIZES_M, colour(OUTER)), (11900, 29900), (320, 520), 40, SHOULDER, ("3L", "2.5L", "Packable", "Storm", "Alpine", "Trail")),
    _t("m-down", "Down Jacket", "men-jackets", M, "insulated", "puffer", (SIZES_M, colour(OUTER)), (17900, 34900), (340, 580), 34, WINTER, ("800-Fill", "Hooded", "Ultralight", "Packable", "Quilted")),
    _t("m-parka", "Insulated Parka", "men-jackets", M, "insulated", "parka", (SIZES_M, colour(EARTH)), (22900, 44900), (1000, 1500), 20, WINTER, ("Waterproof", "Expedition", "Canvas", "City")),
    _t("m-soft", "Softshell Jacket", "men-jackets", M, "softshell", "jacket", (SIZES_M, colour(OUTER)), (12900, 19900), (420, 600), 20, SHOULDER, ("Hybrid", "Alpine", "Stretch", "Hooded")),
    _t("m-chore", "Chore Coat", "men-jackets", M, "workwear", "coat", (SIZES_M, colour(EARTH, 2, 3)), (11900, 17900), (800, 1100), 16, SHOULDER, ("Canvas", "Waxed", "Lined", "Work")),
    _t("m-fleece", "Fleece Jacket", "men-fleece", M, "fleece", "fleece", (SIZES_M, colour(EARTH)), (6900, 13900), (380, 600), 34, WINTER, ("Grid", "High-Pile", "Full-Zip", "Recycled", "Sherpa")),
    _t("m-qzip", "Quarter-Zip Pullover", "men-fleece", M, "fleece", "sweater", (SIZES_M, colour(EARTH)), (5900, 11900), (300, 460), 28, WINTER, ("Merino", "Grid Fleece", "Brushed", "Thermal")),
    _t("m-vest", "Down Vest", "men-fleece", M, "insulated", "vest", (SIZES_M, colour(OUTER)), (9900, 17900), (220, 360), 18, SHOULDER, ("Quilted", "Packable", "Hybrid")),
    _t("m-tee", "T-Shirt", "men-shirts", M, "tops", "tee", (SIZES_M, colour(EARTH, 3, 5)), (2400, 4400), (140, 200), 40, SUMMER, ("Organic Cotton", "Merino", "Trail", "Everyday", "Pocket", "Graphic")),
    _t("m-ls", "Long-Sleeve Tee", "men-shirts", M, "tops", "longsleeve", (SIZES_M, colour(EARTH, 2, 4)), (3400, 6900), (180, 260), 26, SHOULDER, ("Merino", "Sun", "Waffle", "Base Layer")),
    _t("m-flannel", "Flannel Shirt", "men-shirts", M, "tops", "shirt", (SIZES_M, colour(EARTH, 2, 3)), (5900, 8900), (340, 460), 28, WINTER, ("Brushed", "Heavyweight", "Plaid", "Lined")),
    _t("m-button", "Button-Down Shirt", "men-shirts", M, "tops", "shirt", (SIZES_M, colour(EARTH, 2, 3)), (5400, 8900), (240, 320), 20, SUMMER, ("Travel", "Oxford", "Chambray", "Linen")),
    _t("m-sun", "Sun Hoodie", "men-shirts", M, "tops", "hoodie", (SIZES_M, colour(BRIGHT, 2, 4)), (4900, 7900), (200, 280), 18, SUMMER, ("UPF 50", "Cooling", "Trail")),
    _t("m-hike", "Hiking Pants", "men-pants", M, "bottoms", "pants", (WAIST_M, INSEAM_M, colour(EARTH, 1, 2)), (6900, 11900), (320, 460), 30, SHOULDER, ("Stretch", "Convertible", "Lined", "Trail", "Softshell")),
    _t("m-work", "Work Pants", "men-pants", M, "bottoms", "pants", (WAIST_M, INSEAM_M, colour(EARTH, 1, 2)), (6400, 9900), (500, 700), 18, (), ("Canvas", "Double-Knee", "Carpenter", "Flex")),
    _t("m-jog", "Joggers", "men-pants", M, "bottoms", "pants", (SIZES_M, colour(EARTH, 2, 3)), (5400, 8900), (300, 400), 18, WINTER, ("Fleece", "Travel", "Cargo")),
    _t("m-short", "Hiking Shorts", "men-pants", M, "bottoms", "shorts", (WAIST_M, colour(EARTH, 2, 3)), (4400, 6900), (180, 260), 24, SUMMER, ('7"', '9"', "Stretch", "Cargo")),
    # kids
    _t("k-rain", "Rain Jacket", "kids-outerwear", K, "kids", "jacket", (SIZES_KIDS, colour(KIDS)), (4900, 7900), (200, 300), 18, SHOULDER, ("Puddle", "Packable", "Storm")),
    _t("k-puffer", "Puffer Jacket", "kids-outerwear", K, "kids", "puffer", (SIZES_KIDS, colour(KIDS)), (6900, 9900), (260, 380), 18, WINTER, ("Reversible", "Hooded", "Quilted")),
    _t("k-bibs", "Snow Bibs", "kids-outerwear", K, "kids", "pants", (SIZES_TODDLER, colour(KIDS)), (5900, 8900), (400, 560), 12, WINTER, ("Insulated", "Grow-With-Me")),
    _t("k-fleece", "Fleece Jacket", "kids-clothing", K, "kids", "fleece", (SIZES_KIDS, colour(KIDS)), (3900, 5900), (200, 300), 18, WINTER, ("Grid", "High-Pile", "Full-Zip")),
    _t("k-tee", "T-Shirt", "kids-clothing", K, "kids", "tee", (SIZES_KIDS, colour(KIDS, 3, 5)), (1800, 2800), (90, 130), 22, SUMMER, ("Graphic", "Organic Cotton", "Sun")),
    _t("k-leg", "Leggings", "kids-clothing", K, "kids", "leggings", (SIZES_KIDS, colour(KIDS, 2, 4)), (2400, 3400), (100, 150), 14, (), ("Thermal", "Everyday")),
    # footwear
    _t("w-boot", "Hiking Boots", "hiking-boots", W, "boots", "boot", (SHOE_W, WIDTH, colour(EARTH, 1, 2)), (12900, 22900), (900, 1200), 28, SHOULDER, ("Mid", "Waterproof", "Leather", "Lightweight", "GTX")),
    _t("m-boot", "Hiking Boots", "hiking-boots", M, "boots", "boot", (SHOE_M, WIDTH, colour(EARTH, 1, 2)), (12900, 24900), (1100, 1400), 30, SHOULDER, ("Mid", "Waterproof", "Leather", "Lightweight", "GTX")),
    _t("m-pack-boot", "Backpacking Boots", "hiking-boots", M, "boots", "boot", (SHOE_M, WIDTH, colour(EARTH, 1, 2)), (19900, 29900), (1400, 1800), 12, SUMMER, ("Full-Grain", "Expedition", "Waterproof")),
    _t("w-trail", "Trail Running Shoes", "trail-runners", W, "shoes", "shoe", (SHOE_W, colour(BRIGHT, 2, 3)), (11900, 16900), (480, 620), 26, SUMMER, ("Cushioned", "Waterproof", "Rock-Plate", "Fast")),
    _t("m-trail", "Trail Running Shoes", "trail-runners", M, "shoes", "shoe", (SHOE_M, colour(BRIGHT, 2, 3)), (11900, 16900), (560, 700), 28, SUMMER, ("Cushioned", "Waterproof", "Rock-Plate", "Fast")),
    _t("w-sandal", "Sport Sandals", "sandals", W, "sandals", "sandal", (SHOE_W, colour(BRIGHT, 2, 3)), (5900, 9900), (400, 520), 20, SUMMER, ("Strappy", "River", "Cushioned")),
    _t("m-sandal", "Sport Sandals", "sandals", M, "sandals", "sandal", (SHOE_M, colour(EARTH, 2, 3)), (5900, 9900), (500, 640), 20, SUMMER, ("River", "Cushioned", "Leather")),
    _t("w-slip", "Slippers", "casual-shoes", W, "slippers", "slipper", (SHOE_W, colour(HOME, 2, 3)), (5900, 9900), (300, 420), 16, HOLIDAY, ("Shearling", "Wool", "Moc")),
    _t("m-slip", "Slippers", "casual-shoes", M, "slippers", "slipper", (SHOE_M, colour(EARTH, 2, 3)), (5900, 9900), (380, 500), 14, HOLIDAY, ("Shearling", "Wool", "Moc")),
    _t("u-slipon", "Slip-On Shoes", "casual-shoes", None, "shoes", "shoe", (SHOE_M, colour(EARTH, 2, 3)), (7900, 11900), (500, 640), 14, (), ("Canvas", "Wool", "Recycled")),
    # accessories
    _t("beanie", "Beanie", "hats", None, "headwear", "beanie", (ONE_SIZE, colour(OUTER, 3, 5)), (2400, 4400), (70, 110), 26, WINTER, ("Merino", "Cable-Knit", "Ribbed", "Fisherman", "Pom")),
    _t("sunhat", "Sun Hat", "hats", None, "headwear", "hat", (HAT, colour(EARTH, 2, 3)), (3400, 5400), (80, 120), 14, SUMMER, ("Wide-Brim", "Packable", "UPF 50")),
    _t("cap", "Trucker Cap", "hats", None, "headwear", "cap", (ONE_SIZE, colour(EARTH, 2, 4)), (2800, 3600), (80, 100), 16, SUMMER, ("Patch", "Mesh", "Five-Panel")),
    _t("gloves", "Insulated Gloves", "gloves", None, "gloves", "glove", (GLOVE, colour(GEAR, 1, 2)), (4900, 9900), (120, 200), 18, WINTER, ("Waterproof", "Leather", "Touchscreen", "Alpine")),
    _t("mittens", "Mittens", "gloves", None, "gloves", "mitten", (GLOVE, colour(GEAR, 1, 2)), (4400, 8900), (140, 220), 10, WINTER, ("Down", "Wool-Lined", "Expedition")),
    _t("liners", "Liner Gloves", "gloves", None, "gloves", "glove", (GLOVE, colour(GEAR, 1, 2)), (2400, 3400), (40, 60), 10, WINTER, ("Merino", "Touchscreen", "Stretch")),
    _t("hike-sock", "Hiking Socks", "socks", None, "socks", "sock", (SOCK, colour(EARTH, 2, 4)), (1800, 2800), (60, 90), 24, (), ("Merino", "Cushioned", "Crew", "Quarter", "Lightweight"), True),
    _t("crew-sock", "Everyday Crew Socks", "socks", None, "socks", "sock", (SOCK, colour(BRIGHT, 3, 5)), (1400, 2200), (50, 70), 18, (), ("Merino", "Striped", "Ribbed"), True),
    _t("ski-sock", "Ski Socks", "socks", None, "socks", "sock", (SOCK, colour(OUTER, 2, 3)), (2400, 3200), (70, 100), 12, WINTER, ("Over-the-Calf", "Cushioned", "Ultralight"), True),
    # gear
    _t("daypack", "Daypack", "backpacks", None, "packs", "backpack", (PACK_DAY, colour(GEAR, 2, 3)), (6900, 14900), (600, 1000), 26, SUMMER, ("Ventilated", "Hydration", "Everyday", "Summit")),
    _t("bigpack", "Backpacking Pack", "backpacks", None, "packs", "backpack", (PACK_BIG, TORSO, colour(GEAR, 1, 2)), (17900, 32900), (1400, 2200), 18, SUMMER, ("Ultralight", "Adjustable", "Thru-Hike", "Expedition")),
    _t("travel", "Travel Pack", "backpacks", None, "packs", "duffel", (colour(GEAR, 2, 3),), (12900, 19900), (1200, 1600), 14, (), ("Carry-On", "Convertible", "Weekender")),
    _t("hip", "Hip Pack", "backpacks", None, "packs", "hippack", (HIP, colour(BRIGHT, 2, 4)), (3400, 5900), (150, 260), 16, SUMMER, ("Sling", "Running", "Trail")),
    _t("bp-tent", "Backpacking Tent", "tents", None, "tents", "tent", (TENT,), (29900, 54900), (1100, 2400), 18, SUMMER, ("Ultralight", "Freestanding", "Semi-Freestanding", "Four-Season")),
    _t("camp-tent", "Camping Tent", "tents", None, "tents", "tent", (TENT,), (19900, 44900), (3500, 7000), 14, SUMMER, ("Family", "Cabin", "Dome", "Basecamp")),
    _t("tarp", "Tarp Shelter", "tents", None, "tents", "tarp", (colour(GEAR, 1, 2),), (8900, 16900), (400, 800), 8, SUMMER, ("Ultralight", "Silnylon", "Hex")),
    _t("bag", "Sleeping Bag", "sleeping", None, "sleep", "sleepingbag", (BAG_LEN, ZIP), (14900, 44900), (800, 1600), 22, SUMMER, ("20°F", "30°F", "0°F", "Down", "Synthetic", "Mummy")),
    _t("quilt", "Backpacking Quilt", "sleeping", None, "sleep", "sleepingbag", (BAG_LEN,), (19900, 34900), (600, 900), 10, SUMMER, ("20°F", "30°F", "Down")),
    _t("pad", "Sleeping Pad", "sleeping", None, "sleep", "pad", (PAD,), (7900, 21900), (400, 900), 18, SUMMER, ("Insulated", "Self-Inflating", "Ultralight", "Foam")),
    _t("stove", "Camp Stove", "camp-kitchen", None, "kitchen", "stove", (STOVE_FUEL,), (5900, 17900), (300, 1800), 12, SUMMER, ("Compact", "Two-Burner", "Integrated")),
    _t("cookset", "Camp Cook Set", "camp-kitchen", None, "kitchen", "pot", (colour(GEAR, 1, 2),), (3900, 9900), (300, 700), 12, SUMMER, ("Titanium", "Nesting", "Hard-Anodized")),
    _t("chair", "Camp Chair", "camp-kitchen", None, "kitchen", "chair", (colour(GEAR, 2, 3),), (5900, 14900), (900, 2600), 14, SUMMER, ("Low", "Rocking", "Ultralight", "Folding")),
    _t("bottle", "Insulated Water Bottle", "drinkware", None, "drinkware", "bottle", (BOTTLE, colour(BRIGHT, 3, 5)), (2900, 4900), (300, 600), 24, SUMMER, ("Wide-Mouth", "Chug Cap", "Straw Lid")),
    _t("tumbler", "Tumbler", "drinkware", None, "drinkware", "tumbler", (MUG_CAP, colour(BRIGHT, 3, 5)), (2400, 3900), (250, 400), 18, (), ("Insulated", "Handled", "Slider Lid")),
    _t("flask", "Vacuum Flask", "drinkware", None, "drinkware", "bottle", (BOTTLE, colour(GEAR, 2, 3)), (3400, 5900), (400, 800), 12, WINTER, ("Classic", "Food", "Wide-Mouth")),
    _t("headlamp", "Headlamp", "lighting", None, "lighting", "headlamp", (LUMENS, colour(BRIGHT, 2, 3)), (2900, 7900), (60, 110), 18, SHOULDER, ("Rechargeable", "Running", "Compact")),
    _t("lantern", "Lantern", "lighting", None, "lighting", "lantern", (LUMENS,), (3900, 8900), (250, 600), 12, SUMMER, ("Rechargeable", "Collapsible", "String")),
    # home
    _t("sheets", "Sheet Set", "bedding", None, "bedding", "bed", (BED, SHEET_MATERIAL, colour(HOME, 2, 4)), (11900, 22900), (1200, 2000), 24, (), ("Garment-Washed", "Classic", "Stonewashed", "Brushed")),
    _t("duvet", "Duvet Cover", "bedding", None, "bedding", "bed", (BED, colour(HOME, 2, 4)), (12900, 24900), (1200, 1900), 20, (), ("Linen", "Percale", "Waffle", "Quilted")),
    _t("comforter", "Down Comforter", "bedding", None, "bedding", "comforter", (BED, WARMTH), (19900, 34900), (1500, 2800), 12, WINTER, ("Baffle-Box", "Responsibly Sourced", "Classic")),
    _t("pillow", "Pillow", "bedding", None, "bedding", "pillow", (PILLOW, FIRMNESS), (4900, 9900), (600, 1100), 16, (), ("Down", "Down-Alternative", "Wool", "Latex")),
    _t("wool-throw", "Wool Throw", "throws", None, "throws", "blanket", (THROW, colour(HOME, 2, 4)), (9900, 17900), (900, 1500), 18, WINTER, ("Camp", "Herringbone", "Plaid", "Merino")),
    _t("knit-throw", "Knit Throw", "throws", None, "throws", "blanket", (colour(HOME, 2, 4),), (7900, 12900), (800, 1200), 14, HOLIDAY, ("Chunky", "Cable", "Waffle")),
    _t("fleece-blanket", "Fleece Blanket", "throws", None, "throws", "blanket", (THROW, colour(HOME, 2, 4)), (4900, 8900), (600, 1000), 14, WINTER, ("Sherpa", "Camp", "Recycled")),
    _t("towel", "Towel", "bath", None, "bath", "towel", (TOWEL, colour(HOME, 3, 5)), (1900, 3900), (300, 900), 22, (), ("Turkish Cotton", "Waffle", "Organic", "Quick-Dry"), True),
    _t("mat", "Bath Mat", "bath", None, "bath", "mat", (colour(HOME, 2, 4),), (3400, 5900), (500, 900), 10, (), ("Tufted", "Teak", "Cotton")),
    _t("robe", "Robe", "bath", None, "bath", "robe", (ROBE, ROBE_MATERIAL, colour(HOME, 2, 3)), (7900, 12900), (800, 1300), 12, HOLIDAY, ("Waffle", "Plush", "Lightweight")),
    _t("skillet", "Cast Iron Skillet", "cookware", None, "cookware", "skillet", (SKILLET,), (2900, 7900), (1800, 3600), 14, HOLIDAY, ("Pre-Seasoned", "Heritage", "Smooth")),
    _t("dutch", "Dutch Oven", "cookware", None, "cookware", "dutchoven", (DUTCH, colour(KITCHEN, 2, 4)), (9900, 29900), (4000, 7000), 12, WINTER, ("Enameled", "Round", "Oval")),
    _t("knife", "Chef's Knife", "cookware", None, "cookware", "knife", (KNIFE,), (5900, 17900), (180, 260), 10, HOLIDAY, ("Forged", "Japanese Steel", "Carbon Steel")),
    _t("board", "Cutting Board", "cookware", None, "cookware", "board", (BOARD,), (3400, 8900), (900, 2400), 10, HOLIDAY, ("End-Grain", "Walnut", "Maple")),
    _t("mug", "Stoneware Mug", "tableware", None, "tableware", "mug", (SET_OF, colour(KITCHEN, 2, 4)), (2800, 4400), (350, 450), 18, HOLIDAY, ("Speckled", "Handmade", "Camp", "Reactive Glaze"), True),
    _t("dinner", "Dinnerware Set", "tableware", None, "tableware", "plate", (DINNER, colour(KITCHEN, 2, 3)), (6900, 14900), (3000, 9000), 12, HOLIDAY, ("Stoneware", "Speckled", "Everyday")),
    _t("glass", "Glass Tumblers", "tableware", None, "tableware", "glass", (SET_OF,), (2400, 4900), (600, 1400), 10, SUMMER, ("Recycled", "Ribbed", "Fluted")),
    _t("candle", "Soy Candle", "candles", None, "candles", "candle", (SCENT, CANDLE), (2400, 3800), (300, 700), 20, HOLIDAY, ("Wood-Wick", "Hand-Poured", "Tin", "Ceramic")),
    _t("diffuser", "Reed Diffuser", "candles", None, "candles", "diffuser", (SCENT,), (3400, 4800), (300, 500), 10, HOLIDAY, ("Glass", "Ceramic", "Amber")),
)  # fmt: skip

#: Model names the store's brands give their products (outdoor places and natural things).
MODEL_NAMES: tuple[str, ...] = (
    "Headwall",
    "Cirque",
    "Talus",
    "Scree",
    "Tamarack",
    "Larch",
    "Cedar",
    "Basalt",
    "Sitka",
    "Olympic",
    "Cascade",
    "Rainier",
    "Shasta",
    "Teton",
    "Wallowa",
    "Ochoco",
    "Siskiyou",
    "Kalmia",
    "Juniper",
    "Ponderosa",
    "Manzanita",
    "Alpenglow",
    "Ridgeline",
    "Timberline",
    "Switchback",
    "Saddle",
    "Couloir",
    "Arete",
    "Moraine",
    "Tarn",
    "Fjord",
    "Glissade",
    "Bivy",
    "Summit",
    "Trailhead",
    "Ember",
    "Driftwood",
    "Tidepool",
    "Kestrel",
    "Osprey Point",
    "Heron",
    "Wren",
    "Marten",
    "Lynx",
    "Fisher",
    "Pika",
    "Elk Ridge",
    "Bighorn",
    "Coyote",
    "Sequoia",
    "Redwood",
    "Madrone",
    "Hemlock",
    "Spruce",
    "Aspen",
    "Birch",
    "Willow",
    "Fern",
    "Lichen",
    "Granite",
    "Quartz",
    "Obsidian",
    "Flint",
    "Cobble",
    "Sandstone",
    "Slate",
    "Mesa",
    "Canyon",
    "Arroyo",
    "Drift",
    "Squall",
    "Nimbus",
    "Cumulus",
    "Zephyr",
    "Mistral",
    "Chinook",
    "Boreal",
    "Tundra",
    "Polar",
    "Solstice",
    "Equinox",
    "Meridian",
    "Horizon",
    "Lookout",
    "Fire Tower",
    "Basecamp",
    "Harbor",
    "Lighthouse",
    "Cove",
    "Inlet",
    "Estuary",
    "Headland",
    "Bluff",
    "Hollow",
    "Meadow",
    "Prairie",
    "Orchard",
    "Homestead",
    "Cabin",
    "Lodge",
    "Hearth",
    "Kindling",
    "Campfire",
)

#: Product types bought together (what someone who buys the key often adds).
BUNDLES: dict[str, tuple[str, ...]] = {
    "w-rain": ("w-hike", "w-fleece", "hike-sock"), "m-rain": ("m-hike", "m-fleece", "hike-sock"),
    "w-down": ("beanie", "gloves", "w-qzip"), "m-down": ("beanie", "gloves", "m-qzip"),
    "w-parka": ("beanie", "mittens", "ski-sock"), "m-parka": ("beanie", "mittens", "ski-sock"),
    "w-boot": ("hike-sock", "daypack", "w-hike"), "m-boot": ("hike-sock", "daypack", "m-hike"),
    "m-pack-boot": ("hike-sock", "bigpack"), "w-trail": ("hike-sock", "hip", "w-tee"),
    "m-trail": ("hike-sock", "hip", "m-tee"), "bp-tent": ("bag", "pad", "headlamp", "stove"),
    "camp-tent": ("bag", "pad", "lantern", "chair"), "bag": ("pad", "headlamp"),
    "quilt": ("pad",), "bigpack": ("bp-tent", "quilt", "cookset"), "stove": ("cookset", "flask"),
    "daypack": ("bottle", "headlamp", "sunhat"), "sheets": ("duvet", "pillow"),
    "duvet": ("sheets", "comforter"), "comforter": ("duvet", "pillow"),
    "wool-throw": ("candle", "knit-throw"), "towel": ("mat", "robe"), "robe": ("towel", "w-slip"),
    "skillet": ("dutch", "board"), "dutch": ("skillet", "board"), "knife": ("board",),
    "mug": ("candle", "dinner"), "dinner": ("glass", "mug"), "candle": ("diffuser", "knit-throw"),
    "k-rain": ("k-fleece", "k-tee"), "k-puffer": ("k-bibs", "beanie"), "w-leg": ("w-ls", "w-sun"),
    "chair": ("lantern", "tumbler"),
}  # fmt: skip
