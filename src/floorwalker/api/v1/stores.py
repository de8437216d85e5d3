"""The caller's store, its policy, its API keys and its audit log."""

from __future__ import annotations

from fastapi import APIRouter, Query

from floorwalker.api.deps import AdminActor, ReadActor, SessionDep
from floorwalker.api.params import IdPath
from floorwalker.audit import service as audit_service
from floorwalker.audit.schemas import AuditEntry
from floorwalker.auth import service as auth_service
from floorwalker.auth.schemas import ApiKey, ApiKeyCreate, ApiKeyCreated
from floorwalker.kit.pagination import Page, clamp_limit, decode_cursor, encode_cursor
from floorwalker.stores import service as store_service
from floorwalker.stores.schemas import Store, StoreUpdate

router = APIRouter(tags=["store"])


@router.get("/store", response_model=Store)
async def read_store(actor: ReadActor, session: SessionDep) -> Store:
    """Read the store the API key belongs to, with its policy and settings."""
    return Store.model_validate(await store_service.get_or_raise(session, actor.store_id))


@router.patch("/store", response_model=Store)
async def update_store(data: StoreUpdate, actor: AdminActor, session: SessionDep) -> Store:
    """Change the store's name, timezone, language, policy or settings."""
    return Store.model_validate(await store_service.update(session, actor, data=data))


@router.get("/store/policy/text")
async def policy_text(actor: ReadActor, session: SessionDep) -> dict[str, str]:
    """The store's policy in plain language, as the assistant quotes it."""
    store = await store_service.get_or_raise(session, actor.store_id)
    return {"text": store_service.policy_of(store).describe(currency=store.currency)}


@router.get("/keys", response_model=list[ApiKey])
async def list_keys(actor: AdminActor, session: SessionDep) -> list[ApiKey]:
    """List the store's API keys (never the keys themselves)."""
    return [ApiKey.model_validate(k) for k in await auth_service.list_keys(session, actor)]


@router.post("/keys", response_model=ApiKeyCreated, status_code=201)
async def create_key(data: ApiKeyCreate, actor: AdminActor, session: SessionDep) -> ApiKeyCreated:
    """Create an API key; the response is the only time the key is shown."""
    key, token = await auth_service.create_key(session, actor, data=data)
    return ApiKeyCreated.model_validate({**ApiKey.model_validate(key).model_dump(), "key": token})


@router.delete("/keys/{key_id}", response_model=ApiKey)
async def revoke_key(key_id: IdPath, actor: AdminActor, session: SessionDep) -> ApiKey:
    """Revoke an API key; it stops working immediately."""
    return ApiKey.model_validate(await auth_service.revoke(session, actor, key_id=key_id))


@router.get("/audit", response_model=Page[AuditEntry])
async def list_audit(
    actor: AdminActor,
    session: SessionDep,
    subject_type: str | None = None,
    subject_id: str | None = None,
    action: str | None = None,
    cursor: str | None = None,
    limit: int = Query(default=50, ge=1, le=500),
) -> Page[AuditEntry]:
    """Read the audit log, oldest first, optionally for one subject or action."""
    size = clamp_limit(limit)
    entries = await audit_service.list_entries(
        session,
        actor,
        subject_type=subject_type,
        subject_id=subject_id,
        action=action,
        after_id=decode_cursor(cursor),
        limit=size + 1,
    )
    items = [AuditEntry.model_validate(e) for e in entries[:size]]
    next_cursor = encode_cursor(items[-1].id) if len(entries) > size else None
    return Page[AuditEntry](items=items, next_cursor=next_cursor)
