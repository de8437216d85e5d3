"""Rules of the recommend context: who may see which list, pins and blocks, imported history.

Callers: the API (`GET /v1/recommendations`), the assistant (`recommend(..., surface=CHAT)`
with the conversation's actor), jobs and the CLI. Training lives in `recommend.jobs`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.catalog.errors import ProductNotFound
from floorwalker.config import Settings
from floorwalker.customers import service as customers_service
from floorwalker.customers.errors import CustomerNotFound
from floorwalker.events import service as events_service
from floorwalker.kit.actor import Actor, ActorKind, Scope
from floorwalker.kit.clock import utcnow
from floorwalker.recommend import lists, queries
from floorwalker.recommend.engine.data import Kind
from floorwalker.recommend.engine.files import read_rows
from floorwalker.recommend.engine.preferences import Preferences
from floorwalker.recommend.errors import (
    PersonalRecommendationsForbidden,
    RecommendationRequestInvalid,
    RuleConflict,
    RuleNotFound,
)
from floorwalker.recommend.models import RecommendationRule
from floorwalker.recommend.repository import InteractionRepository, RuleRepository
from floorwalker.recommend.schemas import (
    MAX_ID,
    ImportSummary,
    ModelStatus,
    ModelVersion,
    RecommendationList,
    RuleCreate,
    RuleKind,
    Surface,
)
from floorwalker.recommend.serving import ModelRegistry, registry_for
from floorwalker.stores import service as stores_service

MAX_LIMIT = 50
PERSONALISATION = "personalisation"


def models_for(settings: Settings) -> ModelRegistry:
    """The models this process serves for the configured data directory."""
    return registry_for(settings.data_dir)


def _may_name_any_customer(actor: Actor) -> bool:
    """Back-office callers (read keys, staff, jobs) may ask for any customer of their store."""
    if actor.kind in {ActorKind.STAFF, ActorKind.SYSTEM}:
        return True
    return actor.kind is ActorKind.API_KEY and actor.has_scope(Scope.READ)


def _authorise(
    actor: Actor, customer_id: int | None, session_id: str | None
) -> tuple[int | None, str | None]:
    """The customer and session the caller may ask about.

    A verified shopper gets their own list; an anonymous shopper their session's. A widget
    (publishable) key may pass a session id but never name a customer: anyone can read a
    publishable key from a web page.
    """
    if actor.kind is ActorKind.SHOPPER:
        if customer_id is not None and customer_id != actor.customer_id:
            raise PersonalRecommendationsForbidden
        return actor.customer_id, session_id
    if actor.kind is ActorKind.ANONYMOUS:
        if customer_id is not None:
            raise PersonalRecommendationsForbidden
        return None, session_id or actor.id
    if customer_id is not None and not _may_name_any_customer(actor):
        raise PersonalRecommendationsForbidden
    return customer_id, session_id


def _check(surface: Surface, product_id: int | None, cart: Sequence[int], limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise RecommendationRequestInvalid(f"limit must be between 1 and {MAX_LIMIT}.")
    if surface in {Surface.SIMILAR, Surface.BOUGHT_TOGETHER} and product_id is None:
        raise RecommendationRequestInvalid(f"The {surface.value} surface needs a product_id.")
    if surface is Surface.CART and not cart:
        raise RecommendationRequestInvalid("The cart surface needs the cart's product ids.")


async def recommend(
    session: AsyncSession,
    actor: Actor,
    *,
    models: ModelRegistry,
    surface: Surface | str,
    customer_id: int | None = None,
    session_id: str | None = None,
    product_id: int | None = None,
    cart: Sequence[int] = (),
    context_products: Sequence[int] = (),
    preferences: Mapping[str, Any] | None = None,
    discovery: bool = False,
    limit: int = 10,
    now: dt.datetime | None = None,
) -> RecommendationList:
    """A list of products for a surface, each with the reason it is there.

    Personal signals (order history, the shopper's events, stored preferences) are used only
    when the customer has given personalisation consent; otherwise the list is non-personal.
    `preferences` stated in the current conversation apply to this list either way (they are
    the request itself, not a profile). `context_products` are the products a conversation is
    about (chat surface). Products that are not active, not in stock or blocked never appear.
    """
    surface = Surface(surface)
    _check(surface, product_id, cart, limit)
    # ids beyond what the database can hold name nothing (and must not reach a query)
    cart = [p for p in cart if 0 < p <= MAX_ID]
    context_products = [p for p in context_products if 0 < p <= MAX_ID]
    if product_id is not None and not 0 < product_id <= MAX_ID:
        raise ProductNotFound(product_id)
    if customer_id is not None and not 0 < customer_id <= MAX_ID:
        raise CustomerNotFound(customer_id)
    store_id = actor.store_id
    customer_id, session_id = _authorise(actor, customer_id, session_id)
    now = now or utcnow()

    anchor_category = None
    if product_id is not None and surface is not Surface.CART:
        found = await queries.product_cards(session, store_id, [product_id])
        if product_id not in found:
            raise ProductNotFound(product_id)
        anchor_category = found[product_id].category

    consented = False
    stored_preferences: Mapping[str, Any] = {}
    if customer_id is not None:
        customer = await customers_service.get_or_raise(session, store_id, customer_id)
        consented = customers_service.has_consent(customer, PERSONALISATION)
        stored_preferences = customer.preferences if consented else {}
    use_session = session_id is not None and (customer_id is None or consented)
    if use_session and customer_id is None and session_id is not None:
        # a session stitched to a customer carries that customer's consent decision
        linked = await events_service.customer_of_session(session, actor, session_id)
        if linked is not None:
            linked_customer = await customers_service.get(session, store_id, linked)
            use_session = linked_customer is not None and customers_service.has_consent(
                linked_customer, PERSONALISATION
            )

    prefs = Preferences.parse(stored_preferences).merged(Preferences.parse(preferences))
    if prefs.budget_currency is not None:
        store = await stores_service.get_or_raise(session, store_id)
        prefs = prefs.in_currency(store.currency)

    rules = await RuleRepository(session, store_id).list(surface=surface.value)
    anchors: list[int] = []
    if surface is Surface.CART:
        anchors = list(dict.fromkeys(cart))
    elif product_id is not None:
        anchors = [product_id]
    if surface is Surface.CHAT:
        anchors = list(dict.fromkeys([*anchors, *context_products, *cart]))
    request = lists.Request(
        surface=surface,
        limit=limit,
        now=now,
        history=(
            await queries.customer_history(session, store_id, customer_id)
            if consented and customer_id is not None
            else ()
        ),
        session_products=(
            await queries.session_products(session, store_id, session_id)
            if use_session and session_id is not None
            else ()
        ),
        anchors=anchors,
        preferences=prefs,
        discovery=discovery,
        pins=[r.product_id for r in rules if r.kind == RuleKind.PIN.value],
        blocks=frozenset(r.product_id for r in rules if r.kind == RuleKind.BLOCK.value),
        anchor_category=anchor_category,
    )
    loaded = await models.get(store_id)
    return await lists.build(session, store_id, loaded, request)


# ---------------------------------------------------------------- pins and blocks


async def list_rules(
    session: AsyncSession, actor: Actor, *, surface: str | None = None
) -> Sequence[RecommendationRule]:
    """The store's pins and blocks (those that apply to `surface`, if given)."""
    return await RuleRepository(session, actor.store_id).list(surface=surface)


async def create_rule(
    session: AsyncSession, actor: Actor, *, data: RuleCreate
) -> RecommendationRule:
    """Pin or block a product of the store on a surface (or all); one rule per product and
    surface (RuleConflict otherwise)."""
    repo = RuleRepository(session, actor.store_id)
    if not await queries.product_exists(session, actor.store_id, data.product_id):
        raise ProductNotFound(data.product_id)
    surface = data.surface if isinstance(data.surface, str) else data.surface.value
    existing = await repo.find(data.product_id, str(surface))
    if existing is not None:
        raise RuleConflict(
            f"Product {data.product_id} already has a {existing.kind} on {surface}; "
            "delete it first.",
            rule_id=existing.id,
        )
    rule = await repo.add(
        RecommendationRule(
            store_id=actor.store_id,
            product_id=data.product_id,
            kind=data.kind.value,
            surface=str(surface),
            position=data.position,
            note=data.note,
            created_by=actor.label,
        )
    )
    await audit_service.record(
        session,
        actor,
        action=f"recommendation.{rule.kind}",
        subject_type="recommendation_rule",
        subject_id=rule.id,
        data={"product_id": rule.product_id, "surface": rule.surface, "position": rule.position},
    )
    return rule


async def delete_rule(session: AsyncSession, actor: Actor, *, rule_id: int) -> RecommendationRule:
    """Remove a pin or block; raises RuleNotFound."""
    repo = RuleRepository(session, actor.store_id)
    rule = await repo.get(rule_id)
    if rule is None:
        raise RuleNotFound(rule_id)
    await repo.remove(rule)
    await audit_service.record(
        session,
        actor,
        action="recommendation.rule_delete",
        subject_type="recommendation_rule",
        subject_id=rule_id,
        data={"product_id": rule.product_id, "kind": rule.kind, "surface": rule.surface},
    )
    return rule


# ---------------------------------------------------------------- imported history

_KIND_NAMES = {Kind.PURCHASE: "purchase", Kind.CART: "add_to_cart", Kind.VIEW: "view"}


async def import_interactions(
    session: AsyncSession,
    actor: Actor,
    *,
    path: Path,
    columns: Mapping[str, str] | None = None,
) -> ImportSummary:
    """Add a CSV or Parquet file of past interactions to the store's training history.

    Items are matched to products by external id, SKU, handle or id; customers by external
    id, e-mail or id (unmatched customers still count for item-to-item learning). Rows already
    imported are skipped, so importing the same file again changes nothing.
    """
    rows = read_rows(path, columns=columns)
    items = [str(v) for v in rows.items.tolist()]
    customers = [str(v) for v in rows.customers.tolist()]
    products = await queries.resolve_products(session, actor.store_id, items)
    known_customers = await queries.resolve_customers(session, actor.store_id, customers)
    orders = rows.orders.tolist() if rows.orders is not None else [None] * len(rows)
    records: list[dict[str, Any]] = []
    unknown = 0
    now = utcnow()
    for customer, item, when, kind, qty, order in zip(
        customers, items, rows.times.tolist(), rows.kinds.tolist(), rows.quantities.tolist(),
        orders, strict=True,
    ):  # fmt: skip
        product = products.get(item)
        if product is None:
            unknown += 1
            continue
        kind_name = _KIND_NAMES[Kind(kind)]
        quantity = max(1, round(qty))
        key = f"{customer}|{item}|{when}|{kind_name}|{quantity}|{order or ''}"
        records.append(
            {
                "store_id": actor.store_id,
                "customer_ref": customer[:255],
                "customer_id": known_customers.get(customer),
                "item_ref": item[:255],
                "product_id": product,
                "occurred_at": dt.datetime.fromtimestamp(when, tz=dt.UTC),
                "kind": kind_name,
                "quantity": quantity,
                "order_ref": None if order is None else str(order)[:255],
                "fingerprint": hashlib.sha256(key.encode()).hexdigest(),
                "imported_at": now,
            }
        )
    # one row per fingerprint in this file: an exact duplicate line is one interaction
    unique = list({r["fingerprint"]: r for r in records}.values())
    inserted = await InteractionRepository(session, actor.store_id).insert_new(unique)
    summary = rows.summary
    await audit_service.record(
        session,
        actor,
        action="recommendation.import",
        subject_type="recommendation_interactions",
        subject_id=path.name,
        data={"rows": summary.rows, "imported": inserted},
    )
    return ImportSummary(
        rows=summary.rows,
        imported=inserted,
        already_imported=len(records) - inserted,
        unknown_products=unknown,
        unmatched_customers=len({c for c in customers if c not in known_customers}),
        dropped={
            "missing_customer": summary.missing_customer,
            "missing_item": summary.missing_item,
            "non_positive_quantity": summary.non_positive_quantity,
            "unknown_event_type": summary.unknown_event_type,
        },
    )


async def erase_customer(session: AsyncSession, actor: Actor, *, customer_id: int) -> int:
    """Delete a customer's imported interactions (privacy erasure); returns rows deleted.

    Trained models hold no per-customer data, so nothing else needs erasing here.
    """
    return await InteractionRepository(session, actor.store_id).delete_for_customer(customer_id)


def model_status(actor: Actor, *, models: ModelRegistry) -> ModelStatus:
    """The store's trained versions on disk and the one this process serves."""
    loaded = models.loaded(actor.store_id)
    return ModelStatus(
        serving=loaded.version if loaded is not None else None,
        current=models.files.current_version(actor.store_id),
        versions=[
            ModelVersion(
                version=v.version,
                current=v.current,
                trained_at=v.trained_at,
                items=v.items,
                info=v.info,
            )
            for v in models.files.versions(actor.store_id)
        ],
    )


# ---------------------------------------------------------------- privacy (issue 6)


async def export_customer(
    session: AsyncSession, actor: Actor, *, customer_id: int | None, refs: Sequence[str] = ()
) -> dict[str, Any]:
    """What the recommender holds about a customer, as JSON: their imported interactions.

    Trained models hold no per-customer data (decision 8): a shopper's vector is computed from
    their history at request time, so the export says so instead of listing model rows.
    """
    rows = await InteractionRepository(session, actor.store_id).of_customer(customer_id, refs)
    return {
        "imported_interactions": [
            {
                "customer_ref": r.customer_ref,
                "item_ref": r.item_ref,
                "product_id": r.product_id,
                "occurred_at": r.occurred_at.isoformat(),
                "kind": r.kind,
                "quantity": r.quantity,
                "order_ref": r.order_ref,
            }
            for r in rows
        ],
        "trained_models": {
            "per_customer_data": False,
            "note": "Models hold item neighbours, item factors and popularity only; personal "
            "lists are computed at request time from the history above, the customer's orders "
            "and events, and only with personalisation consent.",
        },
    }


async def erase_customer_history(
    session: AsyncSession, actor: Actor, *, customer_id: int | None, refs: Sequence[str] = ()
) -> int:
    """Delete a customer's imported interactions, including rows that name them by e-mail or
    platform id without being linked (imported before they were known); returns how many."""
    return await InteractionRepository(session, actor.store_id).delete_of_customer(
        customer_id, refs
    )
