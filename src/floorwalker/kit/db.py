"""Database plumbing shared by every context: the declarative base, column types, engines.

Nothing here connects at import time: `create_engine(url)` is called by the app factory, the CLI
or a job, which then owns the transaction (services only flush).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, MetaData, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from floorwalker.kit.clock import utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Integer primary keys: BIGINT on PostgreSQL, the rowid alias on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")

#: JSON documents: JSONB on PostgreSQL, JSON text on SQLite.
JsonDoc = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite drops tzinfo; this restores it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware UTC datetime")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so constraints have names on SQLite too."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dt.datetime: UTCDateTime(),
        dict[str, Any]: JsonDoc,
        list[Any]: JsonDoc,
        list[str]: JsonDoc,
        list[dict[str, Any]]: JsonDoc,
    }


class IdMixin:
    """An integer surrogate primary key."""

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True, sort_order=-10)


class StoreScoped:
    """Every row belongs to a store: a non-null, indexed reference that cascades on delete."""

    store_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("stores.id", ondelete="CASCADE"), index=True, sort_order=-9
    )


class Timestamps:
    """Creation and last-change times, set by the database session."""

    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


#: Rows SQLite's ANALYZE samples per index (0 would read them all).
SQLITE_ANALYSIS_LIMIT = 400
#: SQLite page cache per connection, in KiB (SQLite's default is 2 MiB). A bulk load updates
#: five indexes of a growing events table; with the default cache their pages are read again
#: and again (an import of 200,000 events spent a quarter more CPU in SQLite). Pages are cached
#: as they are used, so a small database stays small in memory.
SQLITE_CACHE_KIB = 65536
#: WAL pages after which a bulk writer's commit checkpoints (SQLite's default: 1,000 pages,
#: 4 MiB). Each checkpoint copies every page changed since the last one back into the database
#: file; a bulk load changes the same index pages batch after batch, so checkpointing less often
#: copies each of them fewer times (an import of 200,000 events spent 2.9 s of 15 in commits
#: at the default and 1.6 s at 16,384 pages, 64 MiB).
SQLITE_BULK_WAL_PAGES = 16384
#: SQLite's own default, restored when a bulk writer is done.
SQLITE_WAL_PAGES = 1000


def normalise_database_url(url: str) -> str:
    """Pick the async driver for a plain URL (sqlite → aiosqlite, postgresql → psycopg)."""
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def sync_database_url(url: str) -> str:
    """The same database through a synchronous driver (Alembic and bulk loaders use it)."""
    url = normalise_database_url(url)
    return url.replace("sqlite+aiosqlite://", "sqlite://", 1)


def _configure_sqlite(engine: AsyncEngine) -> None:
    """WAL, foreign keys, a busy timeout, a larger page cache, and `BEGIN IMMEDIATE` for writes.

    pysqlite's deferred BEGIN lets two connections read and then both try to write, and one of
    them then fails at once with "database is locked". Writing sessions therefore take the write
    lock when they begin; read-only sessions (engine option `sqlite_begin="DEFERRED"`) do not.
    """
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


def create_engine(url: str, *, echo: bool = False, pool_size: int = 10) -> AsyncEngine:
    """Create the async engine for a database URL (SQLite or PostgreSQL)."""
    url = normalise_database_url(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if url.startswith("postgresql"):
        kwargs.update(pool_size=pool_size, max_overflow=pool_size * 2, pool_pre_ping=True)
    engine = _create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


class Database:
    """An engine with its two session factories: writing (default) and read-only."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.session = async_sessionmaker(engine, expire_on_commit=False)
        reader = engine.execution_options(sqlite_begin="DEFERRED")
        self.read_session = async_sessionmaker(reader, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str, *, echo: bool = False) -> Database:
        """Build the engine and factories for a URL."""
        return cls(create_engine(url, echo=echo))

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """Open a writing session that commits on success and rolls back on error."""
        async with self.session() as session, session.begin():
            yield session

    @asynccontextmanager
    async def bulk(
        self,
    ) -> AsyncIterator[Callable[[], AbstractAsyncContextManager[AsyncSession]]]:
        """Hold one connection for a long series of write transactions (a file import).

        Yields a function that opens the next transaction on it, as `transaction` does. On
        SQLite the connection checkpoints its write-ahead log every SQLITE_BULK_WAL_PAGES pages
        instead of SQLite's 1,000 while it is held (see the constant); the next commit after
        it folds the log back into the database.
        """
        async with self.engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                await connection.exec_driver_sql(
                    f"PRAGMA wal_autocheckpoint={SQLITE_BULK_WAL_PAGES}"
                )
                await connection.commit()

            @asynccontextmanager
            async def transaction() -> AsyncIterator[AsyncSession]:
                async with (
                    AsyncSession(bind=connection, expire_on_commit=False) as session,
                    session.begin(),
                ):
                    yield session

            try:
                yield transaction
            finally:
                if sqlite:
                    await connection.rollback()
                    await connection.exec_driver_sql(
                        f"PRAGMA wal_autocheckpoint={SQLITE_WAL_PAGES}"
                    )
                    await connection.commit()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """Open a read-only session (no write lock on SQLite)."""
        async with self.read_session() as session, session.begin():
            yield session

    async def refresh_statistics(self) -> None:
        """Refresh SQLite's query-planner statistics from a sample (PostgreSQL: autovacuum's job).

        Every table has an index on `store_id`. Without statistics SQLite takes that index to be
        as selective as any other and picked it for `store_id = ? AND conversation_id = ?`,
        reading every message of the store for each assistant turn. With statistics it knows a
        store's rows are most of the table. `analysis_limit` bounds the work to a few hundred
        rows per index (tens of milliseconds on the demo store).
        """
        if self.dialect != "sqlite":
            return
        async with self.engine.connect() as connection:
            await connection.exec_driver_sql(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            await connection.exec_driver_sql("ANALYZE")
            await connection.commit()

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
