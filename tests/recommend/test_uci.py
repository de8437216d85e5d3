"""The blend against the baselines on real data: the UCI Online Retail purchases.

Purchases by known customers; the last 30 days are held out (see docs/recommendations.md for
the full table). Runs the whole `floorwalker eval recommend` command: about 25 s of CPU.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from floorwalker.cli.main import app
from tests.shared_data import uci_online_retail

DATA = uci_online_retail().parent
COLUMNS = ["customer_id=CustomerID", "item_id=StockCode", "timestamp=InvoiceDate",
           "quantity=Quantity", "order_id=InvoiceNo", "title=Description"]  # fmt: skip
BASELINES = ("popularity", "own_most_bought", "als", "item_knn")


@pytest.mark.slow
def test_the_blend_beats_every_baseline_on_uci_online_retail() -> None:
    # given the UCI file, the last 30 days held out
    args = ["eval", "recommend", "--interactions", str(DATA / "online_retail.parquet"),
            "--split", "temporal", "--test-days", "30", "--k", "20", "--json",
            "--no-components"]  # fmt: skip
    for column in COLUMNS:
        args += ["--column", column]

    # when
    result = CliRunner().invoke(app, args)

    # then
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{") :])
    assert report["split"]["test_customers"] == 1649
    every = {name: report["results"]["all"][name]["20"] for name in (*BASELINES, "blend")}
    new = {name: report["results"]["new"][name]["20"] for name in (*BASELINES, "blend")}
    # the reference points: own most bought ≈ 0.31, popularity ≈ 0.12
    assert every["own_most_bought"]["recall"] == pytest.approx(0.30, abs=0.02)
    assert every["popularity"]["recall"] == pytest.approx(0.09, abs=0.03)
    for name in BASELINES:
        assert every["blend"]["recall"] > every[name]["recall"], name
        assert every["blend"]["ndcg"] > every[name]["ndcg"], name
    assert new["blend"]["recall"] > new["als"]["recall"]
    assert new["blend"]["ndcg"] > new["als"]["ndcg"]
    # the blend weights were learned on a validation period carved from the training data
    assert report["blend"]["source"] == "learned"
