"""Each building block of the recommender on hand-built interactions, with exact values."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from floorwalker.recommend.engine.components import (
    DAY,
    basket_item_matrix,
    buyer_counts,
    content_neighbours,
    cosine_neighbours,
    fit_als,
    fold_in,
    popularity,
    repurchase_propensity,
    user_item_matrix,
)
from floorwalker.recommend.engine.data import InteractionLog, Kind

NOW = 1_700_000_000
P, C, V = int(Kind.PURCHASE), int(Kind.CART), int(Kind.VIEW)


def log_of(rows: list[tuple[str, str, int, int, str | None]]) -> InteractionLog:
    """Rows of (user, item, days ago, kind, basket)."""
    return InteractionLog.from_rows(
        users=[r[0] for r in rows],
        items=[r[1] for r in rows],
        times=[NOW - r[2] * DAY for r in rows],
        kinds=[r[3] for r in rows],
        baskets=[r[4] or f"{r[0]}-{r[2]}" for r in rows],
    )


def by_key(log: InteractionLog, values: np.ndarray) -> dict[str, float]:
    return {k: round(float(v), 4) for k, v in zip(log.item_keys.tolist(), values, strict=True)}


def neighbours(log: InteractionLog, matrix: sp.csr_matrix) -> dict[str, list[tuple[str, float]]]:
    keys = log.item_keys.tolist()
    found = {}
    for i, key in enumerate(keys):
        row = matrix.getrow(i)
        pairs = sorted(
            zip(row.indices.tolist(), row.data.tolist(), strict=True), key=lambda p: -p[1]
        )
        found[key] = [(keys[j], round(v, 4)) for j, v in pairs]
    return found


class TestPopularity:
    def test_purchases_halve_every_half_life_and_views_count_a_quarter(self) -> None:
        # given A bought today and 30 days ago, B bought today and viewed today
        log = log_of(
            [("u1", "A", 0, P, "o1"), ("u2", "A", 30, P, "o2"), ("u3", "B", 0, P, "o3"),
             ("u1", "B", 0, V, None)]
        )  # fmt: skip

        # when
        scores = popularity(log, now=NOW, half_life_days=30)

        # then
        assert by_key(log, scores) == {"A": 1.5, "B": 1.25}

    def test_several_lines_of_one_item_in_one_order_count_once(self) -> None:
        log = log_of([("u1", "A", 0, P, "o1"), ("u1", "A", 0, P, "o1"), ("u2", "B", 0, P, "o2")])

        assert by_key(log, popularity(log, now=NOW, half_life_days=30)) == {"A": 1.0, "B": 1.0}
        assert by_key(log, buyer_counts(log)) == {"A": 1.0, "B": 1.0}


class TestRepurchasePropensity:
    def test_share_of_buyers_who_bought_again_shrunk_to_the_store_mean(self) -> None:
        # given u1 bought A in two orders, u2 once; u3 bought B once: mean share 1/3
        log = log_of(
            [("u1", "A", 40, P, "o1"), ("u1", "A", 10, P, "o2"), ("u2", "A", 5, P, "o3"),
             ("u3", "B", 5, P, "o4")]
        )  # fmt: skip

        # when
        propensity = repurchase_propensity(log, prior_strength=3)

        # then (1 + 3·⅓) / (2 + 3) and (0 + 3·⅓) / (1 + 3)
        assert by_key(log, propensity) == {"A": 0.4, "B": 0.25}


class TestCoOccurrence:
    def test_customers_who_bought_also_bought_is_the_cosine_of_buyer_sets(self) -> None:
        # given A bought by u1, u2, u3; B by u1, u2; C by u3
        log = log_of(
            [("u1", "A", 1, P, None), ("u1", "B", 1, P, None), ("u2", "A", 1, P, None),
             ("u2", "B", 1, P, None), ("u3", "A", 1, P, None), ("u3", "C", 1, P, None)]
        )  # fmt: skip
        binary = user_item_matrix(log)
        binary.data[:] = 1.0

        # when
        found = neighbours(log, cosine_neighbours(binary, k=5, shrink=0.0))

        # then: 2/√6, 1/√3; B and C share no buyer
        assert found == {
            "A": [("B", 0.8165), ("C", 0.5774)],
            "B": [("A", 0.8165)],
            "C": [("A", 0.5774)],
        }

    def test_shrinkage_and_k_keep_the_strongest_few(self) -> None:
        log = log_of(
            [("u1", "A", 1, P, None), ("u1", "B", 1, P, None), ("u2", "A", 1, P, None),
             ("u2", "B", 1, P, None), ("u3", "A", 1, P, None), ("u3", "C", 1, P, None)]
        )  # fmt: skip
        binary = user_item_matrix(log)
        binary.data[:] = 1.0

        found = neighbours(log, cosine_neighbours(binary, k=1, shrink=1.0))

        # 2 / (√6 + 1) and 1 / (√3 + 1)
        assert found == {"A": [("B", 0.5798)], "B": [("A", 0.5798)], "C": [("A", 0.366)]}

    def test_often_bought_together_counts_baskets_not_customers(self) -> None:
        # given u1 bought A and B together, then C alone; u2 bought A and C together
        log = log_of(
            [("u1", "A", 9, P, "o1"), ("u1", "B", 9, P, "o1"), ("u1", "C", 2, P, "o2"),
             ("u2", "A", 3, P, "o3"), ("u2", "C", 3, P, "o3")]
        )  # fmt: skip

        found = neighbours(log, cosine_neighbours(basket_item_matrix(log), k=5, shrink=0.0))

        # A in 2 baskets, B in 1, C in 2: A–B 1/√2, A–C 1/2, B–C never together
        assert found == {
            "A": [("B", 0.7071), ("C", 0.5)],
            "B": [("A", 0.7071)],
            "C": [("A", 0.5)],
        }


class TestAlsFoldIn:
    def test_fold_in_solves_the_als_user_equation_for_the_history(self) -> None:
        # given item factors from a fitted model
        rng = np.random.default_rng(3)
        matrix = sp.csr_matrix((rng.random((40, 30)) > 0.8).astype(np.float32))
        als, _users = fit_als(
            matrix, factors=4, regularization=0.1, alpha=2.0, iterations=5, seed=1
        )
        items = np.array([2, 5, 7], dtype=np.intp)
        values = np.array([1.0, 2.0, 0.5], dtype=np.float32)

        # when
        folded = fold_in(als, items, values)

        # then x = (YᵀCY + λI)⁻¹ YᵀCp with C = 1 + (alpha·v − 1) on the history, p = 1 there
        y = als.item_factors.astype(np.float64)
        confidence = np.ones(30)
        confidence[items] = 2.0 * values
        preference = np.zeros(30)
        preference[items] = 1.0
        a = y.T @ (confidence[:, None] * y) + 0.1 * np.eye(4)
        expected = np.linalg.solve(a, y.T @ (confidence * preference))
        assert folded is not None
        assert folded == pytest.approx(expected, rel=1e-4, abs=1e-5)

    def test_an_empty_history_has_no_vector(self) -> None:
        rng = np.random.default_rng(3)
        matrix = sp.csr_matrix((rng.random((10, 8)) > 0.5).astype(np.float32))
        als, _ = fit_als(matrix, factors=2, regularization=0.1, alpha=1.0, iterations=2, seed=1)

        assert fold_in(als, np.zeros(0, np.intp), np.zeros(0, np.float32)) is None


class TestContentSimilarity:
    def test_items_sharing_words_are_neighbours_and_others_are_not(self) -> None:
        documents = [
            "red linen shirt",
            "white linen shirt",
            "blue denim jacket",
            "red linen dress",
        ]

        found = content_neighbours(documents, k=3)

        ranked = {
            i: sorted(found.getrow(i).indices.tolist(), key=lambda j: -found[i, j])
            for i in range(4)
        }
        # the white linen shirt is closest to the red linen shirt, then the red linen dress
        assert ranked == {0: [1, 3], 1: [0, 3], 2: [], 3: [0, 1]}
        assert found[0, 1] == pytest.approx(found[1, 0])
        assert found[1, 0] > found[1, 3] > 0

    def test_no_text_means_no_content_signal(self) -> None:
        assert content_neighbours(["", " ", ""], k=2).nnz == 0
