"""Errors of the insights context."""

from __future__ import annotations

from floorwalker.errors import AppError, Conflict, Invalid, NotFound


class InsightsError(AppError):
    """Base of the insights family."""


class SalesFileInvalid(InsightsError, Invalid):
    """A sales file that cannot be read: missing columns, bad values, unknown format."""

    code = "sales_file_invalid"


class BacktestInvalid(InsightsError, Invalid):
    """A backtest that cannot run as asked (bad horizon, too little history, no SKUs)."""

    code = "backtest_invalid"


class DateRangeInvalid(InsightsError, Invalid):
    """A report's date range that is reversed, too long or not a date."""

    code = "date_range_invalid"


class StockRuleInvalid(InsightsError, Invalid):
    """A stock alert rule that contradicts itself or names an unknown category."""

    code = "stock_rule_invalid"


class StockRuleNotFound(InsightsError, NotFound):
    """No stock alert rule with that id in the store."""

    code = "stock_rule_not_found"

    def __init__(self, rule_id: int) -> None:
        super().__init__(f"Stock rule {rule_id} not found.", rule_id=rule_id)


class StockRuleExists(InsightsError, Conflict):
    """The store (or that category) already has a stock rule."""

    code = "stock_rule_exists"


class ForecastNotFound(InsightsError, NotFound):
    """No stored forecast for that variant (the forecast job has not run, or it has no sales)."""

    code = "forecast_not_found"

    def __init__(self, variant_id: int) -> None:
        super().__init__(
            f"No forecast for variant {variant_id}; run the insights.forecast job first.",
            variant_id=variant_id,
        )


class VariantNotFound(InsightsError, NotFound):
    """No variant with that id in the store."""

    code = "variant_not_found"

    def __init__(self, variant_id: int) -> None:
        super().__init__(f"Variant {variant_id} not found.", variant_id=variant_id)


class LostDemandInvalid(InsightsError, Invalid):
    """Signals naming products or variants the store does not have, or too many at once."""

    code = "lost_demand_invalid"
