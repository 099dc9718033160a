"""The order of passages once the ranker has scored them: a source the question names first,
another edition than the one asked about after the passages that give it, and, as a reader sees
them, a source's passages by what the question asks of that source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from citeqa.qa import editions
from citeqa.qa.sources import SourceMatcher

if TYPE_CHECKING:
    from citeqa.qa.retrieve import Question, Scored


def ordered(question: Question, scored: list[Scored], matcher: SourceMatcher | None) -> list[Scored]:
    """The candidates best first, as hybrid retrieval ranks them and whether they answer is judged.

    Args:
        question: the analysed question.
        scored: its candidates, scored by the ranker.
        matcher: the sources' metadata.

    Returns:
        The candidates by score, but a question that names its source ("according to Argus
        Media, ...") asks what that source says, so its passages come first, whatever another
        source says; and in each part a passage on another edition than the one asked about goes
        after the passages that give that edition (``_editions_first``).
    """
    return _named_first(question, sorted(scored, key=lambda s: s.score, reverse=True), matcher)


def shown(question: Question, ranked: list[Scored], matcher: SourceMatcher | None) -> list[Scored]:
    """The candidates in the order a reader sees them: ``ranked`` (``ordered``), but where
    retrieval scored a source's passages on what the question asks of that source
    (``Scored.asked``), those passages trade places in that order; each keeps its own score."""
    places = [i for i, s in enumerate(ranked) if s.asked is not None]
    moved = sorted((ranked[i] for i in places), key=lambda s: s.asked, reverse=True)
    out = list(ranked)
    for place, passage in zip(places, moved, strict=True):
        out[place] = passage
    return _named_first(question, out, matcher) if places else out


def distinct(ranked: list[Scored]) -> list[Scored]:
    """``ranked`` without a passage whose source already gave the same text higher up: a file
    that repeats itself (a disclaimer on every page, a manual bound in twice) shows it once,
    where a user trial saw one sentence five times in the five passages shown."""
    seen: set[tuple[str, str]] = set()
    out = []
    for passage in ranked:
        key = (passage.chunk.doc_id, " ".join(passage.chunk.text.split()))
        if key not in seen:
            seen.add(key)
            out.append(passage)
    return out


def _named_first(question: Question, ranked: list[Scored], matcher: SourceMatcher | None) -> list[Scored]:
    """``ranked`` with the named sources' passages first, and editions after (see ``ordered``)."""
    texts = [f"{s.chunk.section or ''} {s.chunk.text}" for s in ranked]
    titles, years = editions.sources_of([s.chunk.doc_id for s in ranked], matcher)
    standing = list(zip(ranked, editions.standings(question.pinned, texts, years, titles), strict=True))
    named = [p for p in standing if p[0].chunk.doc_id in question.named]
    rest = [p for p in standing if p[0].chunk.doc_id not in question.named]
    return _editions_first(named) + _editions_first(rest)


def _editions_first(ranked: list[tuple[Scored, int]]) -> list[Scored]:
    """The passages of ``ranked`` (each with its standing, ``editions.standings``), each that
    numbers the thing asked about only otherwise (-1) moved after the last that gives it (+1). The
    ranker's trees never split on so rare a feature (a conflict in 0.04 % of training passages),
    and put "the Second Dialogue took place on 11 May" above "their first Dialogue in November
    2024" for "When was the inaugural dialogue held?". Measured with ``eval.py``: the article's
    blind split recall@1 0.750 to 0.778, one more of Imperialism's unanswerable questions
    abstained, no figure of any set lower."""
    last = max((i for i, (_, standing) in enumerate(ranked) if standing > 0), default=-1)
    above, below = ranked[: last + 1], ranked[last + 1 :]
    return (
        [s for s, standing in above if standing >= 0]
        + [s for s, standing in above if standing < 0]
        + [s for s, _ in below]
    )
