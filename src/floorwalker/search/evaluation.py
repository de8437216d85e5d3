"""Offline evaluation of search against relevance judgments: NDCG@10, MRR, recall@50.

A judgments file lists (query, product, grade) rows; grade 0 means "not relevant", higher is
better (e.g. 1 = partly, 2 = fully, 3 = exactly what was asked for). Products are named by id
(`product_id`) or by handle (`product_handle`, stable across regenerated databases).

For each query with at least one relevant product (grade > 0), ranked by the same service
that answers `GET /v1/search` (top 50, parsing and relaxation on):

    DCG@10    = Σ_{i=1..10} (2^{g_i} − 1) / log2(i + 1)   g_i = grade of hit i (0 if unjudged)
    NDCG@10   = DCG@10 / IDCG@10      IDCG@10 = DCG@10 of the judged products in ideal order
    RR        = 1 / rank of the first hit with grade > 0 within the top 50 (0 if none)
    recall@50 = |relevant products in the top 50| / |relevant products|

and each metric is the mean over those queries (queries without a relevant product are
counted and reported, not averaged).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from floorwalker.search.errors import InvalidJudgments

NDCG_AT = 10
RECALL_AT = 50


@dataclass(frozen=True, slots=True)
class Judgment:
    """One row of a judgments file."""

    query: str
    product: int | str
    grade: float


@dataclass(slots=True)
class QueryScore:
    """Metrics of one query."""

    query: str
    ndcg: float
    rr: float
    recall: float
    relevant: int


@dataclass(slots=True)
class Report:
    """Mean metrics over the judged queries, and each query's scores."""

    ndcg: float
    mrr: float
    recall: float
    queries: int
    skipped: int
    per_query: list[QueryScore] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """The report for machines (`--json`)."""
        return {
            f"ndcg@{NDCG_AT}": round(self.ndcg, 6),
            "mrr": round(self.mrr, 6),
            f"recall@{RECALL_AT}": round(self.recall, 6),
            "queries": self.queries,
            "skipped_without_relevant": self.skipped,
            "per_query": [
                {
                    "query": q.query,
                    f"ndcg@{NDCG_AT}": round(q.ndcg, 6),
                    "rr": round(q.rr, 6),
                    f"recall@{RECALL_AT}": round(q.recall, 6),
                    "relevant": q.relevant,
                }
                for q in self.per_query
            ],
        }


def dcg(grades: Sequence[float], k: int = NDCG_AT) -> float:
    """Discounted cumulative gain of the first k grades (exponential gain)."""
    return float(sum((2.0 ** float(g) - 1.0) / math.log2(i + 2) for i, g in enumerate(grades[:k])))


def score_query(
    query: str, ranked: Sequence[int | str], grades: Mapping[int | str, float]
) -> QueryScore:
    """NDCG@10, reciprocal rank and recall@50 of one ranking against its judgments."""
    relevant = {p for p, g in grades.items() if g > 0}
    gains = [grades.get(p, 0.0) for p in ranked[:NDCG_AT]]
    ideal = dcg(sorted(grades.values(), reverse=True))
    ndcg = dcg(gains) / ideal if ideal > 0 else 0.0
    rr = next((1.0 / i for i, p in enumerate(ranked[:RECALL_AT], start=1) if p in relevant), 0.0)
    recall = len(relevant & set(ranked[:RECALL_AT])) / len(relevant) if relevant else 0.0
    return QueryScore(query=query, ndcg=ndcg, rr=rr, recall=recall, relevant=len(relevant))


def evaluate(judgments: Iterable[Judgment], rank: Callable[[str], Sequence[int | str]]) -> Report:
    """Score `rank(query)` (product ids or handles, best first) against the judgments."""
    by_query: dict[str, dict[int | str, float]] = {}
    for j in judgments:
        by_query.setdefault(j.query, {})[j.product] = j.grade
    scores: list[QueryScore] = []
    skipped = 0
    for query, grades in by_query.items():
        if not any(g > 0 for g in grades.values()):
            skipped += 1
            continue
        scores.append(score_query(query, rank(query), grades))
    n = len(scores)
    return Report(
        ndcg=sum(s.ndcg for s in scores) / n if n else 0.0,
        mrr=sum(s.rr for s in scores) / n if n else 0.0,
        recall=sum(s.recall for s in scores) / n if n else 0.0,
        queries=n,
        skipped=skipped,
        per_query=scores,
    )


def load_judgments(path: Path) -> list[Judgment]:
    """Read judgments from CSV (with a header) or JSON Lines; raises InvalidJudgments."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidJudgments(f"cannot read {path}: {exc}") from exc
    if path.suffix.lower() in {".jsonl", ".ndjson", ".json"}:
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidJudgments(f"not JSON: {exc.msg}", line=number) from exc
            if not isinstance(value, dict):
                raise InvalidJudgments("each line must be a JSON object", line=number)
            rows.append((number, value))
    else:
        reader = csv.DictReader(io.StringIO(text))
        rows = [(number, dict(row)) for number, row in enumerate(reader, start=2)]
    out = [_judgment(number, row) for number, row in rows]
    if not out:
        raise InvalidJudgments(f"{path} holds no judgments")
    return out


def _judgment(number: int, row: Mapping[str, object]) -> Judgment:
    query = str(row.get("query") or "").strip()
    if not query:
        raise InvalidJudgments("query is missing", line=number)
    product: int | str
    if row.get("product_id") not in (None, ""):
        try:
            product = int(str(row["product_id"]))
        except ValueError as exc:
            raise InvalidJudgments("product_id must be an integer", line=number) from exc
    elif row.get("product_handle") not in (None, ""):
        product = str(row["product_handle"]).strip()
    else:
        raise InvalidJudgments("product_id or product_handle is missing", line=number)
    try:
        grade = float(str(row.get("grade")))
    except ValueError as exc:
        raise InvalidJudgments("grade must be a number", line=number) from exc
    if not math.isfinite(grade) or grade < 0:
        raise InvalidJudgments("grade must be 0 or more", line=number)
    return Judgment(query=query, product=product, grade=grade)
