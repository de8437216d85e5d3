"""Every assistant tool, called for store A's customer with ids of store B or of another
customer, returns nothing of theirs and changes nothing.

The tools are taken from the registry, and their arguments are made from the argument models'
field names: a new tool is covered the day it is registered (and a new required argument with
no value below fails the test until one is added).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from floorwalker.assistant.engine.persistence import prepare
from floorwalker.assistant.runtime import Runtime
from floorwalker.assistant.scenarios.fixtures import FixtureStore, build_store
from floorwalker.assistant.tools import ALL_TOOLS, build_registry
from floorwalker.assistant.tools.base import Tool, ToolRun
from floorwalker.config import Settings
from floorwalker.kit.db import Database
from tests.assistant.conftest import Chat
from tests.security.snapshot import changed_tables, snapshot

#: Bookkeeping of the calling conversation itself (its cart, state, verification attempts, a
#: handoff it asked for); everything else of either store must stay as it was.
OWN_CONVERSATION_TABLES = (
    "audit_entries",
    "conversations",
    "shopper_verifications",
    "mail_outbox",
    "handoffs",
    "deliveries",
)
#: What only the victim customer (bob, same store) has.
VICTIM_MARKERS = (
    "bob@example.com",
    "Bob",
    "Hill",
    "Market Street",
    "LS1 6DT",
    "mastercard",
    "W2001",
    "W2002",
    "1Z999AA10123452002",
)
ID_KEYS = ("product_id", "variant_id", "order_id", "customer_id", "line_id")


@dataclass
class Stores:
    runtime: Runtime
    a: FixtureStore
    b: FixtureStore

    @property
    def b_ids(self) -> set[tuple[str, int]]:
        """Store B's rows as (id key, id): ids are unique within a table, not across."""
        return {
            *(("product_id", i) for i in self.b.products.values()),
            *(("variant_id", i) for i in self.b.variants.values()),
            *(("customer_id", i) for i in self.b.customers.values()),
            *(("order_id", i) for i in self.b.orders.values()),
        }


@pytest.fixture(scope="module")
async def stores(db: Database, settings: Settings) -> AsyncIterator[Stores]:
    runtime = Runtime.build(db, settings)
    a = await build_store(db, runtime.identity_crypto)
    b = await build_store(db, runtime.identity_crypto)
    yield Stores(runtime, a, b)
    await runtime.close()


def hostile_values(stores: Stores) -> dict[str, list[Any]]:
    """Values of store B, or of customer bob, by argument name."""
    b = stores.b
    products = list(b.products.values())
    return {
        "product_id": products[:3],
        "variant_id": list(b.variants.values())[:3],
        "product_ids": [products[:2], [stores.a.products["linen-shirt"], products[0]]],
        "order_number": ["W2001", "W2002", "#W2001", "w2002"],
        "email": ["bob@example.com"],
        "payment_method": ["mastercard 1111", "card ending 1111"],
        "code": ["000000"],
        "query": ["Bob Hill orders", f"product {products[0]}"],
    }


#: Values for the other required arguments: harmless in themselves.
BENIGN: dict[str, Any] = {
    "order_number": "W1001",
    "reason": "no longer needed",
    "address": "7 Elm Road, Bath BA1 1AA, GB",
    "payment_method": "visa 4242",
    "changes": [{"item": "1", "new_options": "size L"}],
    "email": "ada@example.com",
    "code": "123456",
    "query": "shirt",
}
#: Fields a model could try to smuggle in to act as someone else.
SMUGGLED = {"customer_id": 0, "store_id": 0, "customer_email": "bob@example.com"}


def calls_for(tool: Tool, stores: Stores) -> list[dict[str, Any]]:
    """The hostile argument sets for one tool."""
    hostile = hostile_values(stores)
    fields = tool.args.model_fields
    base: dict[str, Any] = {}
    for name, info in fields.items():
        if info.is_required():
            assert name in BENIGN or name in hostile, (
                f"{tool.name}.{name}: add a value to BENIGN or hostile_values"
            )
            base[name] = BENIGN.get(name, (hostile.get(name) or [None])[0])
    calls = [{**base, name: value} for name in fields if name in hostile for value in hostile[name]]
    smuggled = {
        **base,
        **{k: stores.b.customers["bob"] if k == "customer_id" else v for k, v in SMUGGLED.items()},
    }
    smuggled["store_id"] = stores.b.store_id
    return [*calls, smuggled]


def foreign_ids(node: Any, found: set[tuple[str, int]] | None = None) -> set[tuple[str, int]]:
    """Every (id key, id) in a tool's output."""
    found = set() if found is None else found
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ID_KEYS and isinstance(value, int):
                found.add((key, value))
            elif key == "product_ids" and isinstance(value, list):
                found.update(("product_id", v) for v in value if isinstance(v, int))
            else:
                foreign_ids(value, found)
    elif isinstance(node, list):
        for item in node:
            foreign_ids(item, found)
    return found


def leaks(run: ToolRun, arguments: dict[str, Any], stores: Stores) -> list[str]:
    """What of store B or of bob the call's output shows (echoes of the arguments aside)."""
    output = {"result": run.result, "cards": run.cards, "proposal": run.proposal}
    text = json.dumps(output, default=str)
    typed = json.dumps(arguments)
    problems = [
        f"marker {m!r}" for m in VICTIM_MARKERS if m in text and m.lower() not in typed.lower()
    ]
    ids = foreign_ids(output) & stores.b_ids
    ids -= foreign_ids(arguments)
    return [*problems, *(f"store B {key} {i}" for key, i in sorted(ids))]


def test_every_registered_tool_is_covered(stores: Stores) -> None:
    assert {t.name for t in ALL_TOOLS} == set(build_registry().tools)
    assert all(calls_for(tool, stores) for tool in ALL_TOOLS)


@pytest.mark.parametrize("tool", ALL_TOOLS, ids=lambda t: t.name)
async def test_a_tool_bound_to_store_a_and_ada_yields_nothing_of_b_or_bob(
    stores: Stores, db: Database, tool: Tool
) -> None:
    registry = build_registry()
    outcomes: list[tuple[dict[str, Any], ToolRun, list[str], list[str]]] = []
    chat = await Chat(stores.runtime, stores.a).start("ada")
    for arguments in calls_for(tool, stores):
        prepared = await prepare(
            stores.runtime, store_id=stores.a.store_id, public_id=chat.public_id, text="hi"
        )
        before = await snapshot(db, (stores.a.store_id, stores.b.store_id))

        run = await registry.run(
            prepared.ctx, call_id="c1", name=tool.name, arguments=json.dumps(arguments)
        )

        after = await snapshot(db, (stores.a.store_id, stores.b.store_id))
        changed = [
            key
            for key in changed_tables(before, after)
            if key.split(":")[0] not in OWN_CONVERSATION_TABLES
            or key.endswith(f":{stores.b.store_id}")
        ]
        outcomes.append((arguments, run, leaks(run, arguments, stores), changed))

    assert [(args, lk, ch) for args, _run, lk, ch in outcomes if lk or ch] == []
    smuggled = outcomes[-1][1]
    assert smuggled.error == "invalid_arguments"
    assert {p["field"] for p in smuggled.result["problems"]} == set(SMUGGLED)
    # Orders and changes of someone else are refused, never proposed.
    assert all(run.proposal is None for _args, run, _lk, _ch in outcomes)


async def test_the_oracle_sees_bobs_orders_when_bob_asks(stores: Stores) -> None:
    chat = await Chat(stores.runtime, stores.a).start("bob")
    prepared = await prepare(
        stores.runtime, store_id=stores.a.store_id, public_id=chat.public_id, text="hi"
    )

    run = await build_registry().run(prepared.ctx, call_id="c1", name="list_orders", arguments="{}")

    assert run.ok
    assert "marker 'W2002'" in leaks(run, {}, stores)
