"""Copy families: the materials, features, fits, uses and care notes descriptions are built from.

A product type names its family; a description takes an opener, a material sentence, a fit
sentence (clothing and footwear), two or three features, a care note and sometimes a closing
line, so two products of one type rarely read alike.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CopyFamily:
    """What a family of products is made of, what it does, how it fits and how to care for it."""

    #: (attribute value, sentence) pairs; the value goes into the product's `material` attribute.
    materials: tuple[tuple[str, str], ...]
    features: tuple[str, ...]
    uses: tuple[str, ...]
    care: tuple[str, ...]
    fits: tuple[tuple[str, str], ...] = ()
    #: Tags this family's products may carry.
    tags: tuple[str, ...] = ()


OPENERS: tuple[str, ...] = (
    "The {model} {type} is built for {use} and {use2}.",
    "Meet the {model}: a {adj} {type_l} for {use}, {use2} and everything in between.",
    "Our {model} {type} earns its place on {use} and still looks right for {use2}.",
    "Designed with guides and tested through a full Pacific Northwest year, the {model} is a "
    "{adj} {type_l} for {use}.",
    "If you only own one {type_l} for {use}, make it the {model}.",
    "The {model} takes everything we learned from {use} and puts it into a {adj} {type_l}.",
    "A {adj} {type_l} that moves from {use} to {use2} without missing a beat.",
)

ADJECTIVES: tuple[str, ...] = (
    "dependable", "versatile", "hard-wearing", "thoughtfully made", "no-fuss", "go-anywhere",
    "refined", "rugged", "everyday", "trail-tested", "well-made", "quietly clever",
)  # fmt: skip

CLOSERS: tuple[str, ...] = (
    "Backed by our Ironclad Guarantee: if it ever fails you, send it back.",
    "Made in a Fair Trade Certified factory.",
    "bluesign-approved materials throughout.",
    "Part of our Worn Well program: trade it in when you're done with it.",
    "Every purchase funds trail maintenance in the Columbia River Gorge.",
    "Small-batch production; colours may vary slightly from run to run.",
)

COMMON_CARE = "Machine wash cold on a gentle cycle, tumble dry low."

FAMILIES: dict[str, CopyFamily] = {
    "shell": CopyFamily(
        materials=(
            (
                "recycled nylon",
                "The three-layer shell is 100% recycled nylon ripstop with a "
                "PFC-free durable water repellent finish.",
            ),
            (
                "nylon with waterproof membrane",
                "A 2.5-layer nylon face fabric is bonded to a "
                "breathable waterproof membrane rated 20,000 mm.",
            ),
            (
                "recycled polyester with waterproof membrane",
                "A two-layer recycled polyester shell with a hanging mesh liner keeps rain out "
                "and air moving.",
            ),
        ),
        features=(
            "Pit zips dump heat fast on steep climbs.",
            "The helmet-compatible hood adjusts with one pull at the back.",
            "Fully taped seams keep out driving rain.",
            "It packs into its own chest pocket, with a carabiner loop.",
            "Two hand pockets sit high enough to clear a hip belt.",
            "Water-resistant zips and a storm flap seal the front.",
            "Hook-and-loop cuffs close snugly over gloves.",
            "A drop-tail hem keeps you covered on the bike.",
            "Reflective details show up in car headlights.",
            "An interior zip pocket keeps your phone dry.",
        ),
        uses=(
            "wet shoulder-season hikes",
            "the daily commute",
            "alpine scrambles",
            "rainy city days",
            "windy ridgelines",
            "fast-and-light overnights",
            "travel",
        ),
        care=(
            COMMON_CARE + " Refresh the water repellency with low heat.",
            "Wash with a technical cleaner and tumble dry low to reactivate the DWR.",
        ),
        fits=(
            ("Regular fit", "A regular fit leaves room for a fleece or light puffy underneath."),
            ("Athletic fit", "An athletic fit trims bulk without limiting reach."),
            ("Relaxed fit", "A relaxed fit layers easily over a sweater."),
        ),
        tags=("waterproof", "packable", "windproof", "recycled"),
    ),
    "softshell": CopyFamily(
        materials=(
            (
                "stretch polyester softshell",
                "Double-weave stretch polyester sheds wind and light "
                "rain while it breathes on the climb.",
            ),
            (
                "nylon-spandex double weave",
                "A tough nylon-spandex double weave with a brushed inside face.",
            ),
            (
                "hybrid softshell with grid fleece",
                "Softshell panels where the weather hits, grid fleece where you sweat.",
            ),
        ),
        features=(
            "Four-way stretch moves with every reach and high step.",
            "The low-profile hood fits under a helmet.",
            "Two hand pockets sit high enough to clear a harness.",
            "A brushed collar is soft against the chin.",
            "Laser-cut vents breathe on the uphill.",
            "A hem drawcord seals out drafts.",
        ),
        uses=(
            "ski touring",
            "alpine scrambles",
            "cold-morning runs",
            "windy ridgelines",
            "shoulder-season hikes",
            "cragging",
        ),
        care=(COMMON_CARE, "Machine wash cold with a technical cleaner; tumble dry low."),
        fits=(
            ("Athletic fit", "An athletic fit trims bulk without limiting reach."),
            ("Regular fit", "A regular fit with room for a base layer."),
        ),
        tags=("windproof", "stretch", "breathable"),
    ),
    "workwear": CopyFamily(
        materials=(
            (
                "waxed cotton canvas",
                "Heavyweight 10 oz organic cotton canvas is finished with "
                "a paraffin-free wax for weather resistance.",
            ),
            (
                "organic cotton duck canvas",
                "Rugged 12 oz organic cotton duck canvas that breaks "
                "in like a favourite pair of boots.",
            ),
            ("wool-blend melton", "A dense wool-blend melton that blocks wind."),
        ),
        features=(
            "A blanket-flannel lining adds warmth.",
            "Four patch pockets hold tools, gloves or a notebook.",
            "Triple-stitched seams and riveted stress points last for decades.",
            "A corduroy collar softens with wear.",
            "Gusseted underarms give room to swing an axe.",
        ),
        uses=(
            "the workshop",
            "farm chores",
            "autumn walks",
            "weekend projects",
            "the daily commute",
        ),
        care=(
            "Wipe clean; re-wax once a season to keep it weatherproof.",
            "Machine wash cold, line dry; expect it to soften and fade with wear.",
        ),
        fits=(
            ("Relaxed fit", "A relaxed fit layers easily over a sweater."),
            ("Regular fit", "A regular fit through the shoulders."),
        ),
        tags=("durable", "made-to-last"),
    ),
    "insulated": CopyFamily(
        materials=(
            (
                "800-fill goose down",
                "It is filled with 800-fill-power goose down certified to "
                "the Responsible Down Standard.",
            ),
            (
                "650-fill duck down",
                "650-fill-power responsibly sourced duck down gives warmth without the weight.",
            ),
            (
                "synthetic insulation",
                "PrimaLoft-style synthetic insulation keeps insulating even when it gets damp.",
            ),
            (
                "recycled polyester insulation",
                "Insulation spun from recycled bottles is warm, compressible and easy to care for.",
            ),
        ),
        features=(
            "Baffles are stitched to keep the fill evenly spread.",
            "A two-way front zip lets you vent without taking it off.",
            "Fleece-lined hand pockets warm cold fingers.",
            "The adjustable hood fits over a beanie.",
            "It stuffs into a sack the size of a water bottle.",
            "A windproof shell fabric shrugs off light snow.",
            "Elastic cuffs and an adjustable hem trap the heat.",
            "Internal drop pockets hold gloves or a spare layer.",
        ),
        uses=(
            "cold mornings in camp",
            "ski-town evenings",
            "winter walks",
            "belay stances",
            "late-autumn hikes",
            "the school run in January",
        ),
        care=(
            "Wash with a down-specific cleaner and tumble dry low with clean tennis balls.",
            COMMON_CARE + " Do not dry clean.",
        ),
        fits=(
            ("Regular fit", "A regular fit sits comfortably over a base layer and fleece."),
            ("Relaxed fit", "A relaxed, slightly longer fit covers the hips."),
        ),
        tags=("warm", "packable", "winter", "down"),
    ),
    "fleece": CopyFamily(
        materials=(
            (
                "recycled polyester fleece",
                "Soft 100% recycled polyester grid fleece traps warmth and moves moisture.",
            ),
            ("merino wool", "Breathable 18.5-micron merino wool resists odour for days on end."),
            ("high-pile fleece", "Plush high-pile fleece is as warm as it is soft."),
            ("wool blend", "A brushed wool-nylon blend gives warmth that stands up to wear."),
        ),
        features=(
            "Thumb loops keep the sleeves in place under a shell.",
            "A zipped chest pocket fits a phone.",
            "Flatlock seams sit smoothly under a pack.",
            "The stand-up collar blocks the wind.",
            "Stretch binding at the cuffs and hem seals in warmth.",
            "Zippered hand pockets keep small things safe.",
            "It breathes well enough to wear on the uphill.",
        ),
        uses=(
            "layering under a shell",
            "cool evenings",
            "ski-lift rides",
            "weekend errands",
            "chilly campsites",
            "working from a cold cabin",
        ),
        care=(COMMON_CARE, "Hand wash or machine wash on wool cycle; dry flat."),
        fits=(
            ("Regular fit", "A regular fit layers under a shell without bunching."),
            ("Relaxed fit", "A relaxed, boxy fit is made for lounging."),
            ("Slim fit", "A trim fit works as a midlayer."),
        ),
        tags=("warm", "midlayer", "merino", "recycled"),
    ),
    "tops": CopyFamily(
        materials=(
            (
                "organic cotton",
                "Made from 100% organic cotton jersey that softens with every wash.",
            ),
            (
                "merino wool",
                "Lightweight 150 g/m² merino wool stays fresh across several days of wear.",
            ),
            ("cotton-hemp blend", "A cotton-hemp blend is breathable, tough and drapes well."),
            ("recycled polyester", "Quick-drying recycled polyester with UPF 50+ sun protection."),
            (
                "brushed cotton flannel",
                "Heavyweight brushed cotton flannel, yarn-dyed for colour that lasts.",
            ),
            ("linen", "Washed European linen keeps you cool in the heat."),
        ),
        features=(
            "A longer back hem stays tucked in.",
            "Side-seamless construction means nothing rubs under a pack.",
            "It is pre-shrunk, so the fit you buy is the fit you keep.",
            "A chest pocket holds sunglasses.",
            "Odour control keeps it fresh on multi-day trips.",
            "Roll-up sleeves button in place.",
            "Shoulder seams are set forward to stay clear of pack straps.",
            "It dries in under an hour on a sunny rock.",
        ),
        uses=(
            "everyday wear",
            "summer hikes",
            "travel days",
            "the farmers' market",
            "long days in the sun",
            "camp mornings",
        ),
        care=(COMMON_CARE, "Machine wash cold, hang to dry to keep the shape."),
        fits=(
            ("Regular fit", "A regular fit with a little room through the body."),
            ("Relaxed fit", "A relaxed fit with dropped shoulders."),
            ("Slim fit", "A slim, close fit that layers well."),
        ),
        tags=("organic", "breathable", "merino", "sun-protection"),
    ),
    "bottoms": CopyFamily(
        materials=(
            (
                "stretch nylon",
                "Four-way stretch nylon with a water-repellent finish moves with every step.",
            ),
            ("organic cotton canvas", "Durable 12 oz organic cotton canvas breaks in with wear."),
            ("recycled polyester", "Recycled polyester knit with 20% elastane holds its shape."),
            ("cotton twill", "Brushed cotton twill with a touch of stretch."),
        ),
        features=(
            "A gusseted crotch gives you room to high-step.",
            "The waistband has belt loops and a hidden drawcord.",
            "Zippered thigh pocket fits a phone or map.",
            "Articulated knees move with you on the climb.",
            "Ankle cuffs cinch for scrambling or biking.",
            "Reinforced knees and hems add years of wear.",
            "A wide, flat waistband stays put under a hip belt.",
            "Deep front pockets don't spill when you sit.",
        ),
        uses=(
            "long trail days",
            "bouldering sessions",
            "travel",
            "yard work",
            "weekend adventures",
            "the workshop",
        ),
        care=(COMMON_CARE, "Machine wash warm, tumble dry; the canvas softens over time."),
        fits=(
            ("Regular fit", "A regular fit through the seat and thigh with a straight leg."),
            ("Relaxed fit", "A relaxed fit with room to move."),
            ("Slim fit", "A slim fit with a tapered leg."),
        ),
        tags=("stretch", "durable", "water-repellent"),
    ),
    "dress": CopyFamily(
        materials=(
            ("merino wool jersey", "Fine merino wool jersey drapes well and never needs ironing."),
            ("organic cotton", "Soft organic cotton with a little stretch."),
            ("recycled polyester", "A quick-drying recycled polyester knit."),
            ("corduroy", "Fine-wale cotton corduroy with a soft hand."),
        ),
        features=(
            "Hidden side pockets are deep enough for a phone.",
            "Built-in shorts make it ready for the trail.",
            "It packs flat and comes out of the bag wrinkle-free.",
            "An elastic back waist keeps it comfortable all day.",
            "It is lined, so it's never see-through.",
        ),
        uses=("travel", "warm evenings", "festival weekends", "summer hikes", "the office"),
        care=(COMMON_CARE, "Machine wash cold, lay flat to dry."),
        fits=(
            ("Regular fit", "A regular fit that skims the body."),
            ("Relaxed fit", "An easy, relaxed fit."),
        ),
        tags=("travel", "wrinkle-resistant"),
    ),
    "kids": CopyFamily(
        materials=(
            (
                "recycled nylon",
                "Tough recycled nylon ripstop with a PFC-free water repellent finish.",
            ),
            ("organic cotton", "Soft organic cotton that holds up to the playground."),
            ("recycled polyester fleece", "Cosy recycled polyester fleece."),
            ("synthetic insulation", "Warm synthetic insulation that keeps working when wet."),
        ),
        features=(
            "Reinforced knees and seat survive the playground.",
            "A name label inside means it comes home from school.",
            "Grow-with-me cuffs add a season of wear.",
            "Reflective trim makes dark walks safer.",
            "Big zip pulls are easy for small, cold hands.",
            "It is made to be handed down.",
        ),
        uses=("puddle jumping", "school runs", "snow days", "camping trips", "the playground"),
        care=(COMMON_CARE, "Machine wash warm, tumble dry low."),
        fits=(("Regular fit", "A regular fit with room for a layer."),),
        tags=("kids", "hand-me-down-ready"),
    ),
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
