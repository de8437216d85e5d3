"""The assistant's long-lived parts, built once per process (app, CLI or benchmark).

The database, the live broker, the models (the local one trained on first use; the remote
client when configured), the mail sender, the identity key sets, the handoff notifier and the
vault's encryptor.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import weakref
from dataclasses import dataclass, field

from floorwalker.assistant.handoff import HandoffNotifier, LogNotifier
from floorwalker.assistant.identity.keys import JwksCache
from floorwalker.assistant.identity.mail import MailSender, build_mail_sender
from floorwalker.assistant.live import Broker, build_broker
from floorwalker.assistant.local.model import LocalModel
from floorwalker.assistant.remote.client import ChatClient
from floorwalker.config import Settings
from floorwalker.kit.crypto import Encryptor
from floorwalker.kit.db import Database
from floorwalker.search import service as search_service
from floorwalker.search.service import SearchRegistry


def remote_configured(settings: Settings) -> bool:
    """Whether a remote model is configured (a base URL or an API key)."""
    return bool(settings.model_base_url or settings.model_api_key)


@dataclass
class Runtime:
    """What every turn of every conversation shares."""

    db: Database
    settings: Settings
    broker: Broker
    mail: MailSender
    notifier: HandoffNotifier
    vault_crypto: Encryptor
    identity_crypto: Encryptor
    remote: ChatClient | None = None
    #: The stores' identity-token key sets (RS256), cached.
    jwks: JwksCache = field(default_factory=JwksCache)
    #: Max tool rounds per turn (each round: the model may call several tools).
    max_rounds: int = 5
    history_messages: int = 30
    _locks: weakref.WeakValueDictionary[str, asyncio.Lock] = field(
        default_factory=weakref.WeakValueDictionary
    )
    _local: LocalModel | None = None
    #: The search indexes (the app's own when served; built on demand otherwise).
    search: SearchRegistry | None = None

    @property
    def proposal_ttl(self) -> dt.timedelta:
        """How long a proposal stays confirmable."""
        return dt.timedelta(minutes=self.settings.assistant_proposal_ttl_minutes)

    @classmethod
    def build(
        cls,
        db: Database,
        settings: Settings,
        *,
        broker: Broker | None = None,
        notifier: HandoffNotifier | None = None,
        mail: MailSender | None = None,
    ) -> Runtime:
        """Assemble the runtime the settings describe."""
        secret = settings.secret_key.get_secret_value()
        remote = None
        if remote_configured(settings):
            key = settings.model_api_key.get_secret_value() if settings.model_api_key else None
            remote = ChatClient(
                base_url=settings.model_base_url,
                api_key=key,
                model=settings.model_name,
                timeout=settings.model_timeout_seconds,
                max_retries=settings.model_max_retries,
                allow_remote=settings.allow_model_requests,
            )
        return cls(
            db=db,
            settings=settings,
            broker=broker or build_broker(settings.redis_url),
            mail=mail or build_mail_sender(settings, db),
            notifier=notifier or LogNotifier(),
            vault_crypto=Encryptor(secret, purpose="assistant-vault"),
            identity_crypto=Encryptor(secret, purpose="identity-secret"),
            remote=remote,
            jwks=JwksCache(ttl=settings.identity_jwks_cache_seconds),
        )

    def conversation_lock(self, public_id: str) -> asyncio.Lock:
        """The lock that keeps one conversation's turns in order (within this process)."""
        lock = self._locks.get(public_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[public_id] = lock
        return lock

    def search_registry(self) -> SearchRegistry:
        """The search indexes this process serves from."""
        if self.search is None:
            self.search = search_service.SearchRegistry(self.db, self.settings)
        return self.search

    def local_model(self) -> LocalModel:
        """The built-in local model (its classifier trains on first use)."""
        if self._local is None:
            self._local = LocalModel()
        return self._local

    async def close(self) -> None:
        """Release connections (the remote client's pool, Redis)."""
        if self.remote is not None:
            await self.remote.close()
        await self.broker.close()
