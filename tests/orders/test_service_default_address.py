"""Changing a customer's default address (customers.service.update_default_address)."""

from __future__ import annotations

from sqlalchemy import select

from floorwalker.customers import service as customers_service
from floorwalker.customers.models import Address
from floorwalker.kit.db import Database
from floorwalker.orders.schemas import AddressInput
from tests.orders.shop import Shop, place_order, reload
from tests.orders.test_service_modify import LEEDS, refused


async def addresses(db: Database, shop: Shop) -> list[tuple[str, bool]]:
    """(line 1, is default) of the customer's addresses, oldest first."""
    async with db.reading() as s:
        rows = await s.scalars(
            select(Address).where(Address.customer_id == shop.customer.id).order_by(Address.id)
        )
        return [(a.line1, a.is_default) for a in rows]


class TestUpdateDefaultAddress:
    async def test_a_new_address_becomes_the_only_default(self, db: Database, shop: Shop) -> None:
        order = await place_order(db, shop, lines=[(shop.m_blue, 1)])

        async with db.transaction() as s:
            plan = await customers_service.update_default_address(
                s, shop.shopper, customer_id=shop.customer.id, address=LEEDS
            )

        assert plan.executed is True
        assert plan.reuses_saved_address is False
        assert plan.address_before is not None
        assert plan.address_before["line1"] == "12 St James's Square"
        assert plan.address_after["line1"] == "1 Park Row"
        assert plan.summary == (
            "Make 1 Park Row, Leeds LS1 5HD, GB the default address instead of "
            "12 St James's Square, London SW1Y 4JH, GB; orders already placed keep their address."
        )
        assert await addresses(db, shop) == [("12 St James's Square", False), ("1 Park Row", True)]
        assert (await reload(db, order)).shipping_address["line1"] == "12 St James's Square"

    async def test_a_saved_address_is_reused_not_copied(self, db: Database, shop: Shop) -> None:
        async with db.transaction() as s:
            await customers_service.update_default_address(
                s, shop.shopper, customer_id=shop.customer.id, address=LEEDS
            )
        same_as_first = AddressInput(
            name="Ada Lovelace",
            line1="12 St James's Square",
            city="London",
            postal_code="SW1Y 4JH",
            country="GB",
        )

        async with db.transaction() as s:
            plan = await customers_service.update_default_address(
                s, shop.staff, customer_id=shop.customer.id, address=same_as_first
            )

        assert plan.reuses_saved_address is True
        assert await addresses(db, shop) == [("12 St James's Square", True), ("1 Park Row", False)]

    async def test_the_current_default_is_nothing_to_change(self, db: Database, shop: Shop) -> None:
        async with db.reading() as s:
            current = await s.scalar(
                select(Address.id).where(
                    Address.customer_id == shop.customer.id, Address.is_default.is_(True)
                )
            )

        await refused(
            db,
            shop,
            lambda s: customers_service.update_default_address(
                s, shop.shopper, customer_id=shop.customer.id, address_id=current
            ),
            "nothing_to_change",
        )

    async def test_another_customer_is_not_found_for_a_shopper(
        self, db: Database, shop: Shop
    ) -> None:
        await refused(
            db,
            shop,
            lambda s: customers_service.update_default_address(
                s, shop.stranger, customer_id=shop.customer.id, address=LEEDS
            ),
            "customer_not_found",
        )

    async def test_the_preview_writes_nothing_and_a_retry_with_the_key_adds_one_address(
        self, db: Database, shop: Shop
    ) -> None:
        async with db.transaction() as s:
            preview = await customers_service.plan_update_default_address(
                s, shop.shopper, customer_id=shop.customer.id, address=LEEDS
            )
        assert preview.executed is False
        assert len(await addresses(db, shop)) == 1

        results = []
        for _ in range(2):
            async with db.transaction() as s:
                results.append(
                    await customers_service.update_default_address(
                        s,
                        shop.shopper,
                        customer_id=shop.customer.id,
                        address=LEEDS,
                        idempotency_key="addr-1",
                    )
                )

        assert results[0] == results[1]
        assert await addresses(db, shop) == [("12 St James's Square", False), ("1 Park Row", True)]
