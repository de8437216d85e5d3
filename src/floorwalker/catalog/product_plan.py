"""Planning a product upsert: what one record changes in its product, variants and images.

Pure functions over the rows loaded for a chunk; nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from floorwalker.catalog.errors import CurrencyMismatch, ExternalIdTaken, VariantNotOfProduct
from floorwalker.catalog.schemas import ImageInput, ProductUpsert, VariantUpsert
from floorwalker.catalog.taxonomy import CategoryTree
from floorwalker.kit.clock import utcnow
from floorwalker.kit.text import slugify
from floorwalker.kit.upsert import Matcher, RecordInvalid, Row

#: Product columns a record may set directly (None means "not given" for these).
_PLAIN_FIELDS = ("title", "description", "status", "option_names", "attributes", "tags")
_VARIANT_FIELDS = (
    "sku",
    "barcode",
    "title",
    "price",
    "compare_at_price",
    "weight_grams",
    "image_url",
)


@dataclass
class Context:
    """What one call resolves once: the store's currency, category tree and brands."""

    store_id: int
    currency: str
    tree: CategoryTree | None = None
    brands: dict[str, int] = field(default_factory=dict)
    #: Brand name → slug, and category path → id, as resolved so far in this call.
    brand_slugs: dict[str, str] = field(default_factory=dict)
    category_paths: dict[str, int | None] = field(default_factory=dict)

    def forget_created(self) -> None:
        """Drop what was resolved so far (after a rollback the rows may be gone)."""
        self.tree = None
        self.brands.clear()
        self.category_paths.clear()

    def brand_slug(self, name: str) -> str:
        """The slug of a brand name (cached: a batch names the same brands again and again)."""
        slug = self.brand_slugs.get(name)
        if slug is None:
            slug = self.brand_slugs[name] = slugify(name)
        return slug


@dataclass
class Plan:
    """What one record will change."""

    index: int
    record: ProductUpsert
    row: Row | None
    handle: str
    values: dict[str, Any] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    variant_inserts: list[dict[str, Any]] = field(default_factory=list)
    variant_updates: list[dict[str, Any]] = field(default_factory=list)
    product_id: int | None = None


def plan_product(
    ctx: Context,
    matcher: Matcher,
    used_handles: set[str],
    index: int,
    record: ProductUpsert,
    claimed: str | None,
    row: Row | None,
) -> Plan:
    """Plan the product's own columns: all of them for a new one, the changed ones otherwise."""
    given = record.model_fields_set
    wanted: dict[str, Any] = {
        name: getattr(record, name)
        for name in _PLAIN_FIELDS
        if name in given and getattr(record, name) is not None
    }
    if "product_type" in given:
        wanted["product_type"] = record.product_type
    if row is None:
        if record.title is None:
            raise RecordInvalid.field("title", "missing", "A new product needs a title.")
        if not record.variants:
            raise RecordInvalid.field(
                "variants", "missing", "A new product needs at least one variant."
            )
        handle = claimed or ""
        if handle:
            used_handles.add(handle)
        values = {
            "store_id": ctx.store_id,
            "source": record.source,
            "external_id": record.external_id,
            "handle": handle,
            "description": "",
            "product_type": None,
            "status": "active",
            "attributes": {},
            "tags": [],
            "brand_id": None,
            "category_id": None,
            **wanted,
        }
        values["option_names"] = _option_names(record, [])
        return Plan(index, record, None, handle, values=values, changed=["created"])
    if record.handle is not None and record.handle != row["handle"]:
        matcher.ensure_free(row["id"], natural=record.handle)
        wanted["handle"] = record.handle
        used_handles.add(record.handle)
    if record.external_id is not None and (row["source"], row["external_id"]) != (
        record.source,
        record.external_id,
    ):
        matcher.ensure_free(row["id"], external=(record.source, record.external_id))
        wanted.update(source=record.source, external_id=record.external_id)
    if record.variants is not None or record.option_names is not None:
        wanted["option_names"] = _option_names(record, row["option_names"] or [])
    changed = {k: v for k, v in wanted.items() if row[k] != v}
    return Plan(index, record, row, row["handle"], values=changed, changed=sorted(changed))


def _option_names(record: ProductUpsert, current: list[str]) -> list[str]:
    """The product's option names: as given, else the current ones the variants still use,
    then new ones in the order the variants first use them."""
    if record.option_names is not None:
        return record.option_names
    used: list[str] = []
    for variant in record.variants or []:
        used.extend(name for name in variant.options if name not in used)
    kept = [name for name in current if name in used]
    return kept + [name for name in used if name not in kept]


def _default_title(options: Mapping[str, Any]) -> str:
    return " / ".join(str(v) for v in options.values()) or "Default"


def plan_variants(
    ctx: Context,
    plan: Plan,
    existing: list[Row],
    owners: Mapping[tuple[str, str], int],
) -> None:
    """Plan the variants: match each to a current one, insert the new, archive the absent."""
    record = plan.record
    if record.variants is None:
        return
    product_id = plan.row["id"] if plan.row else None
    taken: set[int] = set()
    for position, variant in enumerate(record.variants):
        if variant.external_id:
            owner = owners.get((record.source, variant.external_id))
            if owner is not None and owner != product_id:
                raise ExternalIdTaken(record.source, variant.external_id)
        current = _match_variant(record, variant, existing, taken, product_id)
        if variant.currency is not None and variant.currency != ctx.currency:
            raise CurrencyMismatch(variant.currency, ctx.currency)
        if current is None:
            plan.variant_inserts.append(_new_variant(ctx, record, variant, position))
            continue
        taken.add(current["id"])
        wanted = _variant_changes(record, variant, position, current)
        if wanted:
            plan.variant_updates.append({"id": current["id"], **wanted})
    now = utcnow()
    for current in existing:
        if current["id"] not in taken and current["status"] != "archived":
            plan.variant_updates.append(
                {"id": current["id"], "status": "archived", "updated_at": now}
            )
    if plan.row is not None and (plan.variant_inserts or plan.variant_updates):
        plan.changed.append("variants")


def _match_variant(
    record: ProductUpsert,
    variant: VariantUpsert,
    existing: list[Row],
    taken: set[int],
    product_id: int | None,
) -> Row | None:
    if variant.id is not None:
        found = next((v for v in existing if v["id"] == variant.id), None)
        if found is None:
            raise VariantNotOfProduct(variant.id, product_id or 0)
        return found
    free = [v for v in existing if v["id"] not in taken]
    if variant.external_id is not None:
        by_external = next(
            (
                v
                for v in free
                if (v["source"], v["external_id"]) == (record.source, variant.external_id)
            ),
            None,
        )
        if by_external is not None:
            return by_external
    if variant.sku is not None:
        by_sku = next((v for v in free if v["sku"] == variant.sku), None)
        if by_sku is not None:
            return by_sku
    return next((v for v in free if (v["options"] or {}) == variant.options), None)


def _new_variant(
    ctx: Context, record: ProductUpsert, variant: VariantUpsert, position: int
) -> dict[str, Any]:
    if variant.price is None:
        raise RecordInvalid.field(
            ["variants", str(position), "price"], "missing", "A new variant needs a price."
        )
    return {
        "store_id": ctx.store_id,
        "source": record.source,
        "external_id": variant.external_id,
        "sku": variant.sku,
        "barcode": variant.barcode,
        "title": variant.title or _default_title(variant.options),
        "options": variant.options,
        "price": variant.price,
        "compare_at_price": variant.compare_at_price,
        "currency": ctx.currency,
        "position": variant.position if variant.position is not None else position,
        "status": str(variant.status or "active"),
        "weight_grams": variant.weight_grams,
        "image_url": variant.image_url,
    }


def _variant_changes(
    record: ProductUpsert, variant: VariantUpsert, position: int, current: Row
) -> dict[str, Any]:
    given = variant.model_fields_set
    wanted: dict[str, Any] = {
        name: getattr(variant, name) for name in _VARIANT_FIELDS if name in given
    }
    # price and title cannot be cleared; null means "not given" for them.
    for name in ("price", "title"):
        if wanted.get(name, "") is None:
            del wanted[name]
    if "options" in given:
        wanted["options"] = variant.options
        if "title" not in given and current["title"] == _default_title(current["options"] or {}):
            wanted["title"] = _default_title(variant.options)
    wanted["position"] = variant.position if variant.position is not None else position
    wanted["status"] = str(variant.status or "active")
    if variant.external_id is not None:
        wanted.update(source=record.source, external_id=variant.external_id)
    changed = {k: v for k, v in wanted.items() if current[k] != v}
    if changed:
        changed["updated_at"] = utcnow()
    return changed


def plan_images(
    ctx: Context,
    product_id: int,
    images: list[ImageInput],
    current: list[Row],
    skus: Mapping[str, int],
    inserts: list[dict[str, Any]],
    updates: list[dict[str, Any]],
    deletes: list[int],
) -> None:
    """Plan the images: matched by URL, the record\'s order is their position."""
    by_url = {row["url"]: row for row in current}
    for position, image in enumerate(images):
        values = {
            "url": image.url,
            "alt": image.alt,
            "position": position,
            "variant_id": skus.get(image.variant_sku) if image.variant_sku else None,
        }
        row = by_url.pop(image.url, None)
        if row is None:
            inserts.append({"store_id": ctx.store_id, "product_id": product_id, **values})
            continue
        changed = {k: v for k, v in values.items() if row[k] != v}
        if changed:
            updates.append({"id": row["id"], **changed})
    deletes.extend(row["id"] for row in by_url.values())
