"""`floorwalker eval forecast`: exact WAPE and MASE on a hand-computed file, and bad input."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from floorwalker.cli.main import app

MONDAY = dt.date(2024, 1, 1)
#: Six full weeks. A: 1 3 2 4 | 3 3   B: 0 0 2 2 | 2 0   (the last two weeks are held out)
WEEKS = {"A": [1, 3, 2, 4, 3, 3], "B": [0, 0, 2, 2, 2, 0]}


def write_sales(path: Path) -> Path:
    """One line per SKU and week on its Monday; week 6 of A is split to end on its Sunday."""
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["date", "sku", "quantity", "order_id", "customer_id"])
        order = 0
        for sku, units in WEEKS.items():
            for week, qty in enumerate(units):
                if qty == 0:
                    continue
                day = MONDAY + dt.timedelta(weeks=week)
                order += 1
                if sku == "A" and week == 5:
                    writer.writerow([day.isoformat(), sku, qty - 1, f"o{order}", "c1"])
                    sunday = day + dt.timedelta(days=6)
                    writer.writerow([f"{sunday.isoformat()} 18:30:00", sku, 1, f"o{order}b", ""])
                else:
                    writer.writerow([day.isoformat(), sku, qty, f"o{order}", "c2"])
        writer.writerow([MONDAY.isoformat(), "A", -2, "return", "c1"])  # a return: left out
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["eval", "forecast", *args])
    return result.exit_code, result.stdout, result.stderr


class TestEvalForecast:
    def test_prints_exact_wape_and_mase_per_method(self, tmp_path: Path) -> None:
        sales = write_sales(tmp_path / "sales.csv")

        code, out, err = run("--sales", str(sales), "--horizon", "2w", "--json")

        assert code == 0, err
        report = json.loads(out)
        scores = {m["method"]: m for m in report["methods"]}
        assert report["scored_from"] == "2024-01-29"
        assert report["training_periods"] == 4
        assert report["series"] == 2
        # naive: A 4 → |3−4|+|3−4| = 2, B 2 → 0 + 2 = 2; 4 / 8
        assert scores["naive"]["wape"] == 0.5
        # MASE: A's MAE 1 over its naive scale (2 + 1 + 2) / 3; B has no scale from its first sale
        assert scores["naive"]["mase"] == 0.6
        assert scores["naive"]["mase_excluded"] == 1
        # moving averages over 4, 8 and 13 weeks all see the 4 weeks there are: A 2.5, B 1
        for name in ("ma4", "ma8", "ma13"):
            assert scores[name]["wape"] == 0.375
            assert scores[name]["mase"] == 0.3
        assert report["chosen"] == "tsb"  # four weeks are too few for the pooled model
        assert "pooled" not in scores
        assert "Read 11 rows: 10 sale lines kept, 1 with quantity ≤ 0" in " ".join(err.split())

    def test_writes_every_methods_forecasts_with_actuals(self, tmp_path: Path) -> None:
        sales = write_sales(tmp_path / "sales.csv")
        out_file = tmp_path / "predictions.csv"

        code, _, err = run(
            "--sales", str(sales), "--horizon", "2w", "--predictions-out", str(out_file)
        )

        assert code == 0, err
        rows = list(csv.DictReader(out_file.open()))
        naive_a = [r for r in rows if r["method"] == "naive" and r["sku"] == "A"]
        assert [(r["period_start"], r["forecast"], r["actual"]) for r in naive_a] == [
            ("2024-01-29", "4.0000", "3"),
            ("2024-02-05", "4.0000", "3"),
        ]
        assert len(rows) == 2 * 2 * len({r["method"] for r in rows})

    def test_the_table_names_the_chosen_method_and_best_baseline(self, tmp_path: Path) -> None:
        sales = write_sales(tmp_path / "sales.csv")

        code, out, _ = run("--sales", str(sales), "--horizon", "2w")

        assert code == 0
        assert "(best baseline)" in out
        assert "(chosen)" in out
        assert "× best baseline" in out

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--horizon", "eight"], "--horizon takes a count and a unit"),
            (["--horizon", "0w"], "--horizon takes a count and a unit"),
            (["--column", "nonsense"], "--column takes role=name"),
            (["--column", "colour=sku"], "Unknown column role"),
            (["--horizon", "6w"], "cannot hold out 6"),
            (["--horizon", "2w", "--methods", "prophet"], "Unknown method(s) prophet"),
        ],
    )
    def test_bad_input_is_a_message_and_a_non_zero_exit(
        self, tmp_path: Path, args: list[str], message: str
    ) -> None:
        sales = write_sales(tmp_path / "sales.csv")

        code, out, err = run("--sales", str(sales), *args)

        assert code != 0
        assert message in " ".join(err.split())
        assert "Traceback" not in out + err

    def test_a_missing_file_or_column_is_explained(self, tmp_path: Path) -> None:
        no_sku = tmp_path / "no_sku.csv"
        no_sku.write_text("date,quantity\n2024-01-01,3\n")

        code, _, err = run("--sales", str(tmp_path / "absent.csv"))
        assert code == 1
        assert "No such file" in err

        code, _, err = run("--sales", str(no_sku))
        assert code == 1
        assert "No column for sku" in " ".join(err.split())
