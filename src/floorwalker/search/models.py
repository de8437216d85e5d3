"""ORM models of the search context: per-store synonym rules and reindex requests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from floorwalker.kit.db import Base, IdMixin, StoreScoped, Timestamps


class SynonymRule(IdMixin, StoreScoped, Timestamps, Base):
    """Terms a store's shoppers use for the same thing ("trainers", "sneakers").

    Equivalent terms expand into each other; a one-way rule expands only its first term
    ("tee" finds t-shirts, "t-shirt" does not find everything called a tee).
    """

    __tablename__ = "search_synonyms"

    terms: Mapped[list[str]] = mapped_column(default=list)
    one_way: Mapped[bool] = mapped_column(Boolean, default=False)


class SearchState(IdMixin, StoreScoped, Timestamps, Base):
    """Per-store search bookkeeping shared by every worker (one row per store, on demand)."""

    __tablename__ = "search_state"
    __table_args__ = (UniqueConstraint("store_id"),)

    #: Set by `floorwalker search reindex` (or the API); every worker rebuilds once it sees it.
    reindex_requested_at: Mapped[dt.datetime | None] = mapped_column(default=None)
