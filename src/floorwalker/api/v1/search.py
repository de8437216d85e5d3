"""Product search over the caller's store, its synonym rules and its index."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, Query, Request, Response

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
from floorwalker.kit.actor import Actor
from floorwalker.logging import get_logger
from floorwalker.search import service as search_service
from floorwalker.search.schemas import (
    IndexStatus,
    ParsedQuery,
    SearchRequest,
    SearchResponse,
    Sort,
    SynonymRule,
    SynonymRuleCreate,
    SynonymRuleUpdate,
)

log = get_logger(__name__)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    registry = search_service.SearchRegistry(app.state.db, app.state.settings)
    app.state.search = registry
    await registry.start()
    try:
        yield
    finally:
        await registry.stop()


router = APIRouter(tags=["search"], lifespan=_lifespan)


def get_registry(request: Request) -> search_service.SearchRegistry:
    """This worker's search indexes."""
    registry: search_service.SearchRegistry | None = getattr(request.app.state, "search", None)
    if registry is None:
        # An app served without its lifespan (some test clients): index on demand, no polling.
        registry = search_service.SearchRegistry(get_database(request), get_settings(request))
        request.app.state.search = registry
    return registry


RegistryDep = Annotated[search_service.SearchRegistry, Depends(get_registry)]


def _options(raw: list[str]) -> dict[str, list[str]]:
    options: dict[str, list[str]] = {}
    for item in raw:
        name, sep, value = item.partition(":")
        if not sep or not name.strip() or not value.strip():
            raise Invalid(
                f"option filters are written name:value, e.g. size:M (got {item!r}).",
                code="invalid_option_filter",
            )
        options.setdefault(name.strip(), []).append(value.strip())
    return options


async def _log(
    request: Request, actor: Actor, response: SearchResponse, session_id: str | None
) -> None:
    # After the response is sent: logging must never slow down or fail a search.
    try:
        async with get_database(request).transaction() as session:
            await search_service.log_search(
                session, actor, response=response, session_id=session_id
            )
    except Exception:
        log.exception("could not log a search event", store_id=actor.store_id)


@router.get("/search", response_model=SearchResponse)
async def search(
    request: Request,
    actor: StorefrontActor,
    registry: RegistryDep,
    background: BackgroundTasks,
    q: Annotated[str, Query(max_length=500, description="What the shopper typed.")] = "",
    category: Annotated[list[str], Query(description="Category id or slug (any of).")] = [],  # noqa: B006
    brand: Annotated[list[str], Query(description="Brand name (any of).")] = [],  # noqa: B006
    price_min: Annotated[int | None, Query(ge=0, description="Minor units.")] = None,
    price_max: Annotated[int | None, Query(ge=0, description="Minor units.")] = None,
    option: Annotated[
        list[str], Query(description="Option value as name:value, e.g. size:M (repeatable).")
    ] = [],  # noqa: B006
    in_stock: bool = False,
    sort: Sort | None = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    facets: bool = True,
    parse: Annotated[bool, Query(description="Read filters out of the words.")] = True,
    relax: Annotated[bool, Query(description="Loosen the query when nothing matches.")] = True,
    session_id: Annotated[
        str | None, Query(max_length=100, description="The shopper's session, for analytics.")
    ] = None,
) -> SearchResponse:
    """Search the store's products: ranked hits, facets, the parsed query, what was relaxed."""
    if price_min is not None and price_max is not None and price_min > price_max:
        raise Invalid("price_min is above price_max.", code="invalid_price_range")
    body = SearchRequest(
        q=q,
        categories=category,
        brands=brand,
        price_min=price_min,
        price_max=price_max,
        options=_options(option),
        in_stock=in_stock,
        sort=sort,
        page=page,
        limit=limit,
        facets=facets,
        parse=parse,
        relax=relax,
    )
    response = await search_service.search(registry, actor, request=body)
    background.add_task(_log, request, actor, response, session_id)
    return response


@router.get("/search/parse", response_model=ParsedQuery)
async def parse(
    actor: StorefrontActor,
    registry: RegistryDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
) -> ParsedQuery:
    """Read a query into filters and free text, as search does, without searching."""
    return await search_service.parse_text(registry, actor, text=q)


@router.get("/search/status", response_model=IndexStatus)
async def status(actor: ReadActor, registry: RegistryDep) -> IndexStatus:
    """The store's index in the worker that answers: documents, changes, when built."""
    return search_service.index_status(registry, actor)


@router.post("/search/reindex", status_code=202)
async def reindex(
    actor: AdminActor, session: SessionDep, registry: RegistryDep, background: BackgroundTasks
) -> dict[str, str]:
    """Ask every worker to rebuild the store's index from the database."""
    requested = await search_service.request_reindex(session, actor)
    background.add_task(registry.refresh_now, actor.store_id)
    return {"requested_at": requested.isoformat()}


@router.get("/search/synonyms", response_model=list[SynonymRule])
async def list_synonyms(actor: ReadActor, session: SessionDep) -> list[SynonymRule]:
    """The store's synonym rules, oldest first."""
    rules = await search_service.list_synonyms(session, actor)
    return [SynonymRule.model_validate(r) for r in rules]


@router.post("/search/synonyms", response_model=SynonymRule, status_code=201)
async def create_synonym(
    data: SynonymRuleCreate,
    actor: WriteActor,
    session: SessionDep,
    registry: RegistryDep,
    background: BackgroundTasks,
) -> SynonymRule:
    """Add a synonym rule; searches use it within seconds."""
    rule = await search_service.create_synonym(session, actor, data=data)
    background.add_task(registry.refresh_now, actor.store_id)
    return SynonymRule.model_validate(rule)


@router.put("/search/synonyms/{rule_id}", response_model=SynonymRule)
async def update_synonym(
    rule_id: IdPath,
    data: SynonymRuleUpdate,
    actor: WriteActor,
    session: SessionDep,
    registry: RegistryDep,
    background: BackgroundTasks,
) -> SynonymRule:
    """Replace a synonym rule's terms and direction."""
    rule = await search_service.update_synonym(session, actor, rule_id=rule_id, data=data)
    background.add_task(registry.refresh_now, actor.store_id)
    return SynonymRule.model_validate(rule)


@router.delete("/search/synonyms/{rule_id}", status_code=204)
async def delete_synonym(
    rule_id: IdPath,
    actor: WriteActor,
    session: SessionDep,
    registry: RegistryDep,
    background: BackgroundTasks,
) -> Response:
    """Delete a synonym rule."""
    await search_service.delete_synonym(session, actor, rule_id=rule_id)
    background.add_task(registry.refresh_now, actor.store_id)
    return Response(status_code=204)
