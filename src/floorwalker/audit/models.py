"""ORM models of the audit context."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from floorwalker.kit.clock import utcnow
from floorwalker.kit.db import Base, IdMixin, StoreScoped


class AuditEntry(IdMixin, StoreScoped, Base):
    """One change (or one access to customer data), with the actor who made it."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_store_subject", "store_id", "subject_type", "subject_id"),
        Index("ix_audit_entries_store_occurred", "store_id", "occurred_at"),
    )

    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    actor_kind: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(80))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
