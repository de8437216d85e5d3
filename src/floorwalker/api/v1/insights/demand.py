"""Lost demand: the report, recording signals, and running the job."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response
from pydantic import Field

from floorwalker.api.deps import DatabaseDep, ReadActor, SessionDep, WriteActor
from floorwalker.api.v1.insights.common import Format, From, To, csv_response
from floorwalker.insights import jobs
from floorwalker.insights import service as insights_service
from floorwalker.insights.schemas import (
    LostDemandGroup,
    LostDemandOutcome,
    LostDemandReport,
    LostDemandSignalIn,
    RecordedSignals,
)
from floorwalker.kit.schemas import InputSchema

router = APIRouter()


class SignalBatch(InputSchema):
    """Lost-demand signals to record (at most 500)."""

    signals: list[LostDemandSignalIn] = Field(min_length=1, max_length=500)


@router.get("/lost-demand", response_model=LostDemandReport)
async def lost_demand(
    actor: ReadActor,
    session: SessionDep,
    start: From = None,
    end: To = None,
    group_by: LostDemandGroup = LostDemandGroup.REASON,
    limit: int = Query(default=100, ge=1, le=1000),
    fmt: Format = "json",
) -> LostDemandReport | Response:
    """Report what shoppers asked for and could not buy, grouped, with stock and forecast."""
    result = await insights_service.lost_demand_report(
        session, actor, start=start, end=end, group_by=group_by, limit=limit
    )
    if fmt == "csv":
        return csv_response(result.rows, f"lost-demand-by-{group_by.value}")
    return result


@router.post("/lost-demand", response_model=RecordedSignals)
async def record_lost_demand(
    data: SignalBatch, actor: WriteActor, session: SessionDep
) -> RecordedSignals:
    """Record lost-demand signals from another system; a ref recorded before is skipped."""
    return await insights_service.record_lost_demand(session, actor, signals=data.signals)


@router.post("/lost-demand/refresh", response_model=LostDemandOutcome)
async def refresh_lost_demand(actor: WriteActor, db: DatabaseDep) -> LostDemandOutcome:
    """Run the `insights.lost_demand` job for the store now (reads only what is new)."""
    return await jobs.lost_demand(db, store_id=actor.store_id)
