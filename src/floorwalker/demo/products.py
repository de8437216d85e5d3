"""Invent one product: name, copy, attributes, variants with prices and SKUs, pictures, stock."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re

from floorwalker.demo.images import image_url
from floorwalker.demo.plan import Plan, Ref
from floorwalker.demo.records import ProductInfo, VariantInfo, slugify
from floorwalker.demo.vocab.catalog import ProductType
from floorwalker.demo.vocab.copy import ADJECTIVES, CLOSERS, OPENERS
from floorwalker.demo.vocab.families import FAMILIES
from floorwalker.demo.vocab.options import COLOURS, GEAR, OptionSpec

_SEASONS = {
    (10, 11, 12, 1, 2): "winter",
    (5, 6, 7, 8): "summer",
    (3, 4, 9, 10): "shoulder season",
    (11, 12): "holiday",
}


def _retail_price(cents: int, rng: random.Random) -> int:
    dollars = max(9, round(cents / 500) * 5)
    if dollars % 10 == 0:
        dollars -= 1
    return dollars * 100 - (5 if rng.random() < 0.15 else 0)


def _upc(serial: int) -> str:
    body = f"08123{serial:06d}"
    odd = sum(int(d) for d in body[0::2])
    even = sum(int(d) for d in body[1::2])
    return body + str((10 - (odd * 3 + even) % 10) % 10)


def option_codes(spec: OptionSpec) -> dict[str, str]:
    codes: dict[str, str] = {}
    for index, value in enumerate(spec.values):
        if spec.name == "colour":
            parts = value.split("-")
            code = (parts[0][:2] + parts[1][:1]) if len(parts) > 1 else parts[0][:3]
        else:
            code = re.sub(r"[^A-Z0-9]", "", value.upper())[:4] or "X"
        if code.upper() in codes.values():
            code = code[:3] + str(index)
        codes[value] = code.upper()
    return codes


def _choose_values(rng: random.Random, spec: OptionSpec) -> list[str]:
    count = min(len(spec.values), rng.randint(*spec.pick))
    if spec.run:
        start = rng.randint(0, len(spec.values) - count)
        return list(spec.values[start : start + count])
    chosen = set(rng.sample(spec.values, count))
    return [v for v in spec.values if v in chosen]


def _season(peak: tuple[int, ...]) -> str:
    return _SEASONS.get(peak, "all year")


def _describe(
    rng: random.Random, ptype: ProductType, model: str, descriptor: str
) -> tuple[str, dict[str, object]]:
    """A multi-sentence description and the attributes it states."""
    fam = FAMILIES[ptype.family]
    use, use2 = rng.sample(fam.uses, 2)
    opener = rng.choice(OPENERS).format(
        model=model,
        type=ptype.name,
        type_l=ptype.name.lower(),
        use=use,
        use2=use2,
        adj=rng.choice(ADJECTIVES),
    )
    # A "Merino" or "Leather" product must be made of what its name says.
    words = [w for w in descriptor.lower().split() if len(w) > 3]
    fitting = [m for m in fam.materials if any(w in m[0] for w in words)]
    material, material_text = rng.choice(fitting or list(fam.materials))
    sentences = [opener, material_text]
    attributes: dict[str, object] = {"material": material}
    if fam.fits:
        fit_name, fit_text = rng.choice(fam.fits)
        sentences.append(fit_text)
        attributes["fit"] = fit_name
    sentences.extend(rng.sample(fam.features, min(len(fam.features), rng.randint(2, 3))))
    care = rng.choice(fam.care)
    sentences.append(f"Care: {care}")
    if rng.random() < 0.45:
        sentences.append(rng.choice(CLOSERS))
    attributes["care"] = care
    attributes["activities"] = [use, use2]
    attributes["audience"] = {"Women's": "women", "Men's": "men", "Kids'": "kids"}.get(
        ptype.audience or "", "unisex"
    )
    attributes["season"] = _season(ptype.peak)
    attributes["origin"] = rng.choice(
        ("Imported", "Imported", "Made in Portugal", "Made in USA", "Made in Vietnam")
    )
    if descriptor in ("3L", "2.5L", "Waterproof", "Storm", "GTX") or "waterproof" in material:
        attributes["waterproof"] = True
    if "°F" in descriptor:
        attributes["temperature_rating"] = descriptor
    return " ".join(sentences), attributes


def plan_product(
    plan: Plan,
    rng: random.Random,
    *,
    ptype: ProductType,
    index: int,
    title: str,
    model: str,
    descriptor: str,
    brand: str,
    brand_code: str,
    brand_ref: Ref,
    category_ref: Ref,
    codes: dict[str, dict[str, str]],
    serial: itertools.count[int],
    now: dt.datetime,
    evergreen: bool = False,
) -> ProductInfo:
    """One product with its variants and pictures.

    An `evergreen` product (the first of each type) is active, long listed, at full price and
    well stocked, so the scripted stories find what they need at any scale.
    """
    roll = rng.random()
    status = "draft" if roll < 0.01 else "archived" if roll < 0.03 else "active"
    age_days = rng.uniform(3, 45) if rng.random() < 0.07 else rng.uniform(45, 1100)
    if evergreen:
        status, age_days = "active", max(age_days, 500)
    retired_at = None
    if status == "archived":
        age_days = max(age_days, 400)
        retired_at = (now - dt.timedelta(days=rng.uniform(60, 200))).replace(microsecond=0)
    created_at = (now - dt.timedelta(days=age_days)).replace(microsecond=0)
    on_sale = status == "active" and rng.random() < 0.14 and not evergreen
    sale_since = (
        (now - dt.timedelta(days=rng.uniform(2, 40))).replace(microsecond=0) if on_sale else None
    )
    description, attributes = _describe(rng, ptype, model, descriptor)
    values = {spec.name: _choose_values(rng, spec) for spec in ptype.options}
    fam = FAMILIES[ptype.family]
    tags = sorted(set(rng.sample(fam.tags, min(len(fam.tags), rng.randint(1, 3)))))
    if on_sale:
        tags.append("sale")
    if age_days < 45:
        tags.append("new-arrival")
    if ptype.peak:
        tags.append(str(attributes["season"]).replace(" ", "-"))
    handle = slugify(title)
    product_ref = plan.add(
        "products",
        {
            "source": "demo",
            "handle": handle,
            "title": title,
            "description": description,
            "brand_id": brand_ref,
            "category_id": category_ref,
            "product_type": ptype.name,
            "status": status,
            "option_names": [spec.name for spec in ptype.options],
            "attributes": attributes,
            "tags": tags,
            "created_at": created_at,
            "updated_at": max(created_at, sale_since or created_at, retired_at or created_at),
        },
    )
    product = ProductInfo(
        product_ref, index, ptype, title, handle, brand, status, created_at, sale_since, retired_at
    )
    product.evergreen = evergreen
    base = _retail_price(rng.randint(*ptype.price), rng)
    discount = rng.choice((20, 25, 30, 40)) if on_sale else 0
    fallback_colour = rng.choice(GEAR)
    pictures: dict[str, str] = {}
    for position, colour in enumerate(values.get("colour") or [fallback_colour]):
        url = image_url(ptype.icon, colour)
        pictures[colour] = url
        plan.add(
            "product_images",
            {
                "product_id": product_ref,
                "url": url,
                "alt": f"{title} in {COLOURS[colour][0]}",
                "position": position,
            },
        )
    names = [spec.name for spec in ptype.options]
    for position, combo in enumerate(itertools.product(*(values[n] for n in names))):
        chosen = dict(zip(names, combo, strict=True))
        price = base + sum(
            spec.steps[spec.values.index(chosen[spec.name])] for spec in ptype.options if spec.steps
        )
        compare_at = None
        if discount:
            compare_at = price
            price = price * (100 - discount) // 10000 * 100 - 1
        variant_colour = chosen.get("colour")
        shown = {n: (COLOURS[v][0] if n == "colour" else v) for n, v in chosen.items()}
        sku = "-".join([brand_code, f"{index + 1:05d}", *(codes[n][chosen[n]] for n in names)])
        variant_title = " / ".join(shown.values())
        variant_ref = plan.add(
            "variants",
            {
                "product_id": product_ref,
                "source": "demo",
                "sku": sku,
                "barcode": _upc(next(serial)),
                "title": variant_title,
                "options": shown,
                "price": price,
                "compare_at_price": compare_at,
                "currency": "USD",
                "position": position,
                "status": "archived" if status == "archived" else "active",
                "weight_grams": rng.randint(*ptype.weight),
                "image_url": pictures.get(variant_colour or fallback_colour),
                "created_at": created_at,
                "updated_at": created_at,
            },
        )
        product.variants.append(
            VariantInfo(
                variant_ref, product, shown, variant_colour, price, compare_at, sku, variant_title
            )
        )
    return product


def plan_stock(rng: random.Random, products: list[ProductInfo]) -> None:
    """On-hand units per location: mostly stocked, some low, some variants and products out."""
    for product in products:
        sold_out = product.status == "archived" or rng.random() < 0.03
        sold_out = sold_out and not product.evergreen
        count = len(product.variants)
        for position, variant in enumerate(product.variants):
            # Middle sizes sell most, so buyers stock more of them.
            curve = 1.6 - abs(position - (count - 1) / 2) / max(1, count)
            roll = max(rng.random(), 0.5 if product.evergreen else 0.0)
            if sold_out or roll < 0.07:
                variant.on_hand = {"DC-WEST": 0, "DC-EAST": 0}
            elif roll < 0.17:
                low = rng.randint(1, 3)
                variant.on_hand = {"DC-WEST": low, "DC-EAST": 0}
                if rng.random() < 0.5:
                    variant.on_hand = {"DC-WEST": 0, "DC-EAST": low}
            else:
                variant.on_hand = {
                    "DC-WEST": int(rng.gammavariate(2.0, 9.0) * curve),
                    "DC-EAST": int(rng.gammavariate(2.0, 7.0) * curve),
                }
                if rng.random() < 0.4:
                    variant.on_hand["PDX"] = rng.randint(1, 6)
