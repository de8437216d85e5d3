"""Fixtures of the privacy tests: a person with data in every context, and a PII scanner."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import JSON, String, Text, select

from floorwalker.assistant.models import Conversation, Handoff, Message, OutboxMail
from floorwalker.catalog.models import Variant
from floorwalker.connectors.models import DeadLetter, Delivery, SyncRun
from floorwalker.customers import service as customers_service
from floorwalker.customers.models import Address, PaymentMethod
from floorwalker.events import service as events_service
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.kit.fields import ENCRYPTED_TYPES
from floorwalker.models import metadata
from floorwalker.orders.models import Order, OrderReturn, PaymentTransaction
from floorwalker.orders.schemas import AddressInput
from floorwalker.recommend.models import ImportedInteraction
from floorwalker.stores.models import Store
from tests import factories


@dataclass
class Person:
    """A customer with data in every context, and the values that identify them."""

    store_id: int
    customer_id: int
    email: str
    first_name: str
    last_name: str
    phone: str
    line1: str
    order_ids: list[int]
    guest_order_id: int
    conversation: str
    session_id: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"

    @property
    def needles(self) -> list[str]:
        """What must not remain anywhere after erasure."""
        return [self.email, self.name, self.last_name, self.phone, self.line1]


async def make_person(
    db: Database, store: Store, *, first: str, last: str, status: str = "delivered"
) -> Person:
    """A customer of the store with a profile, addresses, payment methods, orders (one of them
    a guest order placed with their e-mail), a return, a conversation with a handoff, events
    (some from an anonymous session later stitched to them), imported interactions, an
    idempotent address change (audit entry and idempotency record), mail, a webhook delivery,
    a dead letter and a sync-run error that mention them."""
    email = factories.unique(f"{first.lower()}.{last.lower()}") + "@example.com"
    phone = f"+44 20 7946 {factories.unique('')[-4:].rjust(4, '0')}"
    line1 = f"{factories.unique('')} {last} Lane"
    system = Actor.system(store.id)
    async with db.transaction() as s:
        location = await factories.create_location(s, store, code=factories.unique("WH"))
        product = await factories.create_product(s, store, location=location)
        variant = await s.scalar(select(Variant).where(Variant.product_id == product.id))
        assert variant is not None
        customer = await factories.create_customer(s, store, email=email)
        customer.first_name, customer.last_name, customer.phone = first, last, phone
        customer.external_id = factories.unique("ext-")
        customer.consent = {"personalisation": {"granted": True, "at": "2026-01-01T00:00:00"}}
        customer.preferences = {"sizes": {"shirts": "M"}}
        address = await s.scalar(select(Address).where(Address.customer_id == customer.id))
        assert address is not None
        address.name, address.line1, address.phone = f"{first} {last}", line1, phone
        paypal = await s.scalar(
            select(PaymentMethod).where(
                PaymentMethod.customer_id == customer.id, PaymentMethod.kind == "paypal"
            )
        )
        assert paypal is not None
        paypal.paypal_email = email
        card = await s.scalar(
            select(PaymentMethod).where(
                PaymentMethod.customer_id == customer.id, PaymentMethod.kind == "card"
            )
        )
        assert card is not None
        order = await factories.create_order(
            s, store, customer, lines=[(variant, 2)], status=status, payment_method=card
        )
        order.shipping_address = {**order.shipping_address, "name": f"{first} {last}",
                                  "line1": line1, "phone": phone}  # fmt: skip
        order.note = f"Leave with {first} {last}, call {phone}"
        s.add(
            OrderReturn(
                store_id=store.id,
                order_id=order.id,
                status="requested",
                items=[{"line_id": 0, "quantity": 1}],
                refund_amount=4500,
                refund_method_label="Visa ending 4242",
                refunds=[{"payment_method_id": card.id, "method_kind": "card",
                          "method_label": "Visa ending 4242", "amount": 4500}],
                reason=f"{first} says it is too small",
            )
        )  # fmt: skip
        guest = Order(
            store_id=store.id,
            number=factories.unique("#G"),
            email=email.upper(),
            status="delivered",
            currency=store.currency,
            subtotal=4500,
            total=4500,
            shipping_address={"name": f"{first} {last}", "line1": line1, "city": "Leeds",
                              "country": "GB"},
            placed_at=utcnow() - dt.timedelta(days=40),
        )  # fmt: skip
        s.add(guest)
        await s.flush()
        s.add(
            PaymentTransaction(
                store_id=store.id, order_id=guest.id, kind="payment", amount=4500,
                currency=store.currency, method_kind="paypal", method_label="PayPal",
                reason=f"paid by {email}",
            )
        )  # fmt: skip
        conversation = Conversation(
            store_id=store.id,
            public_id=factories.unique("conv_test"),
            token_digest="0" * 64,
            actor_kind="shopper",
            customer_id=customer.id,
            verified_via="token",
            channel="widget",
            state={"preferences": {"sizes": {"shirts": "M"}}},
            cart=[],
        )
        s.add(conversation)
        await s.flush()
        s.add_all(
            [
                Message(store_id=store.id, conversation_id=conversation.id, role="user",
                        text=f"Hi, I'm {first} {last}, where is my order?"),
                Message(store_id=store.id, conversation_id=conversation.id, role="assistant",
                        text="It was delivered yesterday."),
                Handoff(store_id=store.id, conversation_id=conversation.id, reason="requested",
                        summary=f"{first} {last} asks for a person",
                        transcript=[{"role": "user", "text": f"I'm {first} {last}"}]),
                OutboxMail(store_id=store.id, to_address=email, subject="Your code",
                           body=f"Hello {first}", purpose="verification"),
                ImportedInteraction(store_id=store.id, customer_ref=email, customer_id=None,
                                    item_ref="SKU-1", product_id=product.id,
                                    occurred_at=utcnow() - dt.timedelta(days=100), kind="purchase",
                                    quantity=1, fingerprint=factories.unique("fp-")),
                ImportedInteraction(store_id=store.id, customer_ref=customer.external_id,
                                    customer_id=customer.id, item_ref="SKU-1",
                                    product_id=product.id,
                                    occurred_at=utcnow() - dt.timedelta(days=90), kind="view",
                                    quantity=1, fingerprint=factories.unique("fp-")),
                Delivery(store_id=store.id, target="webhook:1", event_type="order.cancel",
                         event_id=factories.unique("ev-"),
                         payload={"order": {"email": email, "name": f"{first} {last}"}},
                         status="delivered"),
                DeadLetter(store_id=store.id, origin="shopify", topic="customers/update",
                           external_id=customer.external_id,
                           payload={"email": email, "phone": phone}, error="bad phone"),
                SyncRun(store_id=store.id, source="shopify", kind="incremental",
                        resource="customers", status="partial",
                        errors=[{"external_id": "9", "reason": f"{email} is taken"}]),
            ]
        )  # fmt: skip
        await s.flush()
        session_id = factories.unique("sess-")
        now = utcnow()
        await events_service.ingest(
            s,
            system,
            events=[
                {"id": factories.unique("e-"), "type": "view", "timestamp": now,
                 "session_id": session_id, "product_id": product.id},
                {"id": factories.unique("e-"), "type": "search", "timestamp": now,
                 "session_id": session_id, "query": "linen shirt"},
                {"id": factories.unique("e-"), "type": "identify", "timestamp": now,
                 "session_id": session_id, "customer_id": customer.id},
                {"id": factories.unique("e-"), "type": "add_to_cart", "timestamp": now,
                 "customer_id": customer.id, "product_id": product.id, "quantity": 1},
            ],
        )  # fmt: skip
        await customers_service.update_default_address(
            s,
            system,
            customer_id=customer.id,
            address=AddressInput(name=f"{first} {last}", line1=f"9 {last} Court", city="York",
                                 postal_code="YO1 7HH", country="GB", phone=phone),
            idempotency_key=factories.unique("addr-"),
        )  # fmt: skip
        return Person(
            store_id=store.id,
            customer_id=customer.id,
            email=email,
            first_name=first,
            last_name=last,
            phone=phone,
            line1=line1,
            order_ids=[order.id],
            guest_order_id=guest.id,
            conversation=conversation.public_id,
            session_id=session_id,
            extra={"variant_id": variant.id, "product_id": product.id, "card_id": card.id},
        )


@pytest.fixture
async def person(db: Database, store: Store) -> Person:
    """Zebedee Quillfeather, a customer with data everywhere."""
    return await make_person(db, store, first="Zebedee", last="Quillfeather")


@pytest.fixture
async def neighbour(db: Database, store: Store) -> Person:
    """Another customer of the same store, who must be left untouched."""
    return await make_person(db, store, first="Ottoline", last="Brackenbury")


def _searchable(column: Any) -> bool:
    return isinstance(column.type, (*ENCRYPTED_TYPES, String, Text, JSON))


async def find_pii(db: Database, store_id: int, needles: list[str]) -> list[str]:
    """Every (table.column, row id) of the store whose text or JSON contains a needle, read
    through the column types (so encrypted values are checked decrypted)."""
    wanted = [n.lower() for n in needles]
    found: list[str] = []
    async with db.reading() as s:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if _searchable(c)]
            if not columns:
                continue
            key = table.c.get("store_id")
            if key is None:
                key = table.c.id if table.name == "stores" else None
            if key is None:
                continue
            pk = table.c.get("id")
            selected = [pk, *columns] if pk is not None else columns
            rows = await s.execute(select(*selected).where(key == store_id))
            for row in rows:
                values = row[1:] if pk is not None else row
                for column, value in zip(columns, values, strict=True):
                    if value is None:
                        continue
                    text = value if isinstance(value, str) else json.dumps(value)
                    text = text.lower()
                    if any(n in text for n in wanted):
                        found.append(
                            f"{table.name}.{column.name}#{row[0] if pk is not None else ''}"
                        )
    return sorted(found)


async def row_counts(db: Database, store_id: int) -> dict[str, int]:
    """Rows per table of a store (tables with store_id)."""
    from sqlalchemy import func

    counts: dict[str, int] = {}
    async with db.reading() as s:
        for table in metadata.sorted_tables:
            if "store_id" in table.c:
                counts[table.name] = int(
                    (
                        await s.execute(
                            select(func.count())
                            .select_from(table)
                            .where(table.c.store_id == store_id)
                        )
                    ).scalar_one()
                )
    return counts
