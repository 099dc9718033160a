"""Evaluation and training sets as citeqa libraries, built once and cached.

Development only: the data lives in ``../shared/data`` (see its README), never in the project.

Sets (each a list of ``{"question", "answers", "set", "split"}``; ``answers == []`` means the
library does not answer it):

- ``squad:<Article>``: one SQuAD 2.0 dev article (CC BY-SA 4.0, Rajpurkar, Jia & Liang 2018) as
  a library of its own: its paragraphs, blank-line separated, in one text file titled with the
  article's name. Split by article into ``SQUAD_SPLITS``; answerable and unanswerable questions.
- ``squad-mix``: the training articles together in one library, so that sources compete.
- ``real``: ``real-sources-dev``, 30 real texts with their manifest's metadata; its questions,
  ``scripts/real_blind.jsonl`` (written blind, since read while developing) and
  ``scripts/real_blind2.jsonl`` (written blind, for the final run).
- ``article``: the bundled article alone; ``scripts/questions.jsonl`` and
  ``scripts/article_blind2.jsonl``.
- ``blind:<run>``: a blind run written here on real news texts, kept outside the project
  (``blind_run``); ``fit.py --blind`` may train on them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from citeqa import corpus
from citeqa.index.library import Library, Metadata, doc_id_for

SCRIPTS = Path(__file__).resolve().parent
SHARED = SCRIPTS.parent.parent / "shared" / "data"
SQUAD = SHARED / "squad2-dev-12-articles.json"
REAL = SHARED / "real-sources-dev"
CACHE = Path(os.environ.get("CITEQA_EVAL_CACHE", Path.home() / ".cache" / "citeqa-eval"))

#: SQuAD articles by role, fixed before any fitting: weights are fitted on ``train``, the
#: abstention threshold is chosen on ``dev``, and ``test`` is only ever reported.
SQUAD_SPLITS = {
    "train": [
        "Normans",
        "Computational_complexity_theory",
        "Steam_engine",
        "1973_oil_crisis",
        "European_Union_law",
        "Harvard_University",
        "Yuan_dynasty",
        "Immune_system",
    ],
    "dev": ["Islamism", "Imperialism"],
    "test": ["Warsaw", "French_and_Indian_War"],
}
#: Article question splits by role (``fresh``/``blind``/``holdout`` have been read; ``blind2`` not).
ARTICLE_SPLITS = {"train": ["dev", "test"], "dev": ["holdout", "fresh", "blind"], "test": ["blind2"]}
#: Folds of ``real-sources-dev``'s sources for ``real_fold``.
REAL_FOLDS = 5


def _squad_articles() -> dict[str, dict]:
    return {a["title"]: a for a in json.loads(SQUAD.read_text())["data"]}


def _fresh(home: Path) -> Library:
    """An empty library at ``home``: the bundled article that every new library starts with goes."""
    library = Library(home)
    library.remove(doc_id_for(corpus.BUNDLED_ARTICLE.name))
    return library


def _built(name: str, fill) -> Library:
    """The cached library ``name``, made with ``fill(library, folder)`` on first use and brought up
    to date with the pipeline."""
    home = CACHE / name
    if not (home / "index.db").exists():
        work = CACHE / f"{name}.files"
        work.mkdir(parents=True, exist_ok=True)
        fill(_fresh(home), work)
        home.joinpath("index.db").unlink(missing_ok=True)
    # A no-op when nothing changed; after a pipeline bump it re-reads every source, so that no
    # figure is measured on passages the code no longer makes.
    library = Library(home)
    library.build()
    return library


def squad_library(titles: list[str], name: str) -> Library:
    """A library of the SQuAD articles ``titles``, one text file each titled with its name."""
    articles = _squad_articles()

    def fill(library: Library, work: Path) -> None:
        for title in titles:
            path = work / f"{title}.txt"
            path.write_text("\n\n".join(p["context"].strip() for p in articles[title]["paragraphs"]) + "\n")
            library.add([path], Metadata(title=title.replace("_", " ")))

    return _built(name, fill)


def squad_questions(title: str) -> list[dict]:
    """Every question of one SQuAD article, answerable or not."""
    out = []
    for paragraph in _squad_articles()[title]["paragraphs"]:
        for qa in paragraph["qas"]:
            answers = sorted({a["text"] for a in qa["answers"]}) if not qa.get("is_impossible") else []
            out.append({"question": qa["question"], "answers": answers, "set": f"squad:{title}"})
    return out


def real_library() -> Library:
    """The ``real-sources-dev`` texts with the title, publisher, date and URL of their manifest."""
    return _real("real-sources-dev", _real_manifest())


def _real(name: str, entries: list[dict]) -> Library:
    """The cached library ``name`` of these ``real-sources-dev`` manifest entries, with their metadata."""

    def fill(library: Library, work: Path) -> None:
        for entry in entries:
            meta = Metadata(title=entry["title"], publisher=entry["publisher"], date=entry["date"], url=entry["url"])
            library.add([REAL / "docs" / entry["file"]], meta)

    return _built(name, fill)


def _real_manifest() -> list[dict]:
    return [json.loads(line) for line in (REAL / "manifest.jsonl").read_text().splitlines() if line.strip()]


def real_fold(fold: int, folds: int = REAL_FOLDS) -> tuple[Library, list[dict]]:
    """The ``real-sources-dev`` collection without one fold of its sources, and the collection's
    own answerable questions on that fold's sources, asked of it.

    Training data for abstaining in news-like libraries: the library holds other reports of
    the same dialogues, but not the one the question was written from. A question keeps its
    answers only when another source of the library still holds one of them.

    Args:
        fold: which fold of sources is left out (sources are dealt to folds in manifest order).
        folds: how many folds.

    Returns:
        ``(library, questions)``, each question in set ``real-foreign``.
    """
    entries = _real_manifest()
    left_out = {e["file"] for n, e in enumerate(entries) if n % folds == fold}
    kept = [e for e in entries if e["file"] not in left_out]

    texts = [normalise((REAL / "docs" / e["file"]).read_text()) for e in kept]
    questions = []
    for item in real_questions():
        if item["answers"] and set(item.get("source") or []) <= left_out:
            held = [a for a in item["answers"] if any(normalise(a) in text for text in texts)]
            questions.append({**item, "answers": held, "set": "real-foreign"})
    return _real(f"real-sources-dev-without-{fold}-of-{folds}", kept), questions


#: The real-source question sets: the collection's own, and two written blind for it here.
REAL_QUESTIONS = {
    "real-dev": REAL / "questions.jsonl",
    "real-blind": SCRIPTS / "real_blind.jsonl",
    "real-blind2": SCRIPTS / "real_blind2.jsonl",
}


def real_questions(name: str = "real-dev") -> list[dict]:
    """The real-source questions of set ``name`` (see ``REAL_QUESTIONS``)."""
    return [{**json.loads(line), "set": name} for line in REAL_QUESTIONS[name].read_text().splitlines() if line.strip()]


def blind_run(folder: Path) -> tuple[Library, list[dict]]:
    """A blind run written here by a helper shown only its sources: ``folder`` holds
    ``manifest.jsonl`` (path, title, publisher, date, url), the texts it names and
    ``questions.jsonl``. Not in the project: its texts are real news pages.

    Returns:
        The library of its texts with their metadata (cached by the folder's name), and its
        questions in set ``blind:<name>``.
    """
    entries = [json.loads(line) for line in (folder / "manifest.jsonl").read_text().splitlines() if line.strip()]

    def fill(library: Library, work: Path) -> None:
        for e in entries:
            meta = Metadata(title=e["title"], publisher=e["publisher"], date=e["date"], url=e["url"])
            library.add([folder / e["path"]], meta)

    lines = (folder / "questions.jsonl").read_text().splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    questions = [{**i, "answers": i.get("answers") or [], "set": f"blind:{folder.name}"} for i in items]
    # Named by what it holds too: an edited run is built afresh, not read from a stale cache.
    digest = hashlib.sha256((folder / "manifest.jsonl").read_bytes()).hexdigest()[:12]
    return _built(f"blind-{folder.name}-{digest}", fill), questions


def article_library() -> Library:
    """The bundled article alone, as a new user's library starts."""
    return _built("article", lambda library, work: Library(library.home).add([corpus.BUNDLED_ARTICLE]))


def article_questions(splits: list[str]) -> list[dict]:
    """The article's questions of ``splits`` (``blind2`` lives in its own file)."""
    items = [json.loads(line) for line in (SCRIPTS / "questions.jsonl").read_text().splitlines() if line.strip()]
    items += [json.loads(line) for line in (SCRIPTS / "article_blind2.jsonl").read_text().splitlines() if line.strip()]
    return [{**i, "set": f"article:{i['split']}"} for i in items if i["split"] in splits]


def normalise(text: str) -> str:
    """Lower-case and collapse white space, as the hit test compares."""
    return re.sub(r"\s+", " ", text).strip().lower()


def first_hit(passages: list[str], answers: list[str]) -> int | None:
    """1-based rank of the first passage containing a gold answer, or ``None``."""
    golds = [normalise(a) for a in answers]
    for rank, text in enumerate(passages, 1):
        normal = normalise(text)
        if any(g in normal for g in golds):
            return rank
    return None


def evaluation_sets(squad_roles: tuple[str, ...] = ("dev", "test")) -> dict:
    """Every evaluation set by name, as ``(library maker, question maker)``: the article's splits,
    the SQuAD articles of ``squad_roles`` and the real-source question sets."""
    out = {}
    for split in ("dev", "test", "holdout", "fresh", "blind", "blind2"):
        out[f"article:{split}"] = (article_library, lambda split=split: article_questions([split]))
    for role in squad_roles:
        for title in SQUAD_SPLITS[role]:
            out[f"squad:{title}"] = (
                lambda title=title: squad_library([title], f"squad-{title}"),
                lambda title=title: squad_questions(title),
            )
    for name in REAL_QUESTIONS:
        out[name] = (real_library, lambda name=name: real_questions(name))
    return out
