"""Gradient-boosted regression trees, applied with numpy alone.

``scripts/fit.py`` fits the passage ranker with scikit-learn's ``HistGradientBoostingClassifier``
and stores its trees here, as flat node arrays in the weights file; asking a question walks them
with a few numpy operations per tree level, so no learning library is imported to answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class BoostedTrees:
    """``logit = baseline + Σ trees``: each tree's nodes in flat arrays, all trees side by side.

    Node ``i`` sends a row left when its value of feature ``feature[i]`` is at most
    ``threshold[i]`` (a missing value goes where ``missing_left[i]`` says), else right; a leaf
    adds ``value[i]``. ``roots`` holds each tree's first node.

    Attributes:
        features: the feature names, in the order of the matrix's columns.
        baseline: the log-odds before any tree.
        roots: the index of each tree's root node.
        feature, threshold, missing_left, left, right, value, leaf: the nodes, one entry each.
        depth: the deepest leaf's depth (how many steps a walk takes).
    """

    features: list[str]
    baseline: float
    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    missing_left: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    leaf: np.ndarray
    depth: int

    @classmethod
    def from_sklearn(cls, model, features: list[str]) -> BoostedTrees:
        """The trees of a fitted binary ``HistGradientBoostingClassifier`` (numerical features).

        Args:
            model: the fitted classifier.
            features: the names of its input columns.
        """
        # scikit-learn keeps the trees in private attributes; scripts/fit.py checks every export
        # against the model's own decision_function, so a change there cannot pass unnoticed.
        nodes, roots, offset = [], [], 0
        for (predictor,) in model._predictors:
            tree = predictor.nodes
            roots.append(offset)
            shifted = tree.copy()
            for side in ("left", "right"):
                shifted[side] = np.where(tree["is_leaf"], 0, tree[side] + offset)
            nodes.append(shifted)
            offset += len(tree)
        every = np.concatenate(nodes)
        return cls(
            list(features),
            float(np.ravel(model._baseline_prediction)[0]),
            np.array(roots, dtype=np.int64),
            every["feature_idx"].astype(np.int64),
            every["num_threshold"].astype(np.float64),
            every["missing_go_to_left"].astype(bool),
            every["left"].astype(np.int64),
            every["right"].astype(np.int64),
            every["value"].astype(np.float64),
            every["is_leaf"].astype(bool),
            int(every["depth"].max()),
        )

    @classmethod
    def from_dict(cls, data: dict) -> BoostedTrees:
        """Read trees as ``to_dict`` writes them."""
        return cls(
            list(data["features"]),
            float(data["baseline"]),
            np.array(data["roots"], dtype=np.int64),
            np.array(data["feature"], dtype=np.int64),
            np.array(data["threshold"], dtype=np.float64),
            np.array(data["missing_left"], dtype=bool),
            np.array(data["left"], dtype=np.int64),
            np.array(data["right"], dtype=np.int64),
            np.array(data["value"], dtype=np.float64),
            np.array(data["leaf"], dtype=bool),
            int(data["depth"]),
        )

    def to_dict(self) -> dict:
        """The JSON form of the trees (thresholds and values exact, as JSON floats)."""
        return {
            "features": self.features,
            "baseline": self.baseline,
            "depth": self.depth,
            "roots": self.roots.tolist(),
            "feature": self.feature.tolist(),
            "threshold": self.threshold.tolist(),
            "missing_left": [int(v) for v in self.missing_left],
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "value": self.value.tolist(),
            "leaf": [int(v) for v in self.leaf],
        }

    def logit(self, matrix: np.ndarray) -> np.ndarray:
        """The log-odds of each row of ``matrix`` (columns in ``features`` order)."""
        matrix = np.asarray(matrix, dtype=np.float64)
        rows = np.arange(len(matrix))[:, None]
        node = np.broadcast_to(self.roots, (len(matrix), len(self.roots))).copy()
        for _ in range(self.depth):
            x = matrix[rows, self.feature[node]]
            go_left = np.where(np.isnan(x), self.missing_left[node], x <= self.threshold[node])
            node = np.where(self.leaf[node], node, np.where(go_left, self.left[node], self.right[node]))
        return self.baseline + self.value[node].sum(axis=1)

    def probability(self, matrix: np.ndarray) -> np.ndarray:
        """The probability of each row of ``matrix``."""
        return 1.0 / (1.0 + np.exp(-self.logit(matrix)))
