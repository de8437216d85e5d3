"""Privacy jobs: `privacy.purge` (retention), `privacy.platform_requests` (Shopify's privacy
webhooks) and `privacy.rotate_keys`; `floorwalker.jobs` schedules the first two.

Each opens its own short transactions, batch by batch, so a large purge never holds SQLite's
write lock for long; each is idempotent: a second run right after the first changes nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import MetaData

from floorwalker.assistant import service as assistant_service
from floorwalker.audit import service as audit_service
from floorwalker.connectors import service as connectors_service
from floorwalker.events import service as events_service
from floorwalker.kit import rotation
from floorwalker.kit.actor import Actor
from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Database
from floorwalker.logging import get_logger
from floorwalker.privacy import receipts
from floorwalker.privacy.platform import Answer, answer_platform_request
from floorwalker.privacy.schemas import Origin, PurgeResult
from floorwalker.privacy.service import privacy_settings
from floorwalker.stores import service as stores_service

PURGE_JOB = "privacy.purge"
REQUESTS_JOB = "privacy.platform_requests"
ROTATE_JOB = "privacy.rotate_keys"

#: Conversations and events deleted per transaction.
CONVERSATION_BATCH = 200
EVENT_BATCH = 5000

log = get_logger(__name__)


async def purge_store(
    db: Database, *, store_id: int, origin: Origin = Origin.SCHEDULE, now: dt.datetime | None = None
) -> PurgeResult:
    """Delete a store's conversations idle and events older than its retention windows."""
    now = now or utcnow()
    actor = Actor.system(store_id, PURGE_JOB)
    async with db.reading() as session:
        settings = await privacy_settings(session, store_id)
    conversation_days = settings.conversation_retention_days
    event_days = settings.event_retention_days
    conversations = events = 0
    if conversation_days:
        while True:
            async with db.transaction() as session:
                done = await assistant_service.purge_idle(
                    session,
                    actor,
                    older_than=dt.timedelta(days=conversation_days),
                    batch=CONVERSATION_BATCH,
                )
            conversations += done
            if done < CONVERSATION_BATCH:
                break
    event_cutoff = now - dt.timedelta(days=event_days) if event_days else None
    if event_cutoff is not None:
        while True:
            async with db.transaction() as session:
                done = await events_service.purge_before(
                    session, actor, before=event_cutoff, batch=EVENT_BATCH
                )
            events += done
            if done < EVENT_BATCH:
                break
    result = PurgeResult(
        store_id=store_id,
        conversations=conversations,
        events=events,
        conversation_cutoff=now - dt.timedelta(days=conversation_days)
        if conversation_days
        else None,
        event_cutoff=event_cutoff,
    )
    if conversations or events:
        async with db.transaction() as session:
            counts = {"assistant": {"conversations": conversations}, "events": {"events": events}}
            receipt = await receipts.record(
                session, actor, kind="purge", origin=origin, counts=counts
            )
            await audit_service.record(
                session,
                actor,
                action="privacy.purge",
                subject_type="store",
                subject_id=store_id,
                data={"receipt": receipt.public_id, "counts": counts},
            )
        log.info(
            "retention purge", job=PURGE_JOB, store_id=store_id, conversations=conversations,
            events=events,
        )  # fmt: skip
    return result


async def purge_all(db: Database) -> list[PurgeResult]:
    """Run `privacy.purge` for every store; one store's failure does not stop the others."""
    return await stores_service.each_store(
        db,
        lambda store_id: purge_store(db, store_id=store_id),
        job=PURGE_JOB,
        failure="retention purge failed",
    )


async def answer_platform_requests(db: Database, *, store_id: int) -> list[Answer]:
    """Answer every pending platform privacy request of a store, one transaction per request
    (or per batch of a shop's redaction); a failed request is marked failed, not retried."""
    actor = Actor.system(store_id, REQUESTS_JOB)
    async with db.reading() as session:
        pending = [r.id for r in await connectors_service.pending_privacy_requests(session, actor)]
    answers: list[Answer] = []
    for request_id in pending:
        while True:
            try:
                async with db.transaction() as session:
                    answer = await answer_platform_request(session, actor, request_id=request_id)
            except Exception as exc:
                log.exception("privacy request failed", job=REQUESTS_JOB, request_id=request_id)
                async with db.transaction() as session:
                    await connectors_service.finish_privacy_request(
                        session,
                        actor,
                        request_id=request_id,
                        status="failed",
                        detail=f"Could not be carried out ({type(exc).__name__}); "
                        "see the server log and retry from the console.",
                    )
                break
            answers.append(answer)
            if answer.status != "received":
                break
    return answers


async def answer_all_platform_requests(db: Database) -> list[Answer]:
    """Run `privacy.platform_requests` for every store."""
    async with db.reading() as session:
        store_ids = [s.id for s in await stores_service.list_stores(session)]
    answers: list[Answer] = []
    for store_id in store_ids:
        answers.extend(await answer_platform_requests(db, store_id=store_id))
    return answers


async def rotate_keys(
    db: Database, metadata: MetaData, *, secret_keys: str, batch: int = 500
) -> rotation.Rotation:
    """Re-encrypt everything stored encrypted (kit.rotation: personal data fields with their
    blind indexes, platform credentials and webhook secrets, identity secrets, the assistant's
    vaults) under the first of `secret_keys`, a batch per transaction. Raises
    rotation.KeysMissing, having changed nothing, if a value opens with none of them."""
    result = await rotation.rotate(
        db.reading, db.transaction, metadata, rotation.Keys(secret_keys), limit=batch
    )
    log.info("keys rotated", job=ROTATE_JOB, rows=result.rewritten, current=result.current)
    return result
