"""Copy families of clothing: shells, insulation, fleece, tops, bottoms, dresses, kids' wear."""

from __future__ import annotations

from floorwalker.demo.vocab.copy import COMMON_CARE, CopyFamily

CLOTHING: dict[str, CopyFamily] = {
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
}
