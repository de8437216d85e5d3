"""Offline evaluation: the metrics on a hand-computed example, and `floorwalker eval recommend`."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from floorwalker.cli.main import app
from floorwalker.recommend.evaluation.metrics import evaluate


class TestMetrics:
    def test_recall_ndcg_hit_rate_coverage_and_novelty_by_their_definitions(self) -> None:
        # given two customers with held-out items, one without, and a catalogue of 6 items
        truth = {0: {1, 2, 3}, 1: {4}, 2: set()}
        lists = {0: [1, 5, 2], 1: [5, 4], 2: [0, 1]}
        buyers = np.array([4, 4, 2, 1, 0, 2], dtype=np.float32)

        # when
        metrics = evaluate(lists, truth, k=2, catalogue_size=6, buyers=buyers, training_users=4)

        # then, by hand:
        # customer 0: [1, 5] finds 1 of min(2, 3) → recall ½; DCG 1, IDCG 1 + 1/log2 3
        # customer 1: [5, 4] finds 1 of 1 → recall 1; DCG 1/log2 3, IDCG 1
        ndcg = (1 / (1 + 1 / math.log2(3)) + 1 / math.log2(3)) / 2
        info = {i: -math.log2((b + 1) / 5) for i, b in enumerate(buyers.tolist())}
        novelty = ((info[1] + info[5]) / 2 + (info[5] + info[4]) / 2) / 2
        assert metrics.users == 2
        assert metrics.recall == pytest.approx(0.75)
        assert metrics.ndcg == pytest.approx(ndcg)
        assert metrics.hit_rate == pytest.approx(1.0)
        assert metrics.coverage == pytest.approx(3 / 6)
        assert metrics.novelty == pytest.approx(novelty)

    def test_a_customer_without_a_list_counts_as_no_hits(self) -> None:
        metrics = evaluate(
            {}, {0: {1}}, k=5, catalogue_size=2, buyers=np.zeros(2, np.float32), training_users=1
        )

        assert (metrics.recall, metrics.ndcg, metrics.hit_rate, metrics.coverage) == (0, 0, 0, 0)


HISTORY = """customer_id,item_id,timestamp,order_id,quantity
c1,X,2024-01-01T10:00:00Z,o1,1
c1,Y,2024-01-01T10:00:00Z,o1,2
c1,X,2024-01-05T10:00:00Z,o2,1
c2,X,2024-01-02T10:00:00Z,o3,1
c2,Z,2024-01-02T10:00:00Z,o3,1
c3,Y,2024-01-03T10:00:00Z,o4,1
c3,Y,2024-01-04T10:00:00Z,r1,-1
c1,Z,2024-01-25T10:00:00Z,o5,1
c2,X,2024-01-26T10:00:00Z,o6,1
c4,Y,2024-01-30T10:00:00Z,o7,1
"""


def score_jsonl(path: Path, truth: dict[str, set[str]], k: int) -> float:
    """Recall@k of a predictions file, computed independently of Floorwalker's code."""
    lists = {}
    for line in path.read_text().splitlines():
        row = json.loads(line)
        if row["mode"] == "all":
            lists[row["customer_id"]] = row["items"][:k]
    total = sum(len(set(lists[c]) & t) / min(k, len(t)) for c, t in truth.items())
    return total / len(truth)


class TestEvalCommand:
    def test_prints_every_model_in_both_modes_with_hand_computed_baselines(
        self, tmp_path: Path
    ) -> None:
        # given 9 purchases (and a return, ignored) over 30 days; the last 10 are held out
        source = tmp_path / "history.csv"
        source.write_text(HISTORY)
        predictions = tmp_path / "lists.jsonl"

        # when
        result = CliRunner().invoke(
            app,
            ["eval", "recommend", "--interactions", str(source), "--split", "temporal",
             "--test-days", "10", "--k", "1,2", "--json", "--predictions-out", str(predictions)],
        )  # fmt: skip

        # then
        assert result.exit_code == 0, result.output
        report = json.loads(result.output[result.output.index("{") :])
        assert report["split"]["test_customers"] == 3
        assert report["split"]["train_items"] == 3
        allm, new = report["results"]["all"], report["results"]["new"]
        assert set(allm) == {"popularity", "own_most_bought", "als", "item_knn", "blend",
                             "c:trending", "c:repeat", "c:als_fold_in", "c:also_bought",
                             "c:bought_with", "c:content"}  # fmt: skip
        # popularity (buyers: X 2, Y 2, Z 1 → X, Y, Z): c1 wants Z, c2 X, c4 (new) Y
        assert allm["popularity"]["1"] == {
            "recall": 0.3333, "ndcg": 0.3333, "hit_rate": 0.3333, "coverage": 0.3333,
            "novelty": 0.415, "users": 3,
        }  # fmt: skip
        assert allm["popularity"]["2"]["recall"] == 0.6667
        assert allm["popularity"]["2"]["ndcg"] == round((1 + 1 / math.log2(3)) / 3, 4)
        # own most bought: c1 → X (2 orders), Y; c2 → X, Z; c4 → popularity
        assert allm["own_most_bought"]["1"]["recall"] == 0.3333
        assert allm["own_most_bought"]["2"]["recall"] == 0.6667
        # new items only: c2 bought X before, so only c1 (Z is new) and c4 count
        assert new["popularity"]["1"]["users"] == 2
        assert new["popularity"]["1"]["recall"] == 0.5
        # the predictions file scores the same with independent code
        truth = {"c1": {"Z"}, "c2": {"X"}, "c4": {"Y"}}
        assert score_jsonl(predictions, truth, 2) == pytest.approx(allm["blend"]["2"]["recall"],
                                                                   abs=1e-4)  # fmt: skip

    def test_a_file_without_the_needed_columns_is_a_clear_error(self, tmp_path: Path) -> None:
        source = tmp_path / "bad.csv"
        source.write_text("who,what\nc1,X\n")

        result = CliRunner().invoke(app, ["eval", "recommend", "--interactions", str(source)])

        assert result.exit_code == 1
        assert "lacks column(s) customer_id, item_id, timestamp" in result.output
        assert "Traceback" not in result.output

    def test_train_and_test_files_may_be_given_instead_of_a_split(self, tmp_path: Path) -> None:
        lines = HISTORY.strip().splitlines()
        (tmp_path / "train.csv").write_text("\n".join(lines[:8]) + "\n")
        (tmp_path / "test.csv").write_text("\n".join([lines[0], *lines[8:]]) + "\n")

        result = CliRunner().invoke(
            app,
            ["eval", "recommend", "--train", str(tmp_path / "train.csv"), "--test",
             str(tmp_path / "test.csv"), "--k", "2", "--json", "--no-components"],
        )  # fmt: skip

        assert result.exit_code == 0, result.output
        report = json.loads(result.output[result.output.index("{") :])
        assert report["split"]["split"] == "given"
        assert report["split"]["test_customers"] == 3
        assert set(report["results"]["all"]) == {"popularity", "own_most_bought", "als",
                                                 "item_knn", "blend"}  # fmt: skip

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--k", "0"], "--k takes positive integers"),
            (["--k", "ten"], "--k takes comma-separated integers"),
            (["--split", "random"], "--split takes `temporal`"),
            (["--column", "item_id"], "--column takes role=name"),
        ],
    )
    def test_bad_options_are_explained(self, tmp_path: Path, args: list[str], message: str) -> None:
        source = tmp_path / "history.csv"
        source.write_text(HISTORY)

        result = CliRunner().invoke(
            app, ["eval", "recommend", "--interactions", str(source), *args]
        )

        assert result.exit_code == 2
        assert message in result.output
