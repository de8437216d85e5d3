"""Fixtures of the recommend tests: the fixture shop, trained, and a way to ask for lists."""

from __future__ import annotations

from typing import Any

import pytest

from floorwalker.config import Settings
from floorwalker.kit.actor import Actor
from floorwalker.kit.db import Database
from floorwalker.recommend import jobs
from floorwalker.recommend import service as recommend_service
from floorwalker.recommend.engine.model import Params
from floorwalker.recommend.schemas import RecommendationList, TrainOutcome
from floorwalker.recommend.serving import ModelRegistry
from floorwalker.stores.models import Store
from tests.recommend.shop import Shop, build_shop

#: Fixed settings for tests: defaults for the blend (too little data to learn), a strict rule.
TEST_PARAMS = Params(learn_weights=False, repurchase_threshold=0.3)


@pytest.fixture
def models(settings: Settings) -> ModelRegistry:
    """The process's registry for the test data dir (the live server shares it)."""
    return recommend_service.models_for(settings)


@pytest.fixture
async def shop(db: Database, store: Store) -> Shop:
    """The fixture shop, not yet trained."""
    return await build_shop(db, store)


async def train(db: Database, settings: Settings, shop: Shop, **kwargs: Any) -> TrainOutcome:
    """Train the shop's model as the job does, with the test parameters."""
    return await jobs.train(db, settings, store_id=shop.store.id, params=TEST_PARAMS, **kwargs)


@pytest.fixture
async def trained(db: Database, settings: Settings, shop: Shop) -> Shop:
    """The fixture shop with a trained, served model."""
    outcome = await train(db, settings, shop)
    assert outcome.status == "trained", outcome
    return shop


class Lists:
    """Asks the service for lists as the API would, and names products by short name."""

    def __init__(self, db: Database, models: ModelRegistry, shop: Shop) -> None:
        self.db = db
        self.models = models
        self.shop = shop

    async def get(self, actor: Actor | None = None, **params: Any) -> RecommendationList:
        if "customer" in params:
            params["customer_id"] = self.shop.customers[params.pop("customer")]
        if "product" in params:
            params["product_id"] = self.shop.products[params.pop("product")]
        if "cart_of" in params:
            params["cart"] = [self.shop.products[n] for n in params.pop("cart_of")]
        async with self.db.reading() as session:
            return await recommend_service.recommend(
                session, actor or Actor.system(self.shop.store.id), models=self.models, **params
            )

    async def names(self, actor: Actor | None = None, **params: Any) -> list[str]:
        result = await self.get(actor, **params)
        return self.shop.names([item.product_id for item in result.items])


@pytest.fixture
def lists(db: Database, models: ModelRegistry, shop: Shop) -> Lists:
    """Ask for lists in the fixture shop."""
    return Lists(db, models, shop)
