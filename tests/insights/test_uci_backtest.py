"""The issue's target on real sales: the UCI Online Retail file, weekly, top 500 SKUs, 8 weeks
held out. The chosen method's WAPE must be at most 0.9 × the best baseline's."""

from __future__ import annotations

import pytest

from floorwalker.insights.forecasting.backtest import run_backtest
from floorwalker.insights.forecasting.history import Frequency
from floorwalker.insights.forecasting.sales_file import read_sales
from tests.shared_data import uci_online_retail

UCI = uci_online_retail().parent
UCI_FILE = UCI / "online_retail.parquet"


@pytest.mark.slow
class TestUciBacktest:
    def test_chosen_method_beats_the_best_baseline_by_ten_percent(self) -> None:
        sales = read_sales(UCI_FILE, frequency=Frequency.WEEK)

        backtest = run_backtest(sales.history, horizon=8, top=500)

        assert (backtest.test_start, backtest.test_end) == ("2011-10-10", "2011-12-05")
        assert len(backtest.keys) == 500
        assert backtest.chosen == "pooled"
        best = backtest.best_baseline
        # the issue quotes ≈ 0.66 for the best simple baseline
        assert 0.62 <= best.wape <= 0.68
        assert backtest.score("pooled").wape <= 0.9 * best.wape
