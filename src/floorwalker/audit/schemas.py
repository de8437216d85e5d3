"""Pydantic schemas of the audit context."""

from __future__ import annotations

import datetime as dt
from typing import Any

from floorwalker.kit.schemas import Schema


class AuditEntry(Schema):
    """One audit log entry."""

    id: int
    occurred_at: dt.datetime
    actor: str
    actor_kind: str
    action: str
    subject_type: str
    subject_id: str
    data: dict[str, Any]
