"""Sentence vectors pooled from their passage's forward pass (real model, synthetic text)."""

from __future__ import annotations

import numpy as np

from citeqa.index.encoders import passage_input
from citeqa.index.onnx import OnnxEncoder

SECTION = "3.2 Synthetic harbour notes"
TEXT = (
    "The cobalt lighthouse of Vardø was repainted in 1911 by the harbour guild. "
    "Grain prices in the river towns doubled after the drought of the following summer. "
    "A new ferry line joined the two islands with three crossings a day."
)


def _spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for sentence in text.split(". "):
        spans.append((start, start + len(sentence)))
        start += len(sentence) + 2
    return spans


def test_each_pooled_sentence_is_nearest_its_own_text_despite_the_section_prefix(built_home, embedder):
    full = passage_input(SECTION, TEXT)
    shift = len(full) - len(TEXT)
    spans = [(a + shift, b + shift) for a, b in _spans(TEXT)]
    own = embedder.encode([full[a:b] for a, b in spans])
    for encoder in (embedder, OnnxEncoder(built_home)):
        passages, (sentences,) = encoder.encode_passages([full], [spans])
        assert sentences.shape == (3, 384)
        np.testing.assert_allclose(np.linalg.norm(sentences, axis=1), 1.0, rtol=1e-5)
        # Pooled vectors carry their passage's context, yet each sentence's own words find it
        # among the three, as a question finds its sentence: spans off by the heading's length
        # would pool the neighbouring sentence's words instead.
        assert list(np.argmax(sentences @ own.T, axis=0)) == [0, 1, 2]
        assert float(passages[0] @ embedder.encode([full])[0]) > 0.999


def test_a_sentence_past_the_models_truncation_takes_the_passages_vector(built_home):
    encoder = OnnxEncoder(built_home)
    long = "Harbour guild minutes of an ordinary meeting. " * 80
    tail = "The ferry line closed."
    text = long + tail
    passages, (sentences,) = encoder.encode_passages([text], [[(0, 44), (len(long), len(text))]])
    assert float(sentences[1] @ passages[0]) > 0.9999
    assert float(sentences[0] @ passages[0]) < 0.999
