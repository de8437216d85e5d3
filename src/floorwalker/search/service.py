"""Rules of the search context: search a store's catalog, parse queries, manage synonyms.

Searching needs no database session: it reads the worker's in-memory index of the actor's
store (`SearchRegistry`). Synonym rules and reindex requests are rows, changed through a
session the caller commits; every worker picks them up within a refresh interval.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from floorwalker.audit import service as audit_service
from floorwalker.events import service as events_service
from floorwalker.events.schemas import EventIn, EventType
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.logging import get_logger
from floorwalker.search import evaluation, results
from floorwalker.search.dense import EmbeddingsUnavailable
from floorwalker.search.engine.executor import EngineResult, execute
from floorwalker.search.engine.store_index import StoreIndex
from floorwalker.search.errors import SynonymRuleNotFound
from floorwalker.search.models import SearchState, SynonymRule
from floorwalker.search.parser import parse_query as _parse_query
from floorwalker.search.planner import Plan, compile_plan, make_plan, relaxations
from floorwalker.search.registry import SearchRegistry
from floorwalker.search.repository import SearchRepository
from floorwalker.search.schemas import (
    IndexStatus,
    ParsedQuery,
    Relaxation,
    SearchRequest,
    SearchResponse,
    SynonymRuleCreate,
    SynonymRuleUpdate,
)

__all__ = [
    "SearchRegistry",
    "create_synonym",
    "delete_synonym",
    "evaluate",
    "index_status",
    "list_synonyms",
    "log_search",
    "parse_query",
    "parse_text",
    "request_reindex",
    "search",
    "update_synonym",
]

log = get_logger(__name__)


def parse_query(store_index: StoreIndex, text: str) -> ParsedQuery:
    """Read a shopper's words into filters and free text, in the store's own vocabulary."""
    return _parse_query(store_index, text)


async def parse_text(registry: SearchRegistry, actor: Actor, *, text: str) -> ParsedQuery:
    """Parse text against the actor's store (loads the store's index if needed)."""
    return _parse_query(await registry.index_for(actor.store_id), text)


async def search(
    registry: SearchRegistry, actor: Actor, *, request: SearchRequest, semantic: bool = True
) -> SearchResponse:
    """Search the actor's store; when nothing matches, relax what was read from the words."""
    index = await registry.index_for(actor.store_id)
    parsed = _parse_query(index, request.q) if request.parse and request.q.strip() else None
    plan = make_plan(request, parsed, index)
    vector = None
    embedder = registry.embedder
    if semantic and embedder is not None and request.q.strip() and _has_vectors(index):
        try:
            vector = await embedder.embed_query(request.q)
        except EmbeddingsUnavailable as exc:
            log.warning("query embedding failed; keyword ranking only", error=str(exc))
    offset = (request.page - 1) * request.limit

    def run(p: Plan, *, facets: bool, count_only: bool = False) -> EngineResult:
        limit = 0 if count_only else request.limit
        query = compile_plan(p, index, limit=limit, offset=offset, facets=facets)
        if vector is not None:
            query = dataclasses.replace(query, vector=vector)
        return execute(index, query)

    result = run(plan, facets=request.facets)
    relaxed: list[Relaxation] = []
    if result.total == 0 and request.relax:
        for looser, step in relaxations(plan):
            relaxed.append(step)
            # Facets are counted only for the attempt that finds something.
            if run(looser, facets=False, count_only=True).total:
                plan = looser
                result = run(looser, facets=request.facets)
                break
    final = compile_plan(plan, index, limit=request.limit, offset=offset, facets=False)
    return SearchResponse(
        query=request.q,
        total=result.total,
        page=request.page,
        limit=request.limit,
        pages=math.ceil(result.total / request.limit),
        sort=plan.sort,
        hits=[results.to_hit(hit, index) for hit in result.hits],
        facets=results.facets(result.facets, index, final.filters) if result.facets else [],
        parsed=parsed,
        relaxed=relaxed if result.total else [],
        note=" ".join(r.detail for r in relaxed) if relaxed and result.total else None,
        semantic=vector is not None,
    )


def _has_vectors(index: StoreIndex) -> bool:
    return any(seg.vectors is not None for seg, _ in index.segments)


async def log_search(
    session: AsyncSession,
    actor: Actor,
    *,
    response: SearchResponse,
    session_id: str | None = None,
) -> None:
    """Record a search as a `search` event with its result count (zero results matter).

    Without the shopper's session id the search is filed under the caller's own session
    (`api_key:12`), so server-side searches still count towards zero-result reports. Browsing
    without a query (filters or a category only) is not a search and is not recorded.
    """
    if not response.query.strip():
        return
    event = EventIn(
        id=f"search-{uuid.uuid4().hex}",
        type=EventType.SEARCH,
        timestamp=utcnow(),
        customer_id=actor.customer_id,
        session_id=session_id or (None if actor.customer_id else actor.label[:100]),
        query=response.query[:500] or None,
        properties={
            "results": response.total,
            "page": response.page,
            "relaxed": [r.step for r in response.relaxed],
            "top_product_ids": [h.product_id for h in response.hits[:10]],
        },
    )
    await events_service.ingest(session, actor, events=[event])


def index_status(registry: SearchRegistry, actor: Actor) -> IndexStatus:
    """What this worker holds in memory for the actor's store."""
    index = registry.loaded(actor.store_id)
    return IndexStatus(
        store_id=actor.store_id,
        documents=index.size if index else 0,
        delta_documents=index.delta_size if index else 0,
        built_at=index.built_at if index else None,
        refreshed_at=index.refreshed_at if index else None,
        semantic=bool(index and _has_vectors(index)),
    )


async def evaluate(
    registry: SearchRegistry, actor: Actor, *, judgments: Sequence[evaluation.Judgment]
) -> evaluation.Report:
    """NDCG@10, MRR and recall@50 of the store's search against relevance judgments."""
    index = await registry.index_for(actor.store_id)
    by_handle = {doc.handle: doc.id for doc in index.documents()}
    resolved = [
        evaluation.Judgment(j.query, by_handle.get(j.product, j.product), j.grade)
        if isinstance(j.product, str)
        else j
        for j in judgments
    ]
    rankings: dict[str, list[int | str]] = {}
    for query in dict.fromkeys(j.query for j in resolved):
        request = SearchRequest(q=query, limit=evaluation.RECALL_AT, facets=False)
        response = await search(registry, actor, request=request)
        rankings[query] = [hit.product_id for hit in response.hits]
    return evaluation.evaluate(resolved, lambda query: rankings[query])


# ---------------------------------------------------------------- synonyms and reindexing


async def list_synonyms(session: AsyncSession, actor: Actor) -> Sequence[SynonymRule]:
    """The store's synonym rules, oldest first."""
    return await SearchRepository(session, actor.store_id).list_rules()


async def create_synonym(
    session: AsyncSession, actor: Actor, *, data: SynonymRuleCreate
) -> SynonymRule:
    """Add a synonym rule to the actor's store."""
    rule = await SearchRepository(session, actor.store_id).add(
        SynonymRule(store_id=actor.store_id, terms=data.terms, one_way=data.one_way)
    )
    await audit_service.record(
        session, actor, action="search.synonym.create", subject_type="synonym_rule",
        subject_id=rule.id, data={"terms": rule.terms, "one_way": rule.one_way},
    )  # fmt: skip
    return rule


async def update_synonym(
    session: AsyncSession, actor: Actor, *, rule_id: int, data: SynonymRuleUpdate
) -> SynonymRule:
    """Replace a synonym rule's terms and direction."""
    repo = SearchRepository(session, actor.store_id)
    rule = await repo.get_rule(rule_id)
    if rule is None:
        raise SynonymRuleNotFound(rule_id)
    before = {"terms": rule.terms, "one_way": rule.one_way}
    rule.terms = list(data.terms)
    rule.one_way = data.one_way
    rule.updated_at = utcnow()
    await session.flush()
    await audit_service.record(
        session, actor, action="search.synonym.update", subject_type="synonym_rule",
        subject_id=rule.id, data={"before": before, "terms": rule.terms, "one_way": rule.one_way},
    )  # fmt: skip
    return rule


async def delete_synonym(session: AsyncSession, actor: Actor, *, rule_id: int) -> None:
    """Delete a synonym rule."""
    repo = SearchRepository(session, actor.store_id)
    rule = await repo.get_rule(rule_id)
    if rule is None:
        raise SynonymRuleNotFound(rule_id)
    data = {"terms": rule.terms, "one_way": rule.one_way}
    await repo.delete(rule)
    await audit_service.record(
        session, actor, action="search.synonym.delete", subject_type="synonym_rule",
        subject_id=rule_id, data=data,
    )  # fmt: skip


async def request_reindex(session: AsyncSession, actor: Actor) -> dt.datetime:
    """Ask every worker to rebuild the store's index from the database."""
    repo = SearchRepository(session, actor.store_id)
    state = await repo.state() or await repo.add_state(SearchState(store_id=actor.store_id))
    state.reindex_requested_at = utcnow()
    await session.flush()
    await audit_service.record(
        session, actor, action="search.reindex", subject_type="store", subject_id=actor.store_id
    )
    return state.reindex_requested_at
