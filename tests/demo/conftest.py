"""A full-size demo store, generated once per test worker into the test database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from floorwalker.demo.build import build_plan
from floorwalker.demo.generator import record, write_plan
from floorwalker.demo.plan import Plan
from floorwalker.kit.clock import utcnow
from tests import factories


@dataclass(frozen=True)
class DemoStore:
    """A generated store: its id, the plan it was written from and its anchor time."""

    store_id: int
    plan: Plan
    anchor: dt.datetime


@pytest.fixture(scope="package")
def demo(database_url: str) -> DemoStore:
    """The full-size demo store (seed 42), its history ending at the start of today (UTC)."""
    anchor = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    plan = build_plan(seed=42, scale=1.0, now=anchor, slug=factories.unique("demo-full-"))
    store_id = write_plan(database_url, plan, record=record(seed=42, scale=1.0, now=anchor))
    return DemoStore(store_id, plan, anchor)
