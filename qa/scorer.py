"""The learned part of answering: a passage ranker and a calibrated answerability model.

The ranker is gradient-boosted trees (``qa.trees``), the answerability model a logistic
regression over standardised features; both are fitted by ``scripts/fit.py`` on data that is
not evaluated on (see the provenance stored beside the weights). Applying them needs only numpy,
so asking a question loads no learning library.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from citeqa.qa.trees import BoostedTrees

#: The fitted weights, shipped in the package.
WEIGHTS_FILE = Path(__file__).parent / "data" / "scorer.json"


@dataclass
class LogisticModel:
    """``p = sigmoid(coef · (x - mean) / scale + intercept)`` over named features."""

    features: list[str]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    @classmethod
    def from_dict(cls, data: dict) -> LogisticModel:
        """Read a model as ``to_dict`` writes it."""
        return cls(
            list(data["features"]),
            np.array(data["mean"], dtype=np.float32),
            np.array(data["scale"], dtype=np.float32),
            np.array(data["coef"], dtype=np.float32),
            float(data["intercept"]),
        )

    def to_dict(self) -> dict:
        """The JSON form of the model."""
        return {
            "features": self.features,
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(self.intercept, 6),
        }

    def logit(self, matrix: np.ndarray) -> np.ndarray:
        """The log-odds of each row of ``matrix`` (columns in ``features`` order)."""
        return ((matrix - self.mean) / self.scale) @ self.coef + self.intercept

    def probability(self, matrix: np.ndarray) -> np.ndarray:
        """The probability of each row of ``matrix``."""
        return 1.0 / (1.0 + np.exp(-self.logit(matrix)))


@dataclass
class Scorer:
    """The ranker, the answerability model and the threshold below which citeqa abstains.

    Attributes:
        ranker: P(a passage holds the answer), over ``qa.retrieve.FEATURES``.
        answerable: P(the best passages answer the question), over ``qa.abstain.FEATURES``.
        threshold: abstain when ``answerable`` is below it (chosen on a dev precision/recall curve).
        provenance: the data, commit and command the weights came from.
    """

    ranker: BoostedTrees
    answerable: LogisticModel
    threshold: float
    provenance: dict

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> Scorer:
        """Read the weights file."""
        data = json.loads(Path(path).read_text())
        return cls(
            BoostedTrees.from_dict(data["ranker"]),
            LogisticModel.from_dict(data["answerable"]),
            float(data["threshold"]),
            data.get("provenance", {}),
        )

    def save(self, path: Path = WEIGHTS_FILE) -> None:
        """Write the weights file (``scripts/fit.py`` does)."""
        data = {
            "ranker": self.ranker.to_dict(),
            "answerable": self.answerable.to_dict(),
            "threshold": round(self.threshold, 4),
            "provenance": self.provenance,
        }
        Path(path).write_text(json.dumps(data, indent=1) + "\n")

    def rank(self, matrix: np.ndarray) -> np.ndarray:
        """The ranker's probability for each candidate row."""
        return self.ranker.probability(matrix)
