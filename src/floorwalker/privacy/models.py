"""ORM models of the privacy context: receipts of what was exported, erased and purged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Base, IdMixin, StoreScoped


class PrivacyReceipt(IdMixin, StoreScoped, Base):
    """One privacy request carried out: an export, an erasure or a retention purge.

    Kept as proof without personal data: the customer's internal id (meaningless once the
    customer is erased), counts per context, who asked, through what, and when.
    """

    __tablename__ = "privacy_receipts"
    __table_args__ = (
        Index("ix_privacy_receipts_store_requested", "store_id", "requested_at"),
        Index("ix_privacy_receipts_store_customer", "store_id", "customer_id"),
    )

    #: The id people quote (`prv_…`).
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    #: export, erasure or purge.
    kind: Mapped[str] = mapped_column(String(16))
    #: completed or failed.
    status: Mapped[str] = mapped_column(String(16), default="completed")
    #: api, console, cli, shopify (a platform's request) or schedule.
    origin: Mapped[str] = mapped_column(String(16))
    #: Who asked: an actor label such as `api_key:3` or `staff:7`.
    requested_by: Mapped[str] = mapped_column(String(120))
    customer_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    #: The platform request it answers (connectors' privacy_requests), if any.
    platform_request_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    #: What was done per context: {"orders": {"anonymised": 2, "deleted": 0}, ...}.
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    detail: Mapped[str] = mapped_column(String(2000), default="")
