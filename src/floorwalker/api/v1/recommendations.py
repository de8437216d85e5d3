"""Recommendations for every surface, the store's pins and blocks, and its trained models."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from floorwalker.api.deps import (
    AdminActor,
    ReadActor,
    SessionDep,
    StorefrontActor,
    WriteActor,
    get_database,
    get_settings,
)
from floorwalker.api.params import IdPath
from floorwalker.errors import Invalid
from floorwalker.logging import get_logger
from floorwalker.recommend import jobs
from floorwalker.recommend import service as recommend_service
from floorwalker.recommend.schemas import (
    MAX_ID,
    ModelStatus,
    RecommendationList,
    Rule,
    RuleCreate,
    Surface,
)
from floorwalker.recommend.serving import ModelRegistry

log = get_logger(__name__)


router = APIRouter(tags=["recommendations"])


def get_models(request: Request) -> ModelRegistry:
    """The recommender models this worker serves."""
    return recommend_service.models_for(get_settings(request))


ModelsDep = Annotated[ModelRegistry, Depends(get_models)]


def _cart(raw: str | None) -> list[int]:
    if not raw:
        return []
    try:
        ids = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError as exc:
        raise Invalid(
            "cart is a comma-separated list of product ids, e.g. 12,15.", code="invalid_cart"
        ) from exc
    if len(ids) > 100 or any(not 0 < i <= MAX_ID for i in ids):
        raise Invalid("cart takes at most 100 positive product ids.", code="invalid_cart")
    return ids


@router.get("/recommendations", response_model=RecommendationList)
async def recommendations(
    actor: StorefrontActor,
    session: SessionDep,
    models: ModelsDep,
    surface: Annotated[Surface, Query(description="Where the list is shown.")],
    customer_id: Annotated[
        int | None,
        Query(gt=0, le=MAX_ID, description="For-you/chat for this customer (read keys only)."),
    ] = None,
    session_id: Annotated[
        str | None, Query(min_length=1, max_length=100, description="The shopper's session.")
    ] = None,
    product_id: Annotated[
        int | None,
        Query(gt=0, le=MAX_ID, description="The product page (similar, bought_together)."),
    ] = None,
    cart: Annotated[
        str | None, Query(max_length=2000, description="Cart product ids, comma-separated.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=recommend_service.MAX_LIMIT)] = 10,
    discovery: Annotated[
        bool, Query(description="Only products the shopper has not bought before.")
    ] = False,
) -> RecommendationList:
    """Recommend in-stock products for a surface, each with the reason it was chosen.

    A widget (publishable) key may ask with a session id or for non-personal lists; naming a
    customer needs a read key. Without the customer's personalisation consent the list is
    non-personal.
    """
    return await recommend_service.recommend(
        session,
        actor,
        models=models,
        surface=surface,
        customer_id=customer_id,
        session_id=session_id,
        product_id=product_id,
        cart=_cart(cart),
        discovery=discovery,
        limit=limit,
    )


@router.get("/recommendations/rules", response_model=list[Rule])
async def list_rules(
    actor: ReadActor, session: SessionDep, surface: str | None = None
) -> list[Rule]:
    """List the store's pinned and blocked products (those applying to `surface`, if given)."""
    rules = await recommend_service.list_rules(session, actor, surface=surface)
    return [Rule.model_validate(r) for r in rules]


@router.post("/recommendations/rules", response_model=Rule, status_code=201)
async def create_rule(data: RuleCreate, actor: WriteActor, session: SessionDep) -> Rule:
    """Pin a product (shown first) or block it (never shown) on a surface or on all."""
    return Rule.model_validate(await recommend_service.create_rule(session, actor, data=data))


@router.delete("/recommendations/rules/{rule_id}", response_model=Rule)
async def delete_rule(rule_id: IdPath, actor: WriteActor, session: SessionDep) -> Rule:
    """Remove a pin or block."""
    return Rule.model_validate(await recommend_service.delete_rule(session, actor, rule_id=rule_id))


@router.get("/recommendations/models", response_model=ModelStatus)
async def model_status(actor: ReadActor, models: ModelsDep) -> ModelStatus:
    """Show the store's trained recommender versions and the one this worker serves."""
    await models.get(actor.store_id)
    return recommend_service.model_status(actor, models=models)


@router.post("/recommendations/models/train", status_code=202)
async def train_now(request: Request, actor: AdminActor, models: ModelsDep) -> dict[str, str]:
    """Start training a new version now (in the background); poll the models to see it."""
    db = get_database(request)
    settings = get_settings(request)

    async def run() -> None:
        try:
            await jobs.train(db, settings, store_id=actor.store_id, force=True, models=models)
        except Exception:
            log.exception("recommender training failed", store_id=actor.store_id)

    task = asyncio.create_task(run(), name=f"{jobs.JOB_NAME}:{actor.store_id}")
    # keep a reference until it finishes, or the task may be garbage-collected mid-run
    running: set[asyncio.Task[None]] | None = getattr(
        request.app.state, "recommend_trainings", None
    )
    if running is None:
        running = request.app.state.recommend_trainings = set()
    running.add(task)
    task.add_done_callback(running.discard)
    return {"status": "started", "job": jobs.JOB_NAME}
