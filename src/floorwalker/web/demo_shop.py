"""The demo storefront's own back end, standing in for a retailer's web site (development only).

A real shop renders its product pages and cart from its own systems, and signs a shopper
identity token when a customer logs in. The `/demo` page does the same through these routes:

- `POST /demo/api/session`: the store's name and departments, the named demo customers, and a
  publishable widget key for this page's origin (created on first use per server process; keys
  are stored hashed, so the page cannot read one back);
- `GET /demo/api/products/{handle}`: a product page's data;
- `GET /demo/api/cart?items=…`: the lines of a cart link (`variant:quantity,…`);
- `POST /demo/api/identity`: a signed identity token for one of the named demo customers, as a
  retailer's login would issue (sets the store's identity secret first if it has none).

They answer only for a store written by the demo generator, and `404 demo_unavailable` when
`FLOORWALKER_ENVIRONMENT=production`: nothing here exists on a production server.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field

from floorwalker.api.deps import SessionDep, SettingsDep
from floorwalker.api.v1.conversations import RuntimeDep
from floorwalker.assistant.identity.tokens import issue_token
from floorwalker.audit import service as audit_service
from floorwalker.auth import service as auth_service
from floorwalker.auth.schemas import ApiKeyCreate, KeyKind
from floorwalker.catalog import service as catalog_service
from floorwalker.config import Environment
from floorwalker.customers import service as customer_service
from floorwalker.demo.build import DEMO_SLUG
from floorwalker.demo.stories import PEOPLE, Person
from floorwalker.errors import AppError, Invalid, NotFound
from floorwalker.inventory import service as inventory_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.money import format_money
from floorwalker.kit.schemas import InputSchema
from floorwalker.stores import service as store_service
from floorwalker.stores.models import Store

router = APIRouter(prefix="/demo/api", include_in_schema=False)

#: How long a demo identity token lives (a retailer's site would match its login session).
TOKEN_MINUTES = 60
KEY_NAME = "demo storefront page"
MAX_CART_LINES = 50
_CART_ITEM = re.compile(r"^(?P<ref>[A-Za-z0-9._\-]{1,120}):(?P<quantity>\d{1,3})$")


class DemoUnavailable(NotFound):
    """The demo storefront's back end is off (production) or the store is not a demo store."""

    code = "demo_unavailable"


class IdentityRequest(InputSchema):
    """Which named demo customer to sign in as."""

    customer: str = Field(max_length=40, description="The customer's key, e.g. `maya`.")


async def demo_store(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: Annotated[str | None, Query(max_length=100)] = None,
) -> Store:
    """The demo store these routes serve (`?store=` picks another generated store)."""
    if settings.environment is Environment.PRODUCTION:
        raise DemoUnavailable("The demo storefront is not served in production.")
    slug = store or DEMO_SLUG
    found = await store_service.get_by_slug(session, slug)
    if found is None:
        raise DemoUnavailable(
            f"There is no demo store {slug!r}; run `floorwalker demo` to create it.", store=slug
        )
    generated = await audit_service.list_entries(
        session, Actor.system(found.id, "demo"), action="demo.generate", limit=1
    )
    if not generated:
        raise DemoUnavailable(
            f"Store {slug!r} was not made by the demo generator; the demo page serves only "
            "demo stores.",
            store=slug,
        )
    return found


DemoStore = Annotated[Store, Depends(demo_store)]


def _origin(request: Request) -> str:
    parts = urlsplit(str(request.base_url))
    return f"{parts.scheme}://{parts.netloc}"


def _person(person: Person) -> dict[str, str]:
    return {
        "key": person.key,
        "name": f"{person.first} {person.last}",
        "email": person.email,
        "story": person.story,
    }


async def _still_valid(session: SessionDep, key: str) -> bool:
    try:
        await auth_service.authenticate(session, key)
    except AppError:
        return False
    return True


@router.post("/session")
async def open_session(request: Request, store: DemoStore, session: SessionDep) -> dict[str, Any]:
    """Open the demo storefront: the store, its named customers and a widget key."""
    origin = _origin(request)
    keys: dict[tuple[int, str], str] | None = getattr(request.app.state, "demo_keys", None)
    if keys is None:
        keys = request.app.state.demo_keys = {}
    widget_key = keys.get((store.id, origin))
    if widget_key is not None and not await _still_valid(session, widget_key):
        widget_key = None  # revoked in the console, or its transaction never committed
    if widget_key is None:
        _key, widget_key = await auth_service.create_key(
            session,
            Actor.system(store.id, "demo"),
            data=ApiKeyCreate(
                name=f"{KEY_NAME} {utcnow():%Y-%m-%d %H:%M}",
                kind=KeyKind.PUBLISHABLE,
                scopes=[],
                allowed_origins=[origin],
            ),
        )
        keys[(store.id, origin)] = widget_key
    customers = [
        _person(person)
        for person in PEOPLE
        if await customer_service.find_by_email(session, store.id, person.email) is not None
    ]
    settings = store_service.settings_of(store)
    roots = await catalog_service.list_categories(session, store.id, roots_only=True)
    return {
        "store": {
            "slug": store.slug,
            "name": store.name,
            "currency": store.currency,
            "assistant_name": settings.assistant_name,
            "support_email": settings.support_email,
        },
        "widget_key": widget_key,
        "customers": customers,
        "departments": [{"id": c.id, "name": c.name} for c in roots],
    }


@router.post("/identity")
async def sign_identity(
    data: IdentityRequest, store: DemoStore, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """Sign a shopper identity token for a named demo customer, as a retailer's login would."""
    person = next((p for p in PEOPLE if p.key == data.customer.lower()), None)
    customer = (
        await customer_service.find_by_email(session, store.id, person.email) if person else None
    )
    if person is None or customer is None:
        raise NotFound(
            "Not one of the demo store's named customers.",
            code="demo_customer_not_found",
            customers=[p.key for p in PEOPLE],
        )
    secret = store_service.identity_secret_of(store, runtime.identity_crypto)
    if secret is None:
        # A fresh demo store has no secret yet; an existing one is kept, so tokens signed
        # for other pages (or `floorwalker chat token`) stay valid.
        secret = await store_service.rotate_identity_secret(
            session, Actor.system(store.id, "demo"), encryptor=runtime.identity_crypto
        )
    now = int(utcnow().timestamp())
    token = issue_token(
        secret=secret,
        audience=store.slug,
        subject=f"fw:{customer.id}",
        lifetime=TOKEN_MINUTES * 60,
        now=now,
    )
    return {"token": token, "expires_in": TOKEN_MINUTES * 60, "customer": _person(person)}


@router.get("/products/{handle}")
async def product_page(handle: str, store: DemoStore, session: SessionDep) -> dict[str, Any]:
    """A product page's data: description, facts, pictures and every variant with stock."""
    found = await catalog_service.list_product_documents(
        session, store.id, handle=handle[:255], status="active", limit=1
    )
    if not found:
        raise NotFound("No such product in this shop.", code="product_not_found", handle=handle)
    (product,) = await inventory_service.with_stock(session, store.id, found)
    variants = [
        {
            "id": v.id,
            "title": v.title,
            "options": v.options,
            "price": v.price,
            "price_display": format_money(v.price, v.currency),
            "compare_at_display": (
                format_money(v.compare_at_price, v.currency)
                if v.compare_at_price and v.compare_at_price > v.price
                else None
            ),
            "available": v.stock.available if v.stock else 0,
            "image_url": v.image_url,
        }
        for v in product.variants
        if v.status == "active"
    ]
    prices = [v.price for v in product.variants if v.status == "active"] or [0]
    return {
        "id": product.id,
        "handle": product.handle,
        "title": product.title,
        "brand": product.brand.name if product.brand else None,
        "category": product.category.name if product.category else None,
        "description": product.description,
        "attributes": product.attributes,
        "option_names": product.option_names,
        "images": [{"url": i.url, "alt": i.alt} for i in product.images],
        "price_display": format_money(min(prices), store.currency),
        "price_range": min(prices) != max(prices),
        "variants": variants,
    }


def _parse_items(items: str) -> list[tuple[str, int]]:
    pairs: list[tuple[str, int]] = []
    for raw in filter(None, items.split(",")):
        match = _CART_ITEM.match(raw.strip())
        if match is None or not 1 <= int(match["quantity"]) <= 99:
            raise Invalid(
                "items are variant:quantity pairs joined by commas, e.g. 12:1,15:2 "
                "(quantities 1 to 99).",
                code="invalid_cart_items",
                item=raw[:130],
            )
        pairs.append((match["ref"], int(match["quantity"])))
    if len(pairs) > MAX_CART_LINES:
        raise Invalid(f"A cart holds at most {MAX_CART_LINES} lines.", code="invalid_cart_items")
    return pairs


@router.get("/cart")
async def cart_lines(
    store: DemoStore, session: SessionDep, items: Annotated[str, Query(max_length=8000)] = ""
) -> dict[str, Any]:
    """The lines of a cart link, priced now; unknown variants are listed, not guessed."""
    pairs = _parse_items(items)
    # A retailer's link names its own variant ids (external ids) or, without them, ours.
    ids: dict[str, int] = {ref: int(ref) for ref, _ in pairs if ref.isdigit()}
    for ref, _ in pairs:
        matches = await catalog_service.list_variants(session, store.id, external_id=ref, limit=1)
        if matches:
            ids[ref] = matches[0].id
    variants = await catalog_service.get_variants(session, store.id, list(set(ids.values())))
    stock = await inventory_service.available(session, store.id, list(variants))
    lines: list[dict[str, Any]] = []
    missing: list[str] = []
    total = 0
    for ref, quantity in pairs:
        variant = variants.get(ids.get(ref, 0))
        if variant is None or not catalog_service.is_sellable(variant):
            missing.append(ref)
            continue
        total += variant.price * quantity
        lines.append(
            {
                "ref": ref,
                "variant_id": variant.id,
                "title": variant.product.title,
                "handle": variant.product.handle,
                "label": " / ".join(str(v) for v in (variant.options or {}).values()),
                "quantity": quantity,
                "unit_price_display": format_money(variant.price, variant.currency),
                "line_total": variant.price * quantity,
                "line_total_display": format_money(variant.price * quantity, variant.currency),
                "available": stock.get(variant.id, 0),
                "image_url": variant.image_url,
            }
        )
    return {
        "lines": lines,
        "missing": missing,
        "total": total,
        "total_display": format_money(total, store.currency),
    }
