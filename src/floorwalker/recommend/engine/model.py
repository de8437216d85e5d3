"""A trained recommender: every array serving needs, saved as one versioned directory.

A version directory holds `manifest.json` (format, parameters, blend weights, counts) and
`arrays.npz` (item keys, popularity, neighbours, factors, facets). It contains no per-customer
data: personal signals come from the shopper's history at request time.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from floorwalker.recommend.engine.catalog import ItemCatalog
from floorwalker.recommend.engine.components import AlsFactors
from floorwalker.recommend.engine.data import FloatArray, KeyArray

FORMAT = "floorwalker-recommender/1"

#: The features the blend weighs, in order (see engine.scoring for their definitions).
FEATURES = ("repeat", "last_bought", "repeat_share", "repeat_propensity", "als", "also_bought",
            "bought_with", "content", "session", "popularity", "preference")  # fmt: skip

#: Blend weights used until a store has enough history to learn its own (a hand-set start).
DEFAULT_WEIGHTS = {
    "repeat": 1.0,
    "last_bought": 1.0,
    "repeat_share": 1.0,
    "repeat_propensity": 2.0,
    "als": 2.0,
    "also_bought": 4.0,
    "bought_with": 1.0,
    "content": 1.0,
    "session": 3.0,
    "popularity": 0.5,
    "preference": 1.5,
}


DEFAULT_REPURCHASE_THRESHOLD = 0.1


@dataclass(frozen=True, slots=True)
class Params:
    """Everything that shapes a model; recorded in its manifest."""

    popularity_half_life_days: float = 30.0
    repeat_half_life_days: float = 120.0
    history_half_life_days: float = 90.0
    also_bought_k: int = 100
    bought_with_k: int = 50
    content_k: int = 30
    cooccurrence_shrink: float = 10.0
    als_factors: int = 64
    als_regularization: float = 0.05
    als_alpha: float = 10.0
    als_iterations: int = 15
    repurchase_prior: float = 5.0
    #: A purchase this recent is not recommended again unless the item is re-bought often.
    recent_purchase_days: float = 30.0
    #: "Re-bought often": repurchase propensity at or above this. None: learned on the
    #: validation period (THRESHOLDS in engine.blend), or 0.1 when there is too little data.
    repurchase_threshold: float | None = None
    #: At most this share of a list from one category (for surfaces that diversify).
    max_category_share: float = 0.4
    #: Learn blend weights on a validation period carved from the end of the training data.
    learn_weights: bool = True
    validation_days: float = 30.0
    seed: int = 7

    @property
    def threshold(self) -> float:
        """The repurchase threshold in force (0.1 until learned or set)."""
        return (
            DEFAULT_REPURCHASE_THRESHOLD
            if self.repurchase_threshold is None
            else (self.repurchase_threshold)
        )

    def to_dict(self) -> dict[str, Any]:
        """The parameters as JSON-ready values."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Params:
        """Parameters from a manifest (unknown keys ignored, missing ones defaulted)."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(slots=True)
class RecommenderModel:
    """Item-level arrays of a trained model, plus its blend weights and metadata."""

    catalog: ItemCatalog
    popularity: FloatArray
    buyers: FloatArray
    repurchase: FloatArray
    also_bought: sp.csr_matrix
    bought_with: sp.csr_matrix
    content: sp.csr_matrix
    als: AlsFactors | None
    weights: dict[str, float]
    params: Params
    trained_at: int
    data_until: int
    info: dict[str, Any] = field(default_factory=dict)
    #: Weights for discovery lists (only products the shopper never bought); None: `weights`.
    discovery_weights: dict[str, float] | None = None
    # derived at load: key → index, normalised factors, log-popularity in [0, 1]
    index: dict[str, int] = field(init=False)
    popularity_unit: FloatArray = field(init=False)
    factors_unit: FloatArray | None = field(init=False)

    def __post_init__(self) -> None:
        self.index = {key: i for i, key in enumerate(self.catalog.keys.tolist())}
        top = float(self.popularity.max()) if self.popularity.size else 0.0
        self.popularity_unit = (
            (np.log1p(self.popularity) / np.log1p(top)).astype(np.float32)
            if top > 0
            else np.zeros_like(self.popularity)
        )
        if self.als is not None:
            norms = np.linalg.norm(self.als.item_factors, axis=1, keepdims=True)
            self.factors_unit = (self.als.item_factors / np.maximum(norms, 1e-9)).astype(np.float32)
        else:
            self.factors_unit = None

    @property
    def n_items(self) -> int:
        """Number of items the model knows."""
        return len(self.catalog)

    @property
    def keys(self) -> KeyArray:
        """Item keys in index order."""
        return self.catalog.keys

    def weight_vector(self, *, discovery: bool = False) -> FloatArray:
        """The blend weights in FEATURES order (those of discovery lists if asked)."""
        weights = (self.discovery_weights or self.weights) if discovery else self.weights
        return np.asarray([weights.get(f, 0.0) for f in FEATURES], dtype=np.float32)

    # ------------------------------------------------------------------ persistence

    def save(self, directory: Path) -> None:
        """Write the model into `directory` (created; must not exist yet)."""
        directory.mkdir(parents=True, exist_ok=False)
        arrays: dict[str, npt.NDArray[Any]] = {
            "keys": self.catalog.keys,
            "titles": np.asarray(self.catalog.titles, dtype=np.str_),
            "category": self.catalog.category,
            "category_names": np.asarray(self.catalog.category_names, dtype=np.str_),
            "brand": self.catalog.brand,
            "brand_names": np.asarray(self.catalog.brand_names, dtype=np.str_),
            "price": self.catalog.price,
            "facet_names": np.asarray(self.catalog.facet_names, dtype=np.str_),
            "popularity": self.popularity,
            "buyers": self.buyers,
            "repurchase": self.repurchase,
        }
        for name, matrix in (
            ("facets", self.catalog.facets),
            ("also_bought", self.also_bought),
            ("bought_with", self.bought_with),
            ("content", self.content),
        ):
            csr = matrix.tocsr()
            arrays[f"{name}_data"] = csr.data.astype(np.float32)
            arrays[f"{name}_indices"] = csr.indices.astype(np.int32)
            arrays[f"{name}_indptr"] = csr.indptr.astype(np.int64)
            arrays[f"{name}_shape"] = np.asarray(csr.shape, dtype=np.int64)
        if self.als is not None:
            arrays["als_item_factors"] = self.als.item_factors
            arrays["als_gram"] = self.als.gram
        with (directory / "arrays.npz").open("wb") as fh:
            save_arrays: Any = np.savez  # numpy's stub reads **arrays as its own keywords
            save_arrays(fh, **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        manifest = {
            "format": FORMAT,
            "trained_at": self.trained_at,
            "data_until": self.data_until,
            "params": self.params.to_dict(),
            "weights": self.weights,
            "discovery_weights": self.discovery_weights,
            "als": None
            if self.als is None
            else {"alpha": self.als.alpha, "regularization": self.als.regularization},
            "items": self.n_items,
            "info": self.info,
        }
        (directory / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))

    @classmethod
    def load(cls, directory: Path) -> RecommenderModel:
        """Read a model written by `save`; raises ValueError on a missing or foreign format."""
        manifest_path = directory / "manifest.json"
        if not manifest_path.is_file():
            raise ValueError(f"{directory} has no manifest.json")
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("format") != FORMAT:
            raise ValueError(f"{directory} is not a {FORMAT} model")
        with np.load(directory / "arrays.npz", allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}

        def csr(name: str) -> sp.csr_matrix:
            shape = tuple(int(x) for x in arrays[f"{name}_shape"])
            return sp.csr_matrix(
                (arrays[f"{name}_data"], arrays[f"{name}_indices"], arrays[f"{name}_indptr"]),
                shape=shape,
            )

        catalog = ItemCatalog(
            keys=arrays["keys"],
            titles=arrays["titles"].tolist(),
            documents=[],
            category=arrays["category"],
            category_names=arrays["category_names"].tolist(),
            brand=arrays["brand"],
            brand_names=arrays["brand_names"].tolist(),
            price=arrays["price"],
            facets=csr("facets"),
            facet_names=arrays["facet_names"].tolist(),
        )
        als = None
        if manifest.get("als") is not None:
            als = AlsFactors(
                item_factors=arrays["als_item_factors"],
                gram=arrays["als_gram"],
                alpha=float(manifest["als"]["alpha"]),
                regularization=float(manifest["als"]["regularization"]),
            )
        n = catalog.keys.shape[0]
        for name in ("popularity", "buyers", "repurchase"):
            if arrays[name].shape != (n,):
                raise ValueError(f"{directory}: {name} does not match the item count")
        return cls(
            catalog=catalog,
            popularity=arrays["popularity"],
            buyers=arrays["buyers"],
            repurchase=arrays["repurchase"],
            also_bought=csr("also_bought"),
            bought_with=csr("bought_with"),
            content=csr("content"),
            als=als,
            weights={k: float(v) for k, v in manifest["weights"].items()},
            discovery_weights=(
                {k: float(v) for k, v in manifest["discovery_weights"].items()}
                if manifest.get("discovery_weights")
                else None
            ),
            params=Params.from_dict(manifest["params"]),
            trained_at=int(manifest["trained_at"]),
            data_until=int(manifest["data_until"]),
            info=dict(manifest.get("info", {})),
        )
