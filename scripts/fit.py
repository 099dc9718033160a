"""Refit citeqa's ranker and answerability model, and choose the abstention threshold.

Usage:
    python scripts/fit.py            # writes qa/data/scorer.json and prints the dev curve
    python scripts/fit.py --check    # the shipped weights' dev curve on today's evidence
    python scripts/fit.py --extend   # weigh only evidence new to the shipped model, keep the rest
    python scripts/fit.py --answerability   # keep the shipped ranker, refit the rest
    python scripts/fit.py --blind DIR ...   # train on blind runs as well (``datasets.blind_run``)

Reproducible: fixed data, fixed splits (``datasets.SQUAD_SPLITS``, ``datasets.ARTICLE_SPLITS``),
deterministic learners (scikit-learn's gradient-boosted trees with a fixed seed, lbfgs logistic
regression). Development only; it reads ``../shared/data``.

- Ranker (P(a passage holds the answer), gradient-boosted trees): every candidate passage of the
  answerable training questions, labelled by whether a gold string occurs in it. Training questions: the 8 SQuAD
  training articles, each as its own library and all 8 in one library (sources then compete);
  in the mixed library a third of the questions name their source by its title, as analysts do.
  The article's ``dev`` and ``test`` splits. With ``--blind``, blind runs written here on real news
  texts (``datasets.blind_run``), the kind of library and question the tool is used on most.
- Answerability (P(the best passages answer)): the same questions, answerable or not, plus
  questions of one training article asked of another article's library (the library does not
  hold their source).
- Threshold: on the dev data (SQuAD dev articles, real-sources-dev, the article's holdout, fresh
  and blind splits), the highest threshold that refuses at most ``MAX_REFUSED`` of the answerable
  questions of every dev set.
"""

from __future__ import annotations

import argparse
import datetime
import random
import subprocess
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import datasets
import numpy as np
from datasets import first_hit

from citeqa.index.embed import Embedder
from citeqa.qa import abstain, retrieve
from citeqa.qa.answer import Asker, similarity
from citeqa.qa.scorer import WEIGHTS_FILE, LogisticModel, Scorer
from citeqa.qa.trees import BoostedTrees

#: The most answerable questions of any one dev set the threshold may refuse: issue 10's
#: strictest refusal target (2 % on encyclopaedia paragraphs, where every question is answerable).
MAX_REFUSED = 0.02
#: Ways analysts name a source by its title, for the mixed training library.
NAMING = ("According to the {title} article, {q}", "In the source on {title}: {q}", "{q} (from the {title} text)")


def gather(asker: Asker, items: list[dict]) -> list[tuple[dict, retrieve.Question, list[retrieve.Scored]]]:
    """Each question with its analysis and every candidate passage (fusion order)."""
    questions = asker.analyse([i["question"] for i in items])
    # Hybrid candidates (a named source's passages join them) in fusion order: no ranker yet.
    return [
        (item, q, retrieve.retrieve(asker.store, asker.index, q, None, "hybrid", None, asker.matcher))
        for item, q in zip(items, questions, strict=True)
    ]


def training_data(blind: Sequence[Path] = (), seed: int = 0) -> tuple[list, dict[str, list]]:
    """(training rows, dev rows by set) as ``(item, question, candidates, asker)``; ``blind``:
    folders of blind runs to train on as well (``datasets.blind_run``)."""
    rng = random.Random(seed)
    train, dev = [], {}

    def run(library, items, into):
        with Asker(library, scorer=None) as asker:
            into.extend((i, q, c, asker.matcher) for i, q, c in gather(asker, items))

    titles = datasets.SQUAD_SPLITS["train"]
    for n, title in enumerate(titles):
        library = datasets.squad_library([title], f"squad-{title}")
        run(library, datasets.squad_questions(title), train)
        # Questions whose source is another article: this library does not answer them.
        other = titles[(n + 1) % len(titles)]
        foreign = [dict(i, answers=[], set="foreign") for i in datasets.squad_questions(other) if i["answers"]]
        run(library, rng.sample(foreign, min(60, len(foreign))), train)
    mixed = []
    for title in titles:
        for item in rng.sample(datasets.squad_questions(title), 120):
            if rng.random() < 1 / 3:
                template = rng.choice(NAMING)
                item = dict(item, question=template.format(title=title.replace("_", " "), q=item["question"]))
            mixed.append(item)
    run(datasets.squad_library(titles, "squad-mix"), mixed, train)
    run(datasets.article_library(), datasets.article_questions(datasets.ARTICLE_SPLITS["train"]), train)
    for folder in blind:
        run(*datasets.blind_run(folder), train)

    for title in datasets.SQUAD_SPLITS["dev"]:
        run(
            datasets.squad_library([title], f"squad-{title}"),
            datasets.squad_questions(title),
            dev.setdefault(f"squad:{title}", []),
        )
    run(datasets.real_library(), datasets.real_questions(), dev.setdefault("real-dev", []))
    run(
        datasets.article_library(),
        datasets.article_questions(datasets.ARTICLE_SPLITS["dev"]),
        dev.setdefault("article-dev", []),
    )
    return train, dev


def standardiser(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each feature's mean and scale: its standard deviation, but at least a tenth of its range.

    A feature that is almost always 0 (an edition conflict: 0.04 % of training passages) has a
    tiny deviation, and standardising by it lets a handful of rows give it an extreme weight under
    the same L2 penalty: unfloored, one conflict outweighed everything else a passage had, and a
    passage about the second summit fell below unrelated text for "the fifth summit".
    """
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.maximum(scale, 0.1 * (x.max(axis=0) - x.min(axis=0)))
    scale[scale == 0] = 1.0
    return mean, scale


def fit_logistic(
    x: np.ndarray, y: np.ndarray, names: list[str], weights: np.ndarray | None = None, c: float = 1.0
) -> LogisticModel:
    """A standardised L2 logistic regression with penalty ``1 / c``."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = standardiser(x)
    model = LogisticRegression(max_iter=3000, C=c).fit((x - mean) / scale, y, sample_weight=weights)
    return LogisticModel(names, mean, scale, model.coef_[0], float(model.intercept_[0]))


#: The ranker's trees: shallow, slowly learnt and with large leaves, so that they bend a linear
#: order only where the data is plentiful. Chosen on the dev sets' recall@1 among six settings
#: (depth 2 to 6, 100 to 300 rounds), before any test set was run with trees. Rounds stop when a
#: tenth of the rows, held out, stops improving (scikit-learn's default for this much data, made
#: explicit): 85 of the 300 are fitted.
TREES = {
    "max_depth": 2,
    "max_iter": 300,
    "learning_rate": 0.05,
    "min_samples_leaf": 100,
    "l2_regularization": 1.0,
    "early_stopping": True,
}


def extend_logistic(
    shipped: LogisticModel, x: np.ndarray, y: np.ndarray, names: list[str], weights: np.ndarray
) -> LogisticModel:
    """``shipped`` with weights for the features it lacks, fitted with its log-odds held fixed
    (an offset) by an L2-penalised logistic regression (penalty half the squared weights, as
    scikit-learn's at ``C`` = 1, but on the new features as they are: 0/1 evidence needs no
    standardising), and folded into one model over ``names``.

    Where the new evidence is 0, the model decides exactly as ``shipped``. A full refit moves
    every weight with today's data: at bfdd26a it weighed an edition conflict less and answered
    two more real-source questions about another edition of a meeting (real-blind 5 to 3 of 15
    abstained)."""
    from scipy.optimize import minimize

    old = [names.index(name) for name in shipped.features if name in names]
    if len(old) < len(shipped.features):
        raise SystemExit("fit.py --extend: the shipped model weighs a feature qa.abstain.FEATURES no longer has")
    new = [i for i, name in enumerate(names) if name not in shipped.features]
    if not new:
        raise SystemExit(
            "fit.py --extend: the shipped model already weighs every feature (restore the weights it extends)"
        )
    offset, z = shipped.logit(x[:, old]).astype(np.float64), x[:, new].astype(np.float64)

    def loss(b: np.ndarray) -> tuple[float, np.ndarray]:
        t = offset + z @ b
        p = 1.0 / (1.0 + np.exp(-t))
        value = np.sum(weights * (np.logaddexp(0.0, t) - y * t)) + 0.5 * b @ b
        return value, z.T @ (weights * (p - y)) + b

    fitted = minimize(loss, np.zeros(len(new)), jac=True, method="L-BFGS-B").x
    mean, scale, coef = np.zeros(len(names)), np.ones(len(names)), np.zeros(len(names))
    mean[old], scale[old], coef[old] = shipped.mean, shipped.scale, shipped.coef
    coef[new] = fitted
    return LogisticModel(names, mean, scale, coef, shipped.intercept)


def fit_ranker(rows) -> BoostedTrees:
    """Gradient-boosted trees giving P(a passage holds the answer), fitted on every candidate of
    each answerable question whose answer is among its candidates, labelled by whether a gold
    string occurs in it, each kind of data weighted alike (see ``_domain``). Questions whose
    answer was not retrieved are not among them, so the probability runs high: it orders
    passages, and the answerability model decides.

    Trees replaced a pairwise linear ranker over the same features: in the same data, they put
    the answer first more often on three of the four dev sets (the README's evaluation gives
    the end-to-end change on every set)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    matrices, labels, domains = [], [], []
    for item, _, candidates, _ in rows:
        if not item["answers"] or not candidates:
            continue
        hits = np.array([first_hit([c.chunk.text], item["answers"]) is not None for c in candidates])
        if hits.any() and not hits.all():
            matrices.append(np.vstack([c.features for c in candidates]))
            labels.append(hits)
            domains += [_domain(item["set"])] * len(candidates)
    if not matrices:
        raise SystemExit("fit.py: no training question has its answer among the candidates")
    x, y = np.vstack(matrices), np.concatenate(labels)
    weights = balanced(domains)
    model = HistGradientBoostingClassifier(**TREES, random_state=0).fit(x, y, sample_weight=weights)
    trees = BoostedTrees.from_sklearn(model, list(retrieve.FEATURES))
    # The trees as shipped must score exactly as scikit-learn does.
    assert np.allclose(trees.logit(x), model.decision_function(x)), "exported trees disagree with scikit-learn"
    return trees


def reranked(rows, ranker: BoostedTrees) -> list:
    """Rows with candidates re-ordered by ``ranker`` and scored with its probability."""
    out = []
    for item, question, candidates, matcher in rows:
        if candidates:
            probabilities = ranker.probability(np.vstack([c.features for c in candidates]))
            for c, p in zip(candidates, probabilities, strict=True):
                c.score = float(p)
            candidates = sorted(candidates, key=lambda c: c.score, reverse=True)
        out.append((item, question, candidates, matcher))
    return out


def answer_rows(rows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Question evidence rows (see ``qa.abstain.FEATURES``), answerable labels, and weights that
    give each kind of data (see ``_domain``) the same total weight."""
    xs, ys, domains = [], [], []
    similar = partial(similarity, Embedder().encode)
    for item, question, candidates, matcher in rows:
        if candidates:
            xs.append(abstain.evidence(question, abstain.weighed(question, candidates), matcher, similar)[0])
            ys.append(bool(item["answers"]))
            domains.append(_domain(item["set"]))
    return np.vstack(xs), np.array(ys), balanced(domains)


def balanced(domains: list[str]) -> np.ndarray:
    """A weight per row that gives each kind of data (see ``_domain``) the same total weight."""
    counts = {d: domains.count(d) for d in set(domains)}
    return np.array([len(domains) / (len(counts) * counts[d]) for d in domains])


def _domain(name: str) -> str:
    """The kind of data a set is: encyclopaedia questions (SQuAD's own, answerable or written to
    look answerable), questions from another source, questions on the bundled article, or (with
    ``--blind``) a blind run's questions on real news texts. Each is weighted alike, so the few
    article questions, whose unanswerable ones probe editions, counts and kinds of answer, are not
    drowned by thousands of SQuAD questions."""
    return name.split(":")[0]


def choose_threshold(model: LogisticModel, dev: dict[str, list]) -> tuple[float, list[str]]:
    """The highest threshold refusing at most ``MAX_REFUSED`` of every dev set's answerable
    questions, and the dev curve as printable lines."""
    per_set = {name: answer_rows(rows) for name, rows in dev.items()}
    probabilities = {name: model.probability(x) for name, (x, _, _) in per_set.items()}
    lines, chosen = [], 0.0
    for threshold in np.round(np.arange(0.02, 0.9, 0.02), 2):
        cells, ok = [], True
        for name, (_, y, _) in per_set.items():
            p = probabilities[name]
            refused = float(np.mean(p[y] < threshold)) if y.any() else 0.0
            caught = float(np.mean(p[~y] < threshold)) if (~y).any() else float("nan")
            ok &= refused <= MAX_REFUSED
            cells.append(f"{name} refused {refused:.3f} abstained {caught:.3f}")
        lines.append(f"{threshold:.2f}  " + "  ".join(cells))
        if ok:
            chosen = float(threshold)
    return chosen, lines


def _provenance(args: argparse.Namespace, shipped: Scorer, rule_threshold: float) -> dict:
    """Where new weights came from: the command, commit, data and threshold rule (and, for what
    they keep of the shipped weights, ``shipped``'s own provenance)."""
    # "-dirty" when the weights come from code not yet committed (the commit that ships them).
    describe = ["git", "describe", "--always", "--dirty", "--abbrev=7"]
    commit = subprocess.run(describe, capture_output=True, text=True).stdout.strip()
    flags = [f"--{f}" for f in ("extend", "answerability") if getattr(args, f)]
    runs = [str(folder) for folder in args.blind]
    blind = f"; the blind runs {', '.join(runs)}" if runs else ""
    provenance = {
        "command": " ".join(["python scripts/fit.py", *flags, *(["--blind", *runs] if runs else [])]),
        "commit": commit,
        "date": datetime.date.today().isoformat(),
        # The ranker is fitted on the blind runs too unless it is kept (below).
        "ranker_data": "SQuAD 2.0 dev articles "
        + ", ".join(datasets.SQUAD_SPLITS["train"])
        + " (per-article libraries and one mixed library); the bundled article's dev and test questions"
        + blind,
        "answerable_data": "the same questions, answerable and not, and 60 questions per article asked of another "
        "article's library" + blind,
        "threshold_data": "SQuAD dev articles "
        + ", ".join(datasets.SQUAD_SPLITS["dev"])
        + "; real-sources-dev; the article's holdout, fresh and blind questions",
        "threshold_rule": f"highest threshold refusing at most {MAX_REFUSED:.0%} of each dev set's answerable questions",
    }
    if args.extend:
        # The weights kept come from an earlier fit: name it, and what it was fitted on.
        provenance["threshold_rule"] = f"kept from the weights extended (the rule would choose {rule_threshold})"
        provenance["extends"] = shipped.provenance
        provenance["ranker_data"] = "kept from the weights extended"
    if args.answerability:
        provenance["ranker_data"] = "kept from the shipped weights (their provenance: ranker_from)"
        provenance["ranker_from"] = shipped.provenance
    return provenance


def _arguments() -> argparse.Namespace:
    """The command line's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(WEIGHTS_FILE), help="where to write the weights")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check", action="store_true", help="print the shipped weights' dev curve on today's evidence; fit nothing"
    )
    mode.add_argument(
        "--extend",
        action="store_true",
        help="keep the shipped ranker, answerability weights and threshold; fit only the weights of evidence new "
        "to qa.abstain.FEATURES",
    )
    mode.add_argument(
        "--answerability",
        action="store_true",
        help="keep the shipped ranker; refit the answerability model on its order and choose the threshold",
    )
    parser.add_argument(
        "--blind",
        nargs="+",
        type=Path,
        default=[],
        metavar="DIR",
        help="blind runs to train on as well: folders of manifest.jsonl, its texts and questions.jsonl",
    )
    return parser.parse_args()


def main() -> int:
    """Fit both models (or what the options say), choose the threshold, write the weights file."""
    args = _arguments()
    train, dev = training_data(args.blind)
    shipped = Scorer.load()
    if args.check:
        # A refit is shipped only if it does better on the dev sets than the weights it replaces.
        threshold, curve = choose_threshold(
            shipped.answerable, {n: reranked(r, shipped.ranker) for n, r in dev.items()}
        )
        print("\n".join(curve))
        print(f"threshold by the rule: {threshold} (shipped: {shipped.threshold})")
        return 0
    ranker = shipped.ranker if args.extend or args.answerability else fit_ranker(train)
    print(f"ranker: {len(ranker.roots)} trees, {len(ranker.value)} nodes")

    x, y, weights = answer_rows(reranked(train, ranker))
    if args.extend:
        answerable = extend_logistic(shipped.answerable, x, y, list(abstain.FEATURES), weights)
    else:
        answerable = fit_logistic(x, y, list(abstain.FEATURES), weights)
    print(f"answerability: {len(y)} questions, {int(y.sum())} answerable")
    for name, w in zip(answerable.features, answerable.coef, strict=True):
        print(f"  {name:<14}{w:+.3f}")

    dev = {name: reranked(rows, ranker) for name, rows in dev.items()}
    rule_threshold, curve = choose_threshold(answerable, dev)
    print("\n".join(curve))
    print(f"threshold by the rule: {rule_threshold}")
    # Extending keeps what it extends whole: the new evidence joins it at its threshold.
    threshold = shipped.threshold if args.extend else rule_threshold
    if args.extend:
        print(f"threshold kept: {threshold}")
    Scorer(ranker, answerable, threshold, _provenance(args, shipped, rule_threshold)).save(Path(args.out))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
