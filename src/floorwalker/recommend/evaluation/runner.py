"""Offline evaluation: split, train the blend and the baselines, rank, score, report.

The blend is trained by `engine.train.fit` and ranked by `engine.scoring.score_personal` — the
functions the server uses — with the test period's start as "now". Test customers are those
with at least one purchase in the test period; a customer with no training history gets the
non-personal list. Held-out items the training data never saw still count in |T_u| (nobody
can recommend them, which is the honest cost of a new product).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from floorwalker.recommend.engine.catalog import ItemCatalog
from floorwalker.recommend.engine.components import DAY
from floorwalker.recommend.engine.data import InteractionLog
from floorwalker.recommend.engine.model import FEATURES, Params
from floorwalker.recommend.engine.scoring import History, score_personal
from floorwalker.recommend.engine.train import fit, histories, purchased_sets
from floorwalker.recommend.errors import EvaluationInvalid
from floorwalker.recommend.evaluation import baselines
from floorwalker.recommend.evaluation.metrics import evaluate

MODES = ("all", "new")
BASELINES = ("popularity", "own_most_bought", "als", "item_knn")
#: The blend's own components ranked alone (one feature each), reported for insight.
COMPONENTS = {
    "c:trending": "popularity",
    "c:repeat": "repeat",
    "c:als_fold_in": "als",
    "c:also_bought": "also_bought",
    "c:bought_with": "bought_with",
    "c:content": "content",
}
BLEND = "blend"


@dataclass(slots=True)
class Split:
    """Training rows, test rows re-keyed onto the training users and items, and "now"."""

    train: InteractionLog
    test_users: list[str]
    truth: dict[int, set[int]]
    now: int
    description: dict[str, Any]


def temporal_split(log: InteractionLog, *, test_days: float) -> Split:
    """Hold out the last `test_days` days (from the last timestamp) as the test period."""
    if not len(log):
        raise EvaluationInvalid("The interactions file has no usable rows.")
    last = int(log.time.max())
    cut = last - int(test_days * DAY)
    train, test = log.split_at(cut)
    if not len(train) or not len(test.purchases()):
        raise EvaluationInvalid(
            f"Holding out the last {test_days:g} days leaves an empty training or test period."
        )
    # re-index the training log over only its own items: the catalogue is what training saw
    train_items = np.unique(train.item)
    train = train.reindex_items(log.item_keys[train_items])
    return _with_truth(train, test, cut, {"split": "temporal", "test_days": test_days})


def given_split(train: InteractionLog, test: InteractionLog) -> Split:
    """Use a split made elsewhere; "now" is the first test timestamp."""
    if not len(train) or not len(test.purchases()):
        raise EvaluationInvalid("The training file has no rows or the test file no purchases.")
    now = int(test.time.min())
    return _with_truth(train, test, now, {"split": "given"})


def _with_truth(
    train: InteractionLog, test: InteractionLog, now: int, description: dict[str, Any]
) -> Split:
    user_pos = {key: i for i, key in enumerate(train.user_keys.tolist())}
    item_pos = {key: i for i, key in enumerate(train.item_keys.tolist())}
    unseen: dict[str, int] = {}
    extra_users: list[str] = []
    truth: dict[int, set[int]] = {}
    bought = test.purchases()
    for u, i in zip(bought.user.tolist(), bought.item.tolist(), strict=True):
        user_key = str(test.user_keys[u])
        item_key = str(test.item_keys[i])
        if user_key not in user_pos:
            user_pos[user_key] = train.n_users + len(extra_users)
            extra_users.append(user_key)
        item = item_pos.get(item_key)
        if item is None:  # never seen in training: counts in |T| but cannot be recommended
            item = unseen.setdefault(item_key, -1 - len(unseen))
        truth.setdefault(user_pos[user_key], set()).add(item)
    users = train.user_keys.tolist() + extra_users
    description = {
        **description,
        "train_rows": len(train),
        "train_customers": int(np.unique(train.user).size),
        "train_items": train.n_items,
        "test_customers": len(truth),
        "test_customers_with_history": len(set(truth) & set(np.unique(train.user).tolist())),
        "test_items_unseen_in_training": len(unseen),
        "now": now,
    }
    return Split(train=train, test_users=users, truth=truth, now=now, description=description)


@dataclass(slots=True)
class Report:
    """Metrics by mode, model and k, plus timings and the split's description."""

    ks: list[int]
    split: dict[str, Any]
    results: dict[str, dict[str, dict[int, dict[str, float | int]]]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    blend: dict[str, Any] = field(default_factory=dict)
    predictions: dict[str, dict[int, list[int]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready report (without the predictions)."""
        return {
            "ks": self.ks,
            "split": self.split,
            "results": {
                mode: {m: {str(k): v for k, v in by_k.items()} for m, by_k in models.items()}
                for mode, models in self.results.items()
            },
            "timings_seconds": self.timings,
            "blend": self.blend,
        }


def run(
    split: Split,
    *,
    ks: Sequence[int],
    params: Params | None = None,
    catalog: ItemCatalog | None = None,
    include_components: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Train everything on the split's training rows and score every model in both modes."""
    ks = sorted(set(ks))
    if not ks or ks[0] < 1:
        raise EvaluationInvalid("k must be one or more positive integers.")
    params = params or Params()
    say = progress or _silent
    train = split.train
    catalog = catalog or ItemCatalog.from_log(train)
    report = Report(ks=list(ks), split=split.description)
    kmax = ks[-1]

    say("training the blend")
    started = time.perf_counter()
    model = fit(train, catalog, params=params, now=split.now)
    report.timings["train_blend"] = round(time.perf_counter() - started, 3)
    report.blend = {
        "weights": model.weights,
        "discovery_weights": model.discovery_weights,
        **model.info.get("blend", {}),
    }

    recommenders: dict[str, baselines.Recommend] = {}
    builders: dict[str, Callable[[], baselines.Recommend]] = {
        "popularity": lambda: baselines.popularity(train),
        "own_most_bought": lambda: baselines.own_most_bought(train),
        "als": lambda: baselines.plain_als(train, params),
        "item_knn": lambda: baselines.plain_item_knn(train),
    }
    for name, build in builders.items():
        say(f"training baseline {name}")
        started = time.perf_counter()
        recommenders[name] = build()
        report.timings[f"train_{name}"] = round(time.perf_counter() - started, 3)

    user_hist = histories(train)
    bought = purchased_sets(train)
    lists: dict[str, dict[str, dict[int, list[int]]]] = {mode: {} for mode in MODES}
    single = {
        name: {f: (1.0 if f == feature else 0.0) for f in FEATURES}
        for name, feature in COMPONENTS.items()
    }
    say(f"ranking for {len(split.truth)} test customers")
    started = time.perf_counter()
    for user in split.truth:
        history = user_hist.get(user, History.empty())
        skip = bought.get(user, set())
        scored = score_personal(model, history=history, now=split.now)
        lists["all"].setdefault(BLEND, {})[user] = scored.top(kmax).tolist()
        discovering = score_personal(model, history=history, now=split.now, discovery=True)
        lists["new"].setdefault(BLEND, {})[user] = discovering.top(kmax).tolist()
        if include_components:
            for name, weights in single.items():
                vec = np.asarray([weights[f] for f in FEATURES], dtype=np.float32)
                alone = vec @ scored.features
                alone[alone <= 0] = -np.inf
                for mode in MODES:
                    if mode == "new" and skip:
                        alone[np.fromiter(skip, dtype=np.intp)] = -np.inf
                    lists[mode].setdefault(name, {})[user] = baselines._fill(
                        _ranked(alone, kmax), np.zeros(0, np.intp), set(), kmax
                    )
        for name, recommend in recommenders.items():
            lists["all"].setdefault(name, {})[user] = recommend(user, set(), kmax)
            lists["new"].setdefault(name, {})[user] = recommend(user, skip, kmax)
    report.timings["rank_all_models"] = round(time.perf_counter() - started, 3)

    buyers = model.buyers
    training_users = int(np.unique(train.purchases().user).size)
    for mode in MODES:
        truth = split.truth
        if mode == "new":
            truth = {u: t - bought.get(u, set()) for u, t in truth.items()}
        report.results[mode] = {}
        for name in [*BASELINES, *(COMPONENTS if include_components else ()), BLEND]:
            report.results[mode][name] = {
                k: evaluate(
                    lists[mode][name],
                    truth,
                    k=k,
                    catalogue_size=train.n_items,
                    buyers=buyers,
                    training_users=training_users,
                ).as_dict()
                for k in ks
            }
    report.predictions = {mode: lists[mode][BLEND] for mode in MODES}
    return report


def _silent(_message: str) -> None:
    return None


def _ranked(scores: np.ndarray, k: int) -> list[int]:
    finite = np.flatnonzero(np.isfinite(scores))
    if finite.size == 0:
        return []
    values = scores[finite]
    order = np.lexsort((finite, -values))[:k]
    return [int(i) for i in finite[order]]


def write_predictions(report: Report, split: Split, item_keys: Sequence[str], path: Path) -> int:
    """Write the blend's lists as JSON Lines {customer_id, mode, items}; returns lines written."""
    lines = 0
    with path.open("w", encoding="utf-8") as fh:
        for mode in MODES:
            for user, ranked in sorted(report.predictions.get(mode, {}).items()):
                fh.write(
                    json.dumps(
                        {
                            "customer_id": split.test_users[user],
                            "mode": mode,
                            "items": [str(item_keys[i]) for i in ranked],
                        }
                    )
                    + "\n"
                )
                lines += 1
    return lines
