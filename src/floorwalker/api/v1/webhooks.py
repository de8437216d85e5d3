"""Inbound webhooks from Shopify and WooCommerce, authenticated by their signatures."""

from __future__ import annotations

from fastapi import APIRouter, Request

from floorwalker.api.deps import DatabaseDep
from floorwalker.api.v1.connectors import EncryptorDep
from floorwalker.connectors import inbound
from floorwalker.connectors.schemas import WebhookAck

router = APIRouter(tags=["webhooks"])


@router.post("/webhooks/{platform}/{token}", response_model=WebhookAck)
async def receive_webhook(
    platform: str, token: str, request: Request, db: DatabaseDep, encryptor: EncryptorDep
) -> WebhookAck:
    """Take a platform's webhook: verify the signature of the raw body, then apply it once."""
    body = await request.body()
    headers = {k.lower(): v for k, v in request.headers.items()}
    return await inbound.receive(
        db, encryptor, platform=platform, token=token, headers=headers, body=body
    )
