"""Planning a customer upsert: the customer's fields, addresses and payment methods.

Pure functions over the rows loaded for a chunk; nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from floorwalker.customers.errors import AddressNotFound, PaymentMethodNotFound
from floorwalker.customers.schemas import AddressInput, CustomerUpsert, PaymentMethodInput
from floorwalker.kit.clock import utcnow
from floorwalker.kit.upsert import Row

_ADDRESS_FIELDS = ("name", "line1", "line2", "city", "region", "postal_code", "country", "phone")
_STORED_VALUE = {"gift_card", "store_credit"}


@dataclass
class Plan:
    """What one customer record will change."""

    index: int
    record: CustomerUpsert
    row: Row | None
    values: dict[str, Any] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    address_inserts: list[dict[str, Any]] = field(default_factory=list)
    address_updates: list[dict[str, Any]] = field(default_factory=list)
    address_deletes: list[int] = field(default_factory=list)
    method_inserts: list[dict[str, Any]] = field(default_factory=list)
    method_updates: list[dict[str, Any]] = field(default_factory=list)
    customer_id: int | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """How the row inserted for this plan is recognised among the returned rows."""
        values = self.values
        if values.get("external_id") is not None:
            return (values["source"], "external_id", values["external_id"])
        return (values["source"], "email", values["email"])


def plan_addresses(plan: Plan, existing: list[Row]) -> None:
    """Plan the customer's addresses: the record's list replaces the current one, one default."""
    inputs = plan.record.addresses
    if inputs is None:
        return
    source = plan.record.source
    taken: set[int] = set()
    matched: list[Row | None] = []
    for address in inputs:
        found = _match_address(source, address, existing, taken)
        if found is not None:
            taken.add(found["id"])
        matched.append(found)
    default = next((i for i, a in enumerate(inputs) if a.is_default), None)
    if default is None:
        default = next((i for i, r in enumerate(matched) if r and r["is_default"]), 0)
    now = utcnow()
    for position, (address, row) in enumerate(zip(inputs, matched, strict=True)):
        values: dict[str, Any] = {name: getattr(address, name) for name in _ADDRESS_FIELDS}
        values["is_default"] = position == default
        if address.external_id is not None:
            values.update(source=source, external_id=address.external_id)
        if row is None:
            plan.address_inserts.append(
                {"source": source, "external_id": None, **values, "created_at": now}
            )
            continue
        changed = {k: v for k, v in values.items() if row[k] != v}
        if changed:
            plan.address_updates.append({"id": row["id"], **changed, "updated_at": now})
    plan.address_deletes.extend(r["id"] for r in existing if r["id"] not in taken)
    if plan.row is not None and (
        plan.address_inserts or plan.address_updates or plan.address_deletes
    ):
        plan.changed.append("addresses")


def _match_address(
    source: str, address: AddressInput, existing: list[Row], taken: set[int]
) -> Row | None:
    if address.id is not None:
        found = next((r for r in existing if r["id"] == address.id), None)
        if found is None:
            raise AddressNotFound(address.id)
        return found
    free = [r for r in existing if r["id"] not in taken]
    if address.external_id is not None:
        found = next(
            (r for r in free if (r["source"], r["external_id"]) == (source, address.external_id)),
            None,
        )
        if found is not None:
            return found
    content = tuple(getattr(address, name) for name in _ADDRESS_FIELDS[:7])
    return next((r for r in free if tuple(r[n] for n in _ADDRESS_FIELDS[:7]) == content), None)


def _identity(values: Mapping[str, Any]) -> tuple[Any, ...]:
    kind = values["kind"]
    if kind == "card":
        return (kind, values["brand"], values["last4"], values["exp_month"], values["exp_year"])
    if kind == "paypal":
        return (kind, values["paypal_email"])
    if kind == "gift_card":
        return (kind, values["last4"])
    return (kind, values["currency"])


def plan_methods(plan: Plan, existing: list[Row], currency: str) -> None:
    """Plan the payment methods: the record's list is complete, others are deactivated."""
    inputs = plan.record.payment_methods
    if inputs is None:
        return
    source = plan.record.source
    taken: set[int] = set()
    now = utcnow()
    for method in inputs:
        values = _method_values(method, currency)
        row = _match_method(source, method, values, existing, taken)
        if method.external_id is not None:
            values.update(source=source, external_id=method.external_id)
        if row is None:
            plan.method_inserts.append(
                {"source": source, "external_id": None, **values, "created_at": now}
            )
            continue
        taken.add(row["id"])
        changed = {k: v for k, v in values.items() if row[k] != v}
        if changed:
            plan.method_updates.append({"id": row["id"], **changed, "updated_at": now})
    for row in existing:
        if row["id"] not in taken and row["active"]:
            plan.method_updates.append({"id": row["id"], "active": False, "updated_at": now})
    if plan.row is not None and (plan.method_inserts or plan.method_updates):
        plan.changed.append("payment_methods")


def _method_values(method: PaymentMethodInput, currency: str) -> dict[str, Any]:
    stored_value = method.kind.value in _STORED_VALUE
    return {
        "kind": method.kind.value,
        "brand": method.brand,
        "last4": method.last4,
        "exp_month": method.exp_month,
        "exp_year": method.exp_year,
        "paypal_email": method.paypal_email,
        "balance": method.balance if stored_value else None,
        "currency": method.currency or (currency if stored_value else None),
        "active": True if method.active is None else method.active,
    }


def _match_method(
    source: str,
    method: PaymentMethodInput,
    values: Mapping[str, Any],
    existing: list[Row],
    taken: set[int],
) -> Row | None:
    if method.id is not None:
        found = next((r for r in existing if r["id"] == method.id), None)
        if found is None:
            raise PaymentMethodNotFound(method.id)
        return found
    free = [r for r in existing if r["id"] not in taken]
    if method.external_id is not None:
        found = next(
            (r for r in free if (r["source"], r["external_id"]) == (source, method.external_id)),
            None,
        )
        if found is not None:
            return found
    identity = _identity(values)
    return next((r for r in free if _identity(r) == identity), None)
