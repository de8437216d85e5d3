"""The ledger of applied platform versions: what is stale, what was applied, per record.

Each record's platform `updated_at` is kept in `record_versions` when it is applied; a payload
older than that is stale. Orders also carry the time of a Floorwalker change not yet written
back (`local_change_at`): platform payloads older than it are stale too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from floorwalker.connectors.models import Connection
from floorwalker.connectors.repository import ConnectorRepository
from floorwalker.kit.upsert import UpsertStatus, UpsertSummary


@dataclass
class Outcome:
    """What happened to one record: created, updated, unchanged, stale, ignored or failed."""

    status: str
    error: str | None = None
    detail: str | None = None
    id: int | None = None


@dataclass
class ApplyReport:
    """Counts and per-record outcomes of one apply call (outcomes in input order)."""

    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        """How many records ended with `status`."""
        return sum(1 for o in self.outcomes if o.status == status)


def stale(incoming: dt.datetime | None, known: dt.datetime | None, *, force: bool) -> str | None:
    """`stale` if older than what we applied, `unchanged` if the same version (unless forced)."""
    if incoming is None or known is None:
        return None
    if incoming < known:
        return "stale"
    if incoming == known and not force:
        return "unchanged"
    return None


class Ledger:
    """Versions of one connection's records, checked before and saved after applying."""

    def __init__(self, repo: ConnectorRepository, connection: Connection) -> None:
        self.repo = repo
        self.connection = connection

    async def filter(
        self, kind: str, items: list[tuple[int, Any]], force: bool
    ) -> tuple[list[tuple[int, Any]], dict[int, Outcome], dict[str, Any]]:
        versions = await self.repo.versions(
            self.connection.id, kind, [r.external_id for _, r in items]
        )
        """Split records into those to apply and those stale or unchanged (with outcomes)."""
        keep: list[tuple[int, Any]] = []
        skipped: dict[int, Outcome] = {}
        for index, record in items:
            known = versions.get(record.external_id)
            verdict = stale(
                record.updated_at, known.source_updated_at if known else None, force=force
            )
            if verdict is None and kind == "order" and known is not None:
                local = known.ref.get("local_change_at")
                if (
                    local
                    and record.updated_at
                    and record.updated_at < dt.datetime.fromisoformat(local)
                ):
                    verdict = "stale"
            if verdict is None:
                keep.append((index, record))
            else:
                skipped[index] = Outcome(verdict)
        return keep, skipped, versions

    def outcomes(self, items: list[tuple[int, Any]], summary: UpsertSummary) -> dict[int, Outcome]:
        """Per-record outcomes of an upsert summary, by the records' input positions."""
        found: dict[int, Outcome] = {}
        for result in summary.results:
            index = items[result.index][0]
            if result.status is UpsertStatus.FAILED:
                found[index] = Outcome("failed", result.error, result.detail)
            else:
                found[index] = Outcome(result.status.value, id=result.id)
        return found

    async def save(
        self,
        kind: str,
        items: list[tuple[int, Any]],
        outcomes: dict[int, Outcome],
        versions: dict[str, Any],
    ) -> None:
        """Record the versions of the records that were applied."""
        rows = []
        for index, record in items:
            outcome = outcomes[index]
            if outcome.status == "failed":
                continue
            known = versions.get(record.external_id)
            ref = dict(known.ref) if known is not None else {}
            if outcome.id is not None:
                ref["id"] = outcome.id
            rows.append(
                {
                    "kind": kind,
                    "external_id": record.external_id,
                    "source_updated_at": record.updated_at,
                    "ref": ref,
                }
            )
        await self.repo.save_versions(self.connection.id, rows)
