"""Privacy: consent (back office and the shopper's own), export, erasure with a receipt,
retention settings and purges, platforms' privacy requests, and the audit log's export.

See docs/privacy.md for what is stored where and what each request does.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import AsyncIterator
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse, StreamingResponse

from floorwalker.api.deps import (
    AdminActor,
    DatabaseDep,
    ReadActor,
    SessionDep,
    StorefrontActor,
    WriteActor,
)
from floorwalker.api.params import IdPath
from floorwalker.assistant import service as assistant_service
from floorwalker.audit import service as audit_service
from floorwalker.errors import Invalid
from floorwalker.kit.actor import Actor, ActorKind
from floorwalker.kit.clock import ensure_aware, utcnow
from floorwalker.kit.ids import MAX_ID
from floorwalker.kit.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from floorwalker.privacy import jobs
from floorwalker.privacy import service as privacy_service
from floorwalker.privacy.errors import ShopperNotVerified
from floorwalker.privacy.schemas import (
    Consent,
    ConsentChange,
    ErasurePreview,
    ErasureRequest,
    Origin,
    PlatformRequest,
    PlatformRequestOutcome,
    PrivacySettingsUpdate,
    PurgeResult,
    Receipt,
)
from floorwalker.stores.schemas import PrivacySettings

router = APIRouter(tags=["privacy"])

TokenHeader = Annotated[
    str | None,
    Header(alias="X-Conversation-Token", description="The conversation's token."),
]


def origin_of(actor: Actor) -> Origin:
    """Where a request came from: the console (a staff session) or the API."""
    return Origin.CONSOLE if actor.kind is ActorKind.STAFF else Origin.API


# ----------------------------------------------------------------------------- consent


@router.get("/customers/{customer_id}/consent", response_model=Consent)
async def read_consent(customer_id: IdPath, actor: ReadActor, session: SessionDep) -> Consent:
    """Read a customer's consent per purpose and what each purpose currently allows."""
    return await privacy_service.consent_of(session, actor, customer_id=customer_id)


@router.put("/customers/{customer_id}/consent", response_model=Consent)
async def change_consent(
    customer_id: IdPath, data: ConsentChange, actor: WriteActor, session: SessionDep
) -> Consent:
    """Grant or withdraw consent for the purposes given; it applies at once everywhere."""
    return await privacy_service.change_consent(
        session, actor, customer_id=customer_id, change=data
    )


async def _shopper(
    session: SessionDep, actor: Actor, conversation_id: str, token: str | None
) -> Actor:
    conversation = await assistant_service.authenticate(
        session, actor, public_id=conversation_id, token=token
    )
    if conversation.customer_id is None or conversation.actor_kind != "shopper":
        raise ShopperNotVerified
    return Actor.shopper(conversation.store_id, conversation.customer_id)


@router.get("/conversations/{conversation_id}/consent", response_model=Consent)
async def read_own_consent(
    conversation_id: str, actor: StorefrontActor, session: SessionDep, token: TokenHeader = None
) -> Consent:
    """Read the verified shopper's own consent (the conversation names them, not the caller)."""
    shopper = await _shopper(session, actor, conversation_id, token)
    assert shopper.customer_id is not None
    return await privacy_service.consent_of(session, shopper, customer_id=shopper.customer_id)


@router.put("/conversations/{conversation_id}/consent", response_model=Consent)
async def change_own_consent(
    conversation_id: str,
    data: ConsentChange,
    actor: StorefrontActor,
    session: SessionDep,
    token: TokenHeader = None,
) -> Consent:
    """Let the verified shopper of a conversation grant or withdraw their own consent."""
    shopper = await _shopper(session, actor, conversation_id, token)
    assert shopper.customer_id is not None
    return await privacy_service.change_consent(
        session, shopper, customer_id=shopper.customer_id, change=data
    )


# ----------------------------------------------------------------------------- export, erasure


@router.get("/customers/{customer_id}/export", responses={200: {"description": "The export."}})
async def export_customer(customer_id: IdPath, actor: AdminActor, db: DatabaseDep) -> JSONResponse:
    """Download everything held about a customer as one JSON document (recorded, with a
    receipt)."""
    # A writing transaction: the export's receipt and audit entry commit with it.
    async with db.transaction() as session:
        document, _receipt = await privacy_service.export_customer(
            session, actor, customer_id=customer_id, origin=origin_of(actor)
        )
    return JSONResponse(
        document,
        headers={
            "Content-Disposition": f'attachment; filename="customer-{customer_id}-export.json"'
        },
    )


@router.get("/customers/{customer_id}/erasure", response_model=ErasurePreview)
async def preview_erasure(
    customer_id: IdPath, actor: AdminActor, session: SessionDep
) -> ErasurePreview:
    """Show what erasing a customer would touch, and what to type to confirm it."""
    return await privacy_service.preview_erasure(session, actor, customer_id=customer_id)


@router.post("/customers/{customer_id}/erase", response_model=Receipt)
async def erase_customer(
    customer_id: IdPath, data: ErasureRequest, actor: AdminActor, session: SessionDep
) -> Receipt:
    """Erase everything held about a customer and return the receipt (idempotent)."""
    receipt = await privacy_service.erase_customer(
        session,
        actor,
        customer_id=customer_id,
        origin=origin_of(actor),
        confirm=data.confirm,
        force=data.force,
    )
    return privacy_service.receipt_to_read(receipt)


# ----------------------------------------------------------------------------- receipts


@router.get("/privacy/receipts", response_model=Page[Receipt])
async def list_receipts(
    actor: AdminActor,
    session: SessionDep,
    kind: Literal["export", "erasure", "purge"] | None = None,
    customer_id: int | None = Query(default=None, ge=1, le=MAX_ID),
    cursor: str | None = None,
    limit: int = Query(default=50, ge=1, le=500),
) -> Page[Receipt]:
    """List privacy receipts, newest first."""
    size = clamp_limit(limit)
    rows = await privacy_service.list_receipts(
        session,
        actor,
        kind=kind,
        customer_id=customer_id,
        before_id=decode_cursor(cursor) if cursor else None,
        limit=size + 1,
    )
    items = [privacy_service.receipt_to_read(r) for r in rows[:size]]
    more = len(rows) > size
    return Page[Receipt](
        items=items, next_cursor=encode_cursor(rows[size - 1].id) if more else None
    )


@router.get("/privacy/receipts/{receipt_id}", response_model=Receipt)
async def read_receipt(receipt_id: str, actor: AdminActor, session: SessionDep) -> Receipt:
    """Read one privacy receipt."""
    return await privacy_service.get_receipt(session, actor, receipt_id=receipt_id)


# ----------------------------------------------------------------------------- settings, jobs


@router.get("/privacy/settings", response_model=PrivacySettings)
async def read_settings(actor: AdminActor, session: SessionDep) -> PrivacySettings:
    """Read the store's erasure and retention settings."""
    return await privacy_service.privacy_settings(session, actor.store_id)


@router.patch("/privacy/settings", response_model=PrivacySettings)
async def update_settings(
    data: PrivacySettingsUpdate, actor: AdminActor, session: SessionDep
) -> PrivacySettings:
    """Change the store's erasure and retention settings (fields left out stay)."""
    return await privacy_service.update_privacy_settings(session, actor, update=data)


@router.post("/privacy/purge", response_model=PurgeResult)
async def purge(actor: AdminActor, db: DatabaseDep) -> PurgeResult:
    """Run `privacy.purge` for the store now: delete what is older than its retention."""
    return await jobs.purge_store(db, store_id=actor.store_id, origin=origin_of(actor))


@router.get("/privacy/requests", response_model=Page[PlatformRequest])
async def list_platform_requests(
    actor: AdminActor,
    session: SessionDep,
    status: Literal["received", "completed", "failed"] | None = Query(
        default=None, description="Only requests in this status (received: still pending)."
    ),
    cursor: str | None = None,
    limit: int = Query(default=50, ge=1, le=500),
) -> Page[PlatformRequest]:
    """List platforms' privacy requests (Shopify's mandatory webhooks), oldest first, with
    how each was answered."""
    size = clamp_limit(limit)
    rows = await privacy_service.list_platform_requests(
        session, actor, status=status, after_id=decode_cursor(cursor), limit=size + 1
    )
    more = len(rows) > size
    items = rows[:size]
    return Page[PlatformRequest](
        items=items, next_cursor=encode_cursor(items[-1].id) if more else None
    )


@router.post("/privacy/requests/{request_id}/answer", response_model=PlatformRequestOutcome)
async def answer_request(
    request_id: IdPath, actor: AdminActor, db: DatabaseDep
) -> PlatformRequestOutcome:
    """Carry out a platform's privacy request now (all batches of a shop's redaction)."""
    receipts = []
    while True:
        async with db.transaction() as session:
            answer = await privacy_service.answer_platform_request(
                session, actor, request_id=request_id
            )
        receipts.extend(answer.receipts)
        if answer.status != "received":
            break
    return PlatformRequestOutcome(
        platform_request_id=answer.platform_request_id,
        kind=answer.kind,
        status=answer.status,
        detail=answer.detail,
        receipt=privacy_service.receipt_to_read(receipts[0]) if receipts else None,
    )


# ----------------------------------------------------------------------------- audit export

_AUDIT_COLUMNS = ["id", "occurred_at", "actor", "actor_kind", "action", "subject_type"]
_AUDIT_COLUMNS += ["subject_id", "data"]


@router.get(
    "/audit/export", responses={200: {"content": {"text/csv": {}, "application/jsonl": {}}}}
)
async def export_audit(
    actor: AdminActor,
    db: DatabaseDep,
    format: Literal["csv", "jsonl"] = "jsonl",
    since: dt.datetime | None = Query(default=None, description="From (inclusive)."),
    until: dt.datetime | None = Query(default=None, description="Until (exclusive)."),
) -> StreamingResponse:
    """Download the audit log of a period as CSV or JSON lines, oldest first (recorded)."""
    since = ensure_aware(since) if since else None
    until = ensure_aware(until) if until else None
    if since is not None and until is not None and since >= until:
        raise Invalid("since must be before until.", code="invalid_period")
    async with db.transaction() as session:
        await audit_service.record(
            session,
            actor,
            action="audit.export",
            subject_type="audit",
            subject_id="*",
            data={
                "format": format,
                "since": since.isoformat() if since else None,
                "until": until.isoformat() if until else None,
            },
        )

    async def rows() -> AsyncIterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        if format == "csv":
            writer.writerow(_AUDIT_COLUMNS)
        after_id = 0
        while True:
            async with db.reading() as session:
                page = await audit_service.entries_between(
                    session, actor, since=since, until=until, after_id=after_id
                )
            for entry in page:
                record = {
                    "id": entry.id,
                    "occurred_at": entry.occurred_at.isoformat(),
                    "actor": entry.actor,
                    "actor_kind": entry.actor_kind,
                    "action": entry.action,
                    "subject_type": entry.subject_type,
                    "subject_id": entry.subject_id,
                    "data": entry.data,
                }
                if format == "csv":
                    writer.writerow(
                        [json.dumps(v) if k == "data" else v for k, v in record.items()]
                    )
                else:
                    buffer.write(json.dumps(record) + "\n")
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            if len(page) < 500:
                break
            after_id = page[-1].id

    name = f"audit-{utcnow().date().isoformat()}.{format}"
    return StreamingResponse(
        rows(),
        media_type="text/csv" if format == "csv" else "application/jsonl",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
