"""Would a richer answerability model abstain more? Four model families, one run, same data.

Usage:
    python scripts/abstain_ablation.py          # about 8 minutes on 2 cores

Issue 10 asks for >= 25 % of SQuAD 2.0's unanswerable questions abstained at <= 5 % of the
answerable ones refused. The shipped model (a logistic regression over ``qa.abstain.FEATURES``)
falls short, so this measures whether a stronger learner or more evidence from the bundled model
would close the gap, before any of it goes into the product:

* ``logistic``: the shipped model family, fitted as ``scripts/fit.py`` fits it;
* ``boosting``: gradient-boosted trees (depth 3, 200 rounds) on the same features;
* ``+ max-sim``: the features plus token-level alignment: for each content token of the
  question, its best cosine with any token of the best passage (contextual MiniLM states; mean,
  minimum, 20th percentile, share below 0.6);
* ``+ pair``: the features plus the bundled bi-encoder run on the question and the best passage
  as one input (``[CLS] q [SEP] p [SEP]``): its [CLS] state and the mean states of each side,
  1,152 numbers, in a logistic regression with a stronger penalty (C = 0.1);
* ``+ news without their source``: the shipped model family, with more unanswerable training
  questions of the kind real-source libraries meet: ``real-sources-dev``'s own questions asked
  of the collection without their source (``datasets.real_fold``, five folds), weighted as a
  fourth kind of data.

Training and dev data are ``scripts/fit.py``'s. Printed per dev set: the share of unanswerable
questions abstained at the threshold ``fit.py``'s rule would choose (at most ``MAX_REFUSED`` of
every dev set's answerable refused), and at that set's own threshold refusing at most 5 %.
Development only: it reads ``../shared/data``.
"""

from __future__ import annotations

import numpy as np
from fit import MAX_REFUSED, answer_rows, fit_logistic, fit_ranker, gather, reranked, training_data

from citeqa.index import onnx
from citeqa.qa.answer import Asker

#: Question tokens that carry no content, left out of the alignment features.
_FUNCTION_WORDS = frozenset(
    "the a an of in on at to for from by with and or is was were are be been what which who whom whose "
    "when where why how did does do has have had that this these those it its as than into about".split()
)
#: The refusal rate each set's own threshold is held to.
OWN_REFUSED = 0.05


def _states(encoder: onnx.OnnxEncoder, first: list[str], second: list[str] | None = None):
    """Token states (unit rows) and encodings of texts, or of text pairs, in batches of 16.

    Reads the encoder's tokenizer and session directly: the product never encodes pairs.
    """
    out = []
    for start in range(0, len(first), 16):
        batch = first[start : start + 16]
        pairs = second[start : start + 16] if second else None
        encodings = [
            encoder.tokenizer.encode(a, b) if pairs else encoder.tokenizer.encode(a)
            for a, b in zip(batch, pairs or batch, strict=True)
        ]
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask, types = np.zeros_like(ids), np.zeros_like(ids)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)], mask[row, : len(e.ids)], types[row, : len(e.ids)] = e.ids, 1, e.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        if encoder.words is not None:
            feed["inputs_embeds"] = np.asarray(encoder.words[ids], dtype=np.float32)
        hidden = encoder.session.run(None, {k: v for k, v in feed.items() if k in encoder.inputs})[0]
        for row, e in enumerate(encodings):
            states = hidden[row, : len(e.ids)]
            out.append((states / np.linalg.norm(states, axis=1, keepdims=True), e))
    return out


def max_sim(encoder, questions: list[str], passages: list[str]) -> np.ndarray:
    """Token alignment between each question and its best passage (see the module docstring)."""
    rows = []
    for (q, qe), (p, pe) in zip(_states(encoder, questions), _states(encoder, passages), strict=True):
        keep = [
            i
            for i, (t, special) in enumerate(zip(qe.tokens, qe.special_tokens_mask, strict=True))
            if not special and t.strip("#").isalnum() and t.lower() not in _FUNCTION_WORDS
        ]
        other = [i for i, special in enumerate(pe.special_tokens_mask) if not special]
        if not keep or not other:
            rows.append([1.0, 1.0, 1.0, 0.0])
            continue
        best = (q[keep] @ p[other].T).max(axis=1)
        rows.append([best.mean(), best.min(), np.percentile(best, 20), float((best < 0.6).mean())])
    return np.array(rows)


def pair(encoder, questions: list[str], passages: list[str]) -> np.ndarray:
    """The bi-encoder's states over question and passage read as one input."""
    rows = []
    for states, e in _states(encoder, questions, passages):
        sides = np.array([-1 if s is None else s for s in e.sequence_ids])
        rows.append(np.concatenate([states[0], states[sides == 0].mean(axis=0), states[sides == 1].mean(axis=0)]))
    return np.array(rows)


def blocks(rows, encoder) -> dict[str, np.ndarray]:
    """Each kind of evidence for the rows that have candidates, and their labels and weights."""
    rows = [r for r in rows if r[2]]
    x, y, weights = answer_rows(rows)
    questions = [question.text for _, question, _, _ in rows]
    passages = [candidates[0].chunk.text for _, _, candidates, _ in rows]
    return {
        "x": x,
        "y": y,
        "w": weights,
        "max_sim": max_sim(encoder, questions, passages),
        "pair": pair(encoder, questions, passages),
    }


class _Trees:
    """Gradient-boosted trees with the ``probability`` method a ``LogisticModel`` has."""

    def __init__(self, x, y, weights):
        from sklearn.ensemble import HistGradientBoostingClassifier

        self.model = HistGradientBoostingClassifier(max_depth=3, max_iter=200, learning_rate=0.05, random_state=0)
        self.model.fit(x, y, sample_weight=weights)

    def probability(self, x):
        """P(answerable) for each row of ``x``."""
        return self.model.predict_proba(x)[:, 1]


def report(name: str, model, dev: dict[str, dict], columns) -> None:
    """Print the abstention at ``fit.py``'s threshold rule and at each set's own 5 % threshold."""
    threshold = _shared_threshold(model, dev, columns)
    print(f"{name}  (threshold by fit.py's rule: {threshold:.2f})")
    for set_name, data in dev.items():
        p, y = model.probability(columns(data)), data["y"]
        refused = float(np.mean(p[y] < threshold))
        caught = float(np.mean(p[~y] < threshold)) if (~y).any() else float("nan")
        own = max((t for t in np.arange(0.01, 0.95, 0.01) if np.mean(p[y] < t) <= OWN_REFUSED), default=0.0)
        at_own = float(np.mean(p[~y] < own)) if (~y).any() else float("nan")
        print(
            f"  {set_name:<22} refused {refused:.3f}  abstained {caught:.3f}   "
            f"own {OWN_REFUSED:.0%} threshold: abstained {at_own:.3f}"
        )


def _shared_threshold(model, dev, columns) -> float:
    """``fit.choose_threshold``'s rule for any model: the highest threshold refusing at most ``MAX_REFUSED``
    of every dev set's answerable questions."""
    chosen = 0.0
    for threshold in np.round(np.arange(0.02, 0.9, 0.01), 2):
        if all(np.mean(model.probability(columns(d))[d["y"]] < threshold) <= MAX_REFUSED for d in dev.values()):
            chosen = float(threshold)
    return chosen


def shipped(data: dict) -> np.ndarray:
    """The shipped features of a block."""
    return data["x"]


def main() -> None:
    """Gather the data once, fit each variant, print each one's dev abstention."""
    import datasets

    train_rows, dev_rows = training_data()
    ranker = fit_ranker(train_rows)
    encoder = onnx.OnnxEncoder(datasets.article_library().home)
    news = []
    for fold in range(datasets.REAL_FOLDS):
        library, items = datasets.real_fold(fold)
        with Asker(library, scorer=None) as asker:
            news.extend((i, q, c, asker.matcher) for i, q, c in gather(asker, items))
    with_news = blocks(reranked(train_rows + news, ranker), encoder)
    train = blocks(reranked(train_rows, ranker), encoder)
    dev = {name: blocks(reranked(rows, ranker), encoder) for name, rows in dev_rows.items()}
    variants = {
        "logistic (shipped)": (shipped, lambda x, y, w: fit_logistic(x, y, [], w)),
        "boosting": (shipped, _Trees),
        "logistic + max-sim": (lambda d: np.hstack([d["x"], d["max_sim"]]), lambda x, y, w: fit_logistic(x, y, [], w)),
        "logistic + pair": (lambda d: np.hstack([d["x"], d["pair"]]), lambda x, y, w: fit_logistic(x, y, [], w, c=0.1)),
    }
    for name, (columns, fit_model) in variants.items():
        report(name, fit_model(columns(train), train["y"], train["w"]), dev, columns)
    report(
        "logistic + news without their source",
        fit_logistic(with_news["x"], with_news["y"], [], with_news["w"]),
        dev,
        shipped,
    )


if __name__ == "__main__":
    main()
