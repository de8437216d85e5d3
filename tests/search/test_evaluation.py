"""Search evaluation: the metric definitions on a hand-computed example, and the command."""

from __future__ import annotations

import asyncio
import json
from math import log2
from pathlib import Path

import pytest
from typer.testing import CliRunner

from floorwalker.cli.main import app
from floorwalker.search.errors import InvalidJudgments
from floorwalker.search.evaluation import Judgment, evaluate, load_judgments
from floorwalker.stores.models import Store


class TestMetrics:
    def test_ndcg_mrr_and_recall_by_their_definitions(self) -> None:
        judgments = [
            Judgment("q1", "A", 2), Judgment("q1", "B", 1), Judgment("q1", "C", 0),
            Judgment("q1", "D", 3),  # relevant, never retrieved
            Judgment("q2", "E", 1),
            Judgment("q3", "F", 0),  # nothing relevant: counted as skipped
        ]  # fmt: skip
        rankings = {"q1": ["C", "A", "X", "B"], "q2": ["E"], "q3": ["F"]}

        report = evaluate(judgments, lambda q: rankings[q])

        # q1: DCG = (2²−1)/log2(3) + (2¹−1)/log2(5); IDCG = 7/log2(2) + 3/log2(3) + 1/log2(4)
        q1_ndcg = (3 / log2(3) + 1 / log2(5)) / (7 + 3 / log2(3) + 1 / 2)
        assert [(q.query, q.relevant) for q in report.per_query] == [("q1", 3), ("q2", 1)]
        assert report.per_query[0].ndcg == pytest.approx(q1_ndcg)
        assert (report.per_query[0].rr, report.per_query[0].recall) == (0.5, pytest.approx(2 / 3))
        assert report.ndcg == pytest.approx((q1_ndcg + 1) / 2)
        assert report.mrr == pytest.approx(0.75)
        assert report.recall == pytest.approx((2 / 3 + 1) / 2)
        assert (report.queries, report.skipped) == (2, 1)

    def test_only_the_first_ten_hits_count_for_ndcg_and_fifty_for_recall(self) -> None:
        ranking = [f"x{i}" for i in range(60)]
        judgments = [Judgment("q", "x10", 1), Judgment("q", "x49", 1), Judgment("q", "x50", 1)]

        report = evaluate(judgments, lambda _q: ranking)

        assert (report.ndcg, report.mrr) == (0.0, pytest.approx(1 / 11))
        assert report.recall == pytest.approx(2 / 3)


class TestJudgmentFiles:
    def test_csv_and_json_lines_are_read(self, tmp_path: Path) -> None:
        csv_file = tmp_path / "j.csv"
        csv_file.write_text("query,product_id,grade\nred dress,12,2\nboots,7,0\n")
        jsonl = tmp_path / "j.jsonl"
        jsonl.write_text('{"query": "red dress", "product_handle": "red-dress", "grade": 1.5}\n')

        assert load_judgments(csv_file) == [
            Judgment("red dress", 12, 2.0),
            Judgment("boots", 7, 0.0),
        ]
        assert load_judgments(jsonl) == [Judgment("red dress", "red-dress", 1.5)]

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            ("query,product_id,grade\n,12,2\n", "line 2: query is missing"),
            ("query,product_id,grade\nboots,x,2\n", "line 2: product_id must be an integer"),
            ("query,product_id,grade\nboots,3,-1\n", "line 2: grade must be 0 or more"),
            ("query,grade\nboots,1\n", "line 2: product_id or product_handle is missing"),
        ],
    )
    def test_a_bad_row_is_named_by_its_line(
        self, tmp_path: Path, content: str, message: str
    ) -> None:
        path = tmp_path / "j.csv"
        path.write_text(content)

        with pytest.raises(InvalidJudgments) as caught:
            load_judgments(path)

        assert caught.value.detail == message


JUDGMENTS = """query,product_handle,grade
hiking,alpine-leather-boots,3
hiking,waterproof-hiking-boots,2
hiking,black-daypack,0
hiking,trail-runner-shoes,1
waterproof,trail-runner-shoes,1
socks,merino-hiking-socks,0
"""


class TestEvalCommand:
    async def test_prints_the_metrics_of_the_stores_search(
        self, store: Store, shop: dict[str, int], database_url: str, tmp_path: Path
    ) -> None:
        path = tmp_path / "judgments.csv"
        path.write_text(JUDGMENTS)
        env = {"FLOORWALKER_DATABASE_URL": database_url, "FLOORWALKER_DATA_DIR": str(tmp_path)}
        args = ["eval", "search", "--judgments", str(path), "--store", store.slug]

        result = await asyncio.to_thread(CliRunner().invoke, app, args, env=env)

        # "hiking" ranks: waterproof boots (2), socks (—), alpine boots (3), daypack (0);
        # "waterproof": waterproof boots (—), trail runners (1). "socks" has nothing relevant.
        hiking = (3 + 7 / log2(4)) / (7 + 3 / log2(3) + 1 / 2)
        waterproof = 1 / log2(3)
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines() == [
            "queries judged:  2 (1 without a relevant product)",
            f"NDCG@10:         {(hiking + waterproof) / 2:.4f}",
            "MRR:             0.7500",
            f"recall@50:       {(2 / 3 + 1) / 2:.4f}",
        ]

    async def test_json_output_for_machines(
        self, store: Store, shop: dict[str, int], database_url: str, tmp_path: Path
    ) -> None:
        path = tmp_path / "judgments.csv"
        path.write_text(JUDGMENTS)
        env = {"FLOORWALKER_DATABASE_URL": database_url, "FLOORWALKER_DATA_DIR": str(tmp_path)}
        args = ["eval", "search", "-j", str(path), "-s", store.slug, "--json"]

        result = await asyncio.to_thread(CliRunner().invoke, app, args, env=env)

        report = json.loads(result.stdout)
        assert (report["mrr"], report["queries"], report["skipped_without_relevant"]) == (
            0.75,
            2,
            1,
        )
        assert [q["query"] for q in report["per_query"]] == ["hiking", "waterproof"]

    async def test_a_broken_file_is_a_message_and_exit_code_1(
        self, store: Store, database_url: str, tmp_path: Path
    ) -> None:
        path = tmp_path / "judgments.csv"
        path.write_text("query,product_id,grade\nboots,seven,1\n")
        env = {"FLOORWALKER_DATABASE_URL": database_url, "FLOORWALKER_DATA_DIR": str(tmp_path)}
        args = ["eval", "search", "-j", str(path), "-s", store.slug]

        result = await asyncio.to_thread(CliRunner().invoke, app, args, env=env)

        assert result.exit_code == 1
        assert "line 2: product_id must be an integer (invalid_judgments)" in result.output
        assert "Traceback" not in result.output


class TestSearchCommands:
    async def test_reindex_builds_the_index_and_tells_the_workers(
        self, store: Store, shop: dict[str, int], database_url: str, tmp_path: Path
    ) -> None:
        env = {"FLOORWALKER_DATABASE_URL": database_url, "FLOORWALKER_DATA_DIR": str(tmp_path)}

        result = await asyncio.to_thread(
            CliRunner().invoke, app, ["search", "reindex", "--store", store.slug], env=env
        )

        assert result.exit_code == 0, result.output
        assert f"Indexed 14 products of store {store.slug}" in result.output

    async def test_query_shows_results_and_how_the_words_were_read(
        self, store: Store, shop: dict[str, int], database_url: str, tmp_path: Path
    ) -> None:
        env = {"FLOORWALKER_DATABASE_URL": database_url, "FLOORWALKER_DATA_DIR": str(tmp_path)}

        result = await asyncio.to_thread(
            CliRunner().invoke,
            app,
            ["search", "query", "socks under 20", "-s", store.slug],
            env=env,
        )

        assert result.exit_code == 0, result.output
        assert "1 results" in result.output
        assert "Merino Hiking Socks" in result.output
