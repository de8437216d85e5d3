"""Copy families of footwear and accessories: boots, shoes, sandals, hats, gloves, socks."""

from __future__ import annotations

from floorwalker.demo.vocab.copy import CopyFamily

FOOTWEAR: dict[str, CopyFamily] = {
    "boots": CopyFamily(
        materials=(
            ("full-grain leather", "Full-grain leather uppers, waxed and stitched to last."),
            ("suede and mesh", "Suede and breathable mesh uppers keep weight down."),
            ("nubuck leather", "Waterproof nubuck leather with a breathable membrane."),
        ),
        features=(
            "A Vibram-style lugged outsole bites on wet rock.",
            "The waterproof membrane keeps feet dry through stream crossings.",
            "A molded heel counter locks the heel in place.",
            "Rubber toe caps shrug off kicked rocks.",
            "Removable footbeds make room for custom orthotics.",
            "A gusseted tongue keeps out grit.",
            "They need almost no break-in.",
            "Speed hooks make lacing quick with gloves on.",
        ),
        uses=("day hikes", "multi-day treks", "muddy trails", "rocky terrain", "winter walks"),
        care=(
            "Brush off dirt, let dry away from heat and treat the leather twice a season.",
            "Rinse off mud and air dry; remove the footbeds to dry faster.",
        ),
        fits=(
            ("True to size", "They run true to size with room for a midweight sock."),
            ("Runs small", "They run half a size small; size up if you're between sizes."),
            ("Wide toe box", "A roomy toe box lets toes splay on descents."),
        ),
        tags=("waterproof", "leather", "hiking"),
    ),
    "shoes": CopyFamily(
        materials=(
            ("engineered mesh", "A breathable engineered-mesh upper drains fast."),
            ("recycled knit", "A seamless knit upper made from recycled yarn."),
            ("wool blend", "A soft wool-blend upper that can be worn without socks."),
            ("canvas", "Washed organic cotton canvas uppers."),
        ),
        features=(
            "A rock plate protects from sharp stones.",
            "Sticky rubber lugs grip on loose gravel.",
            "A cushioned midsole softens long descents.",
            "A 6 mm drop suits most runners.",
            "A gaiter attachment point keeps debris out.",
            "Recycled rubber outsoles last hundreds of miles.",
        ),
        uses=("trail runs", "fast hikes", "travel days", "errands", "park runs"),
        care=(
            "Hand wash with mild soap, air dry away from heat.",
            "Machine wash cold in a bag, air dry.",
        ),
        fits=(
            ("True to size", "They run true to size."),
            ("Runs small", "They run slightly small; consider half a size up."),
            ("Narrow fit", "A snug, narrow fit through the midfoot."),
        ),
        tags=("running", "lightweight", "breathable"),
    ),
    "sandals": CopyFamily(
        materials=(
            ("recycled polyester webbing", "Soft recycled polyester webbing straps."),
            ("leather", "Oiled leather straps that mould to your foot."),
        ),
        features=(
            "A contoured footbed supports the arch all day.",
            "Quick-dry straps go straight from the river to the trail.",
            "Non-marking rubber outsoles grip wet rock.",
            "A heel strap keeps them on in moving water.",
            "Toe protection guards against stubbed toes.",
        ),
        uses=("river days", "summer travel", "camp", "beach walks", "festivals"),
        care=("Rinse in fresh water and air dry.", "Hand wash with mild soap; air dry."),
        fits=(
            ("True to size", "True to size; the straps adjust."),
            ("Runs large", "They run half a size large."),
        ),
        tags=("water-friendly", "summer"),
    ),
    "slippers": CopyFamily(
        materials=(
            ("genuine shearling", "Genuine shearling lining with a suede upper."),
            ("boiled wool", "Boiled wool uppers with a soft fleece lining."),
        ),
        features=(
            "A rubber sole means a trip to the mailbox is no problem.",
            "A cushioned footbed moulds to your foot.",
            "The collar folds down for easy on and off.",
        ),
        uses=("lazy Sundays", "cabin weekends", "cold floors", "morning coffee"),
        care=("Spot clean with a damp cloth; air dry.",),
        fits=(
            ("True to size", "True to size; the lining packs down slightly with wear."),
            ("Runs small", "They run small; size up for a roomier fit."),
        ),
        tags=("cozy", "gift-idea"),
    ),
    "headwear": CopyFamily(
        materials=(
            ("merino wool", "Knit from soft, itch-free merino wool."),
            ("recycled polyester", "Recycled polyester with UPF 50 sun protection."),
            ("organic cotton twill", "Washed organic cotton twill."),
            ("lambswool", "Traditional lambswool, knit in Scotland."),
        ),
        features=(
            "A fold-up cuff doubles the warmth over the ears.",
            "A moisture-wicking sweatband keeps you cool.",
            "An adjustable back fits most heads.",
            "A chin cord keeps it on in the wind.",
            "It packs flat in a pocket.",
        ),
        uses=("ski days", "winter runs", "sunny trails", "the beach", "everyday wear"),
        care=("Hand wash cold, dry flat.", "Spot clean; air dry."),
        tags=("gift-idea", "merino", "sun-protection"),
    ),
    "gloves": CopyFamily(
        materials=(
            ("goat leather and insulation", "Goat leather palms with synthetic insulation."),
            ("merino wool", "Stretchy merino wool knit."),
            ("nylon with waterproof insert", "Nylon shells with a waterproof, breathable insert."),
        ),
        features=(
            "Touchscreen-compatible fingertips let you use your phone.",
            "Wrist leashes stop them blowing away on the lift.",
            "A soft nose wipe sits on the thumb.",
            "Gauntlet cuffs seal over jacket sleeves.",
            "Pre-curved fingers reduce hand fatigue.",
        ),
        uses=("ski days", "winter commutes", "snowshoeing", "cold-weather runs"),
        care=("Hand wash cold; air dry away from heat.", "Treat the leather once a season."),
        fits=(("True to size", "Measure around your knuckles to find your size."),),
        tags=("winter", "touchscreen", "waterproof"),
    ),
    "socks": CopyFamily(
        materials=(
            ("merino wool blend", "A merino wool blend (68% merino, 29% nylon, 3% spandex)."),
            ("organic cotton blend", "Organic cotton with a little stretch."),
        ),
        features=(
            "Cushioning sits under the heel and forefoot where you need it.",
            "A seamless toe prevents blisters.",
            "Arch support keeps them from sliding.",
            "They are guaranteed for life: wear a hole, get a new pair.",
            "Mesh zones over the instep vent heat.",
        ),
        uses=("long hikes", "everyday wear", "ski days", "running", "travel"),
        care=("Machine wash warm inside out; tumble dry low.",),
        fits=(("True to size", "Sizes follow shoe size: S 5-7.5, M 8-10.5, L 11-13, XL 13.5-15."),),
        tags=("merino", "lifetime-guarantee"),
    ),
}
