"""Copy families of gear and home goods: packs, shelter, sleep, kitchen, bedding, bath, table."""

from __future__ import annotations

from floorwalker.demo.vocab.copy import COMMON_CARE, CopyFamily

GOODS: dict[str, CopyFamily] = {
    "packs": CopyFamily(
        materials=(
            ("recycled nylon ripstop", "Made of 210D recycled nylon ripstop with a PU coating."),
            ("waxed canvas", "Waxed organic cotton canvas with leather trim."),
            (
                "ultra-high-molecular-weight polyethylene",
                "A UHMWPE composite fabric that is nearly waterproof and very light.",
            ),
        ),
        features=(
            "An adjustable torso length fits a wide range of bodies.",
            "Ventilated back panels keep air moving.",
            "The padded laptop sleeve fits a 16-inch laptop.",
            "Hip-belt pockets keep snacks within reach.",
            "A hydration sleeve and port fit a 3 L bladder.",
            "Stretch side pockets hold a 1 L bottle.",
            "Compression straps keep a half-full pack stable.",
            "A lid pocket converts into a summit bag.",
            "It opens like a suitcase for easy packing.",
        ),
        uses=("day hikes", "thru-hikes", "commuting", "weekend trips", "summit pushes"),
        care=("Spot clean with mild soap and water; air dry.",),
        tags=("hydration-compatible", "recycled", "carry-on"),
    ),
    "tents": CopyFamily(
        materials=(
            ("silnylon", "Silicone-coated nylon fly and floor with a 3,000 mm hydrostatic head."),
            ("polyester", "A UV-resistant polyester fly that won't sag when wet."),
            ("DCF", "Dyneema composite fabric for the lightest possible shelter."),
        ),
        features=(
            "Two doors and two vestibules mean no climbing over anyone.",
            "Colour-coded poles make pitching fast in the dark.",
            "Pitch the fly first to keep the inner dry in the rain.",
            "Mesh panels cut condensation on still nights.",
            "Aluminium poles and stakes are included.",
            "Interior pockets hold a headlamp and phone.",
            "It packs down small enough to split between two packs.",
        ),
        uses=(
            "backpacking trips",
            "car camping",
            "festival weekends",
            "alpine basecamps",
            "family camping",
        ),
        care=("Set up to dry completely before storage. Never machine wash.",),
        tags=("freestanding", "lightweight", "waterproof"),
    ),
    "sleep": CopyFamily(
        materials=(
            ("800-fill down", "Filled with 800-fill RDS-certified down treated to resist damp."),
            ("synthetic insulation", "Synthetic insulation that stays warm when it's damp."),
            ("closed-cell foam", "Closed-cell foam that never punctures."),
            ("nylon with reflective layer", "Nylon with a heat-reflective layer (R-value 4.2)."),
        ),
        features=(
            "A contoured hood cinches down on cold nights.",
            "A draft collar keeps warm air in.",
            "A full-length zip opens it into a quilt.",
            "A stuff sack and a storage sack are included.",
            "It inflates in 12 breaths with the pump sack.",
            "Rated with the ISO 23537 standard.",
            "Pad loops keep you from rolling off your pad.",
        ),
        uses=("three-season backpacking", "car camping", "winter trips", "hut trips"),
        care=(
            "Store loose in the storage sack; wash with a down cleaner.",
            "Wipe clean; store unrolled with the valve open.",
        ),
        tags=("lightweight", "three-season", "down"),
    ),
    "kitchen": CopyFamily(
        materials=(
            ("titanium", "Made from lightweight titanium."),
            ("hard-anodized aluminium", "Hard-anodized aluminium heats evenly."),
            ("stainless steel", "Durable stainless steel."),
            (
                "powder-coated steel and polyester",
                "A powder-coated steel frame with a polyester seat.",
            ),
        ),
        features=(
            "Everything nests inside the largest pot.",
            "Piezo ignition lights it without a match.",
            "It boils a litre of water in about three minutes.",
            "Folding handles lock in place.",
            "It sets up in seconds and folds flat.",
            "A simmer control makes real cooking possible.",
        ),
        uses=("backcountry meals", "car camping", "tailgates", "the backyard"),
        care=("Hand wash and dry fully before storing.", "Wipe clean; store dry."),
        tags=("camp-cooking", "lightweight"),
    ),
    "drinkware": CopyFamily(
        materials=(
            ("18/8 stainless steel", "Double-wall vacuum-insulated 18/8 stainless steel."),
            ("stainless steel with powder coat", "Stainless steel with a grippy powder coat."),
        ),
        features=(
            "It keeps drinks cold for 24 hours and hot for 12.",
            "A leakproof lid survives the bottom of a bag.",
            "The wide mouth takes ice cubes.",
            "It is dishwasher safe.",
            "Free from BPA and BPS.",
        ),
        uses=("long hikes", "the office", "road trips", "the gym", "morning coffee"),
        care=("Dishwasher safe; hand wash the lid to keep the seal like new.",),
        tags=("insulated", "dishwasher-safe", "gift-idea"),
    ),
    "lighting": CopyFamily(
        materials=(
            ("aluminium", "An aluminium body rated IPX4 against rain."),
            ("polycarbonate", "A tough polycarbonate body rated IPX7 waterproof."),
        ),
        features=(
            "It recharges by USB-C in three hours.",
            "A red night-vision mode saves your night sight.",
            "Lock mode stops it turning on in your pack.",
            "It runs up to 100 hours on low.",
            "A dimmable beam goes from reading to route-finding.",
        ),
        uses=("night hikes", "camp chores", "power cuts", "early starts"),
        care=("Charge fully before long storage.",),
        tags=("rechargeable", "waterproof"),
    ),
    "bedding": CopyFamily(
        materials=(
            (
                "European flax linen",
                "Stonewashed European flax linen that gets softer with every wash.",
            ),
            (
                "long-staple percale cotton",
                "Crisp, cool long-staple cotton percale (300 thread count).",
            ),
            ("sateen cotton", "Silky 400-thread-count cotton sateen."),
            ("Portuguese cotton flannel", "Brushed Portuguese cotton flannel for cold nights."),
            ("responsibly sourced down", "Responsibly sourced down in a cotton shell."),
        ),
        features=(
            "Deep pockets fit mattresses up to 16 inches.",
            "Corner ties keep the duvet in place.",
            "It is OEKO-TEX certified free from harmful substances.",
            "A hidden button closure keeps the duvet in.",
            "Pre-washed so it won't shrink.",
            "Baffle-box stitching stops cold spots.",
        ),
        uses=("hot sleepers", "cosy winter nights", "guest rooms", "every season"),
        care=(
            "Machine wash warm, tumble dry low; the fabric softens over time.",
            "Spot clean or have it professionally laundered.",
        ),
        tags=("oeko-tex", "linen", "gift-idea"),
    ),
    "throws": CopyFamily(
        materials=(
            ("merino wool", "Woven in Portugal from soft merino wool."),
            ("cotton", "A chunky cotton knit."),
            ("recycled polyester sherpa", "Plush recycled polyester sherpa."),
            ("lambswool", "Brushed lambswool woven in a classic camp pattern."),
        ),
        features=(
            "Finished with a fringed edge.",
            "Big enough to share on the sofa.",
            "Reversible, with a different pattern on each side.",
            "It rolls up with a leather carry strap.",
        ),
        uses=("movie nights", "the cabin", "picnics", "reading in the garden"),
        care=("Dry clean or hand wash cold.", COMMON_CARE),
        tags=("cozy", "gift-idea"),
    ),
    "bath": CopyFamily(
        materials=(
            ("Turkish cotton", "Long-staple Turkish cotton, 700 g/m²."),
            ("waffle-weave cotton", "Quick-drying waffle-weave cotton."),
            ("organic cotton terry", "Absorbent organic cotton terry."),
            ("teak", "Sustainably harvested teak."),
        ),
        features=(
            "Hanging loops are sewn into every piece.",
            "It gets softer and more absorbent with each wash.",
            "It dries fast, so it never smells musty.",
            "A non-slip backing keeps it in place.",
        ),
        uses=("everyday use", "guest bathrooms", "the beach", "the spa at home"),
        care=("Machine wash warm, tumble dry; skip fabric softener to keep it absorbent.",),
        tags=("organic", "quick-dry"),
    ),
    "cookware": CopyFamily(
        materials=(
            ("cast iron", "Cast iron, pre-seasoned with flaxseed oil."),
            ("enameled cast iron", "Enameled cast iron that needs no seasoning."),
            (
                "high-carbon stainless steel",
                "Forged high-carbon stainless steel, hardened to 58 HRC.",
            ),
            ("end-grain walnut", "End-grain walnut that's gentle on knife edges."),
        ),
        features=(
            "It goes from stovetop to oven to campfire.",
            "Pour spouts on both sides.",
            "A helper handle makes a full pan easy to lift.",
            "It works on induction.",
            "A lifetime warranty covers manufacturing defects.",
            "The full-tang handle is balanced for fine work.",
        ),
        uses=("weeknight dinners", "campfire cooking", "holiday roasts", "bread baking"),
        care=(
            "Hand wash, dry on the stove and rub with a little oil.",
            "Hand wash only; oil the board monthly.",
        ),
        tags=("made-to-last", "gift-idea"),
    ),
    "tableware": CopyFamily(
        materials=(
            ("stoneware", "Hand-glazed stoneware, fired twice for strength."),
            ("recycled glass", "Mouth-blown recycled glass."),
            ("porcelain", "Fine porcelain with a reactive glaze."),
        ),
        features=(
            "Microwave and dishwasher safe.",
            "Every piece is glazed by hand, so no two match exactly.",
            "Stackable for small kitchens.",
            "A generous handle fits the whole hand.",
        ),
        uses=("slow mornings", "dinner parties", "everyday meals", "gifting"),
        care=("Dishwasher and microwave safe.",),
        tags=("handmade", "gift-idea"),
    ),
    "candles": CopyFamily(
        materials=(
            ("soy wax", "Hand-poured natural soy wax with a cotton wick."),
            ("coconut-soy wax", "A coconut-soy wax blend with a crackling wood wick."),
            ("rattan reeds and fragrance oil", "Rattan reeds in a phthalate-free fragrance oil."),
        ),
        features=(
            "It burns cleanly for 50 to 80 hours.",
            "Scented with essential oils and phthalate-free fragrance.",
            "The vessel is reusable once the candle is done.",
            "Poured in small batches in Portland, Oregon.",
        ),
        uses=("quiet evenings", "the holidays", "gifting", "a cabin feeling at home"),
        care=("Trim the wick to 1/4 inch before each burn.",),
        tags=("hand-poured", "gift-idea"),
    ),
}
