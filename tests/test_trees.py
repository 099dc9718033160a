"""The ranker's boosted trees are walked exactly as written: splits, missing values, JSON; and the
shipped weights fit the evidence computed now."""

from __future__ import annotations

import json

import numpy as np

from citeqa.qa import abstain, retrieve
from citeqa.qa.scorer import Scorer
from citeqa.qa.trees import BoostedTrees


def _two_trees() -> BoostedTrees:
    """Tree 0: x0 <= 0.5 (missing left) ? -1 : +1.
    Tree 1: x1 <= 2 (missing right) ? (x0 <= -1 ? 0.1 : 0.2) : 0.3."""
    return BoostedTrees(
        features=["a", "b"],
        baseline=0.5,
        roots=np.array([0, 3]),
        feature=np.array([0, 0, 0, 1, 0, 0, 0, 0]),
        threshold=np.array([0.5, 0, 0, 2.0, -1.0, 0, 0, 0]),
        missing_left=np.array([1, 0, 0, 0, 0, 0, 0, 0], dtype=bool),
        left=np.array([1, 0, 0, 4, 5, 0, 0, 0]),
        right=np.array([2, 0, 0, 7, 6, 0, 0, 0]),
        value=np.array([0, -1.0, 1.0, 0, 0, 0.1, 0.2, 0.3]),
        leaf=np.array([0, 1, 1, 0, 0, 1, 1, 1], dtype=bool),
        depth=2,
    )


def test_each_row_takes_its_own_path_through_every_tree():
    rows = np.array(
        [
            [0.5, 2.0],  # equal to both thresholds: left, then left and x0 > -1
            [-3.0, 0.0],  # left, left, left
            [0.6, 2.1],  # right in both
            [np.nan, 1.0],  # x0 missing goes left in tree 0, and right at tree 1's inner split
            [1.0, np.nan],  # x1 missing goes right in tree 1
        ]
    )
    expected = 0.5 + np.array([-1 + 0.2, -1 + 0.1, 1 + 0.3, -1 + 0.2, 1 + 0.3])
    assert np.allclose(_two_trees().logit(rows), expected)
    assert np.allclose(_two_trees().probability(rows), 1 / (1 + np.exp(-expected)))


def test_trees_survive_a_round_trip_through_json():
    trees = _two_trees()
    again = BoostedTrees.from_dict(json.loads(json.dumps(trees.to_dict())))
    rows = np.random.default_rng(0).normal(size=(50, 2)) * 3
    assert np.array_equal(again.logit(rows), trees.logit(rows))


def test_the_shipped_ranker_is_trees_over_the_retrieval_features():
    from citeqa.qa.retrieve import FEATURES

    ranker = Scorer.load().ranker
    assert ranker.features == list(FEATURES)
    assert len(ranker.roots) > 1 and ranker.leaf[ranker.roots].sum() < len(ranker.roots)
    assert ranker.feature[~ranker.leaf].max() < len(FEATURES)


def test_the_shipped_weights_fit_the_features_computed_now():
    scorer = Scorer.load()
    assert scorer.ranker.features == list(retrieve.FEATURES)
    assert scorer.answerable.features == list(abstain.FEATURES)
    assert 0 < scorer.threshold < 1 and scorer.provenance["command"].startswith("python scripts/fit.py")
    # Weights that extend an earlier fit (``fit.py --extend``) name the fit they extend, and that
    # chain ends at a full fit.
    provenance = scorer.provenance
    while "extends" in provenance:
        assert provenance["command"] == "python scripts/fit.py --extend"
        provenance = provenance["extends"]
    assert provenance["command"] == "python scripts/fit.py"
