"""Deciding that the sources do not answer a question, and saying why.

A bi-encoder scores a near miss ("When will the *third* dialogue be held?" against a passage on
the second) almost as high as a true answer, so similarity alone cannot tell them apart. The
decision is a calibrated probability that the best passages answer (``Scorer.answerable``) over
the evidence in ``FEATURES``: how close the best passages are, how much of the question they and
their sources' metadata hold, and whether they hold what the question pins down (a name or
number, the edition asked about, the thing counted, the role asked for, the kind of answer asked
for, and for a question asking what is not so, a passage saying something is not). The checks
but the last were rules that refused on their own; now each is one piece of evidence whose
weight was fitted on training data (the last one's cue words were chosen reading it too).
Five refusals remain absolute: nothing found at all, a question naming a source that the
library does not hold, one asking about a year the library never mentions, one naming two things
it never mentions, and one asking about a year after its best passage's source came out; and one
answer: when a source the question names came out, which its metadata's date states.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import compress
from typing import TYPE_CHECKING

import numpy as np

from citeqa.corpus import tokens
from citeqa.corpus.references import running_text
from citeqa.qa import checks, editions
from citeqa.qa.absent import absent_names
from citeqa.qa.answer_types import ABOUT_THE_SOURCE
from citeqa.qa.checks import ANSWERING
from citeqa.qa.clauses import SOURCE_NOUNS
from citeqa.qa.counts import Similar
from citeqa.qa.highlight import highlight_span
from citeqa.qa.retrieve import Question, Scored
from citeqa.qa.sources import SourceMatcher
from citeqa.qa.years import absent_year, published_before, reported_days

if TYPE_CHECKING:
    from citeqa.index.library import Library

#: How many of the best passages the checks look at for what the question pins down.
SEARCHED = 10
#: What a question calls a source ("the Coastal Gazette story", "report", "piece"): no word it
#: asks about, as "article" and "paper" are not (``tokens.STOPWORDS``).
_DOCUMENT_WORDS = frozenset(noun for noun in SOURCE_NOUNS.split("|") if " " not in noun)
#: The reason given when retrieval found nothing at all.
NOTHING_FOUND = "no passage in the sources shares a word or topic with the question"


#: The evidence the answerability model weighs, one row per question.
FEATURES = (
    "top",  # the ranker's log-odds for the best passage
    "top_sentence",  # cosine between the question and the best passage's best sentence (``Scored.sentence``)
    "max_sentence",  # the closest sentence among all candidates
    "max_dense",  # the closest passage among all candidates
    "held",  # IDF-weighted share of the question's words the best passages and their sources hold
    "unnamed",  # share of the question's names and numbers no best passage or source holds
    "unnamed_top",  # share of them the best passage and its source do not hold
    "missing_top",  # IDF-weighted share of the question's words the best passage and its source lack
    "absent",  # IDF-weighted share of the question's words in no passage and no source's metadata
    "edition",  # 1: the passages number the thing asked about, but not with the edition asked
    "count",  # 1: a count is asked and the best sentences give none beside the thing counted
    "kind",  # 1: a quantity, percentage, amount, duration, date or author is asked and none is given (0.5: beside a name)
    "role",  # 1: a person is asked for by a role the passages never name ("the chief executive of")
    "negation",  # 1: the question asks what is not so and the best passage states no negation
    "apart",  # 1: a name of two words or more the question gives is never written whole
    "unfitted",  # how much closer the best sentence is than the closest giving the kind asked (x10, 0-3)
)


@dataclass
class Judgement:
    """Whether the best passages answer a question.

    Attributes:
        probability: the calibrated probability that they answer (``None`` when no model
            decided: nothing found, a source the library lacks, a year it never mentions or one
            after its best source came out, or a named source's own date).
        reason: why citeqa abstains, for a person; ``None`` when it answers.
    """

    probability: float | None
    reason: str | None


def judge(
    question: Question,
    candidates: list[Scored],
    scorer,
    matcher: SourceMatcher | None = None,
    known: Callable[..., bool] = lambda *words, **how: True,
    spelled: Callable[[str], bool] = lambda name: True,
    similar: Similar | None = None,
    respelled: Callable[[str], str | None] = lambda name: None,
) -> Judgement:
    """Decide whether ``candidates`` answer ``question``.

    Args:
        question: the analysed question.
        candidates: every passage retrieval ranked for it, best first (not only those shown).
        scorer: the learned models and threshold (``qa.scorer.Scorer``).
        matcher: the sources' metadata; a passage is read with its source's.
        known: whether the library's text holds words together, as written if given (``Store.holds_name``).
        spelled: whether the library's text holds a name or a close variant (``Store.spells``).
        similar: cosines between words (``Asker.similarity``), for a thing counted by another name.
        respelled: how the library spells a name it lacks, told in the reason (``Asker.respelled``).

    Returns:
        A ``Judgement``; its ``reason`` is ``None`` when citeqa answers.
    """
    if not candidates:
        return Judgement(None, NOTHING_FOUND)
    refused = _refused(question.text, matcher, known, spelled, respelled) if matcher else None
    if refused:
        return Judgement(None, refused)
    weighed_candidates = weighed(question, candidates)
    source = weighed_candidates[0].chunk.doc_id
    early = published_before(question, weighed_candidates, matcher) if matcher else None
    if early:
        return Judgement(None, early)
    own = {"published": matcher.dates, "author": matcher.authors}.get(question.wants, ()) if matcher else ()
    if source in question.named and source in own:
        # "When was the Plains Courier article published?", "Who wrote the Plains Courier
        # article?": the source it names has a date or authors of its own, cited with every
        # passage, which answer whatever its passages say, when the question says nothing more
        # than its name ("... the Coastal Gazette report on the rail link" asks of a story).
        if all(word in matcher.words(source) or word in _DOCUMENT_WORDS for word in question.words):
            return Judgement(None, None)
    row, reasons = evidence(question, weighed_candidates, matcher, similar, respelled)
    probability = float(scorer.answerable.probability(row[None, :])[0])
    if probability >= scorer.threshold:
        return Judgement(probability, None)
    if question.named and matcher:
        # Which source, then why; of its passages alone when any was found (``weighed``), not others shown.
        said = f"the source the question names ({_titles(matcher, question.named)}) does not answer it"
        its = r"its \1" if source in question.named else r"the \1 found"
        reasons = [f"{said}; {re.sub(r'the (passages|sentences) found', its, reasons[0])}" if reasons else said]
    if not reasons:
        reasons.append(
            f"the closest sentence in the sources is only weakly related to the question "
            f"(similarity {row[FEATURES.index('max_sentence')]:.2f})"
            if row[FEATURES.index("held")] >= 0.5
            else "the passages found hold little of what the question asks about"
        )
    return Judgement(probability, f"{reasons[0]} (confidence {probability:.2f}, below {scorer.threshold:.2f})")


def _refused(
    question: str,
    matcher: SourceMatcher,
    known: Callable[..., bool],
    spelled: Callable[[str], bool],
    respelled: Callable[[str], str | None],
) -> str | None:
    """Why a question is refused by a rule, not the model, besides nothing found: it names a
    source the library lacks (in the README's run of every evaluation set, 1,091 answerable
    questions, 75 naming their source by its metadata, this refused no answerable one), asks
    about a year the library never mentions (``years.absent_year``), or names two things it never
    mentions (``absent.absent_names``)."""
    unknown = matcher.unknown_source(question, known)
    if unknown:
        return f"the question names a source the library does not hold ({unknown!r})"
    misdated = matcher.misdated(question, known)
    if misdated:
        return f"the question names a source the library does not hold: {misdated}"
    absent = absent_year(question, matcher, known)
    if absent:
        return f"the sources never mention {absent}"
    names = absent_names(question, matcher, known, spelled)
    return f"the sources never mention {_as_written(question, names, respelled)}" if names else None


def nothing_indexed(library: Library) -> str:
    """The reason given when the index holds no passage at all: the library holds no sources (its
    every one removed), or those it holds are not indexed (staged, or skipped by the build)."""
    if not library.sources():
        return "the library holds no sources: add some with 'citeqa add'"
    return "no source of the library is indexed ('citeqa sources' says why; 'citeqa build' indexes staged files)"


def _as_written(question: str, names: list[str], respelled: Callable[[str], str | None]) -> str:
    """``names`` quoted as the question writes them ("'Pakistan', 'Reko'"), where it can tell,
    and the words the sources spell most like them, if any ("(the sources write 'Hanazumi')")."""
    found = [re.search(rf"\b{re.escape(name)}\b", question, re.IGNORECASE) for name in names]
    written = [match.group(0) if match else name for match, name in zip(found, names, strict=True)]
    near = list(dict.fromkeys(w for w in map(respelled, written) if w))
    return ", ".join(map(repr, written)) + (f" (the sources write {', '.join(map(repr, near))})" if near else "")


def weighed(question: Question, candidates: list[Scored]) -> list[Scored]:
    """The candidates whether a question is answered is judged on: a question that names a
    library source ("according to the Reuters report, ...") asks what that source says, so
    another source's answer to it is no answer; any other question, all of them."""
    return [c for c in candidates if c.chunk.doc_id in question.named] or candidates


def evidence(
    question: Question,
    candidates: list[Scored],
    matcher: SourceMatcher | None,
    similar: Similar | None = None,
    respelled: Callable[[str], str | None] = lambda name: None,
) -> tuple[np.ndarray, list[str]]:
    """The ``FEATURES`` row of a question and its ranked candidates, and the reasons a person would
    give for each piece of evidence against answering, strongest first (``similar``: see ``judge``)."""
    scored = candidates[:SEARCHED]
    metadata = [matcher.words(s.chunk.doc_id) if matcher else frozenset() for s in scored]
    texts = [f"{s.chunk.section or ''} {s.chunk.text}" for s in scored]
    found = [tokens.words(text) for text in texts]
    short, spelled, initials = _short_forms(question.text, scored, texts)
    # A source's authors are names it holds: "According to Dan Goodin, ..." finds "Goodin" there.
    authors = [w for s in scored for name in (matcher.authors.get(s.chunk.doc_id, []) if matcher else []) for w in name]
    found_stems = {tokens.stem(w) for words in [*found, *map(list, metadata), authors] for w in words}.union(*short)
    titles, years = editions.sources_of([s.chunk.doc_id for s in scored], matcher)
    counting, answering = _answering(question, scored, texts, years, titles)
    held = {tokens.stem(w) for words in found[:ANSWERING] + [list(m) for m in metadata[:ANSWERING]] for w in words}
    held |= set().union(*spelled[:ANSWERING])
    reasons = []
    named, missing = _unnamed(question, found_stems, matcher, [s.chunk.doc_id for s in scored[:ANSWERING]])
    top = {tokens.stem(w) for w in found[0]} | {tokens.stem(w) for w in metadata[0]} | short[0]
    if missing:
        reasons.append(f"the passages found never mention {_as_written(question.text, missing, respelled)}")
    edition = editions.edition(question.pinned, texts, years, titles)
    count, count_reason = checks.count(question.text, found_stems, counting, similar)
    source = scored[0].chunk.doc_id
    dated = bool(matcher and source in matcher.dates and source in question.named)
    authored = bool(matcher and source in matcher.authors)
    kind, kind_reason = checks.kind(question.text, question.wants, answering, dated, authored)
    role, role_reason = checks.role(question.text, found_stems)
    negation, negation_reason = checks.negation(question.text, texts[0])
    written = texts + [matcher.written.get(s.chunk.doc_id, "") for s in scored] if matcher else texts
    apart, apart_reason = checks.apart(question.text, written, initials)
    reasons += [r for r in (edition, count_reason, kind_reason, role_reason, negation_reason, apart_reason) if r]
    row = np.array(
        [
            _logit(candidates[0].score),
            candidates[0].sentence_similarity,
            max(s.sentence_similarity for s in candidates),
            max(s.dense for s in candidates),
            # A question with no words left to hold lacks none (see ``retrieve._features``).
            question.share(held) if question.weights else 1.0,
            len(missing) / len(named) if named else 0.0,
            sum(not tokens.spelled_in(w, top) for w in named) / len(named) if named else 0.0,
            1.0 - question.share(top) if question.weights else 0.0,
            question.share({tokens.stem(w) for w in question.unseen if not matcher or w not in matcher.vocabulary}),
            float(bool(edition)),
            count,
            kind,
            role,
            negation,
            apart,
            _unfitted(question, candidates),
        ],
        dtype=np.float32,
    )
    return row, reasons


def _unnamed(
    question: Question, found_stems: set[str], matcher: SourceMatcher | None, sources: list[str]
) -> tuple[list[str], list[str]]:
    """The question's names and numbers (less the words dating a source, and the days
    ``years.reported_days`` finds in ``sources``), and those of them that ``found_stems`` lack."""
    dating = matcher.dating_words(question.text) | reported_days(question.text, sources, matcher) if matcher else set()
    named = [w for w in checks.named_terms(question.text) if w not in dating]
    return named, [w for w in named if not tokens.spelled_in(w, found_stems)]


def _short_forms(question: str, scored: list[Scored], texts: list[str]) -> tuple[list[set], list[set], set[str]]:
    """Per passage, the stems it holds in short: "us" where it writes "U.S.", "mea" where it
    spells out the Ministry of External Affairs, and the question's "united" and "states" where
    it writes "US" (those also apart, as the second list); and every initialism of ``texts``.
    The question's own initialisms a passage writes out in lower case ("MSP" for its "minimum
    support price") are among its short forms too."""
    initials = [tokens.initialisms(text) for text in texts]
    runs = tokens.spelled_out(question)
    spelled = [{tokens.stem(w) for _, words, forms in runs if forms & held for w in words} for held in initials]
    asked = tokens.initialisms(question)
    short = [
        {tokens.stem(w) for w in tokens.short_forms(s.chunk.text) | tokens.written_out(s.chunk.text, asked)}
        for s in scored
    ]
    return [a | b for a, b in zip(short, spelled, strict=True)], spelled, set().union(*initials)


def _answering(
    question: Question, scored: list[Scored], texts: list[str], years: list[str | None], titles: list[str | None]
) -> tuple[list[tuple[str, set[str]]], list[tuple[str, set[str]]]]:
    """The best sentences (``Scored.sentence``, with their stems) of the best passages that may
    give a count, and those that may give the kind of answer asked for.

    A passage about another edition ("the first round was held in Tokyo") gives neither for the
    one asked about ("Where was the second round held?"). Who wrote it, or when it came out, is
    asked of the best passage's source: another source's byline is no answer, and its date
    stands for it only when the question names it (``checks.kind``).
    """
    best = [(text, set(tokens.terms(text))) for text in map(_sentence, scored)]
    keep = [not other for other in editions.other_editions(question.pinned, texts, years, titles)]
    counting = list(compress(best, keep))
    if question.wants in ABOUT_THE_SOURCE:
        source = scored[0].chunk.doc_id
        keep = [k and s.chunk.doc_id == source for k, s in zip(keep, scored, strict=True)]
    return counting, list(compress(best, keep))


def _titles(matcher: SourceMatcher, doc_ids: set[str]) -> str:
    """The named sources as a person knows them: their titles, or ids for untitled ones."""
    names = sorted(matcher.titles.get(d) or d for d in doc_ids)
    return "; ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _unfitted(question: Question, candidates: list[Scored]) -> float:
    """How much closer to the question the best passage's best sentence comes than the closest
    sentence of the best passages giving the kind of answer asked for (``Scored.fitted``), in
    tenths of a cosine up to 3: near 0 when the sentence that matches gives the date or figure
    asked, high when none does or only sentences on something else do. 0 when no kind is asked,
    or the source's own date or author, which a dateline or byline gives, close to no question."""
    if not question.wants or question.wants in ABOUT_THE_SOURCE:
        return 0.0
    fitted = max(c.fitted for c in candidates[:ANSWERING])
    return min(max(candidates[0].sentence_similarity - fitted, 0.0) * 10, 3.0)


def _logit(probability: float) -> float:
    p = min(max(probability, 1e-6), 1 - 1e-6)
    return float(np.log(p / (1 - p)))


def _sentence(scored: Scored) -> str:
    """The passage's best sentence (``Scored.sentence``, shown when citeqa abstains) as running
    text (see ``running_text`` and ``highlight_span``)."""
    start, end = highlight_span(scored.chunk, scored.sentence)
    return running_text(scored.chunk.text[start - scored.chunk.start : end - scored.chunk.start])
