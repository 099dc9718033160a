"""``citeqa ask``: questions in, cited passages (or a reasoned abstention) out."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext

import click

from citeqa.index.sources import doc_id_for
from citeqa.qa.answer import MAX_PASSAGES, Answer, Asker, has_words
from citeqa.qa.cli_build import built_library
from citeqa.qa.cli_options import echo_json, home_option, json_option
from citeqa.qa.retrieve import Mode
from citeqa.qa.terminal import Styled, echo

#: Questions answered per batch by ``ask --questions``: large enough to embed efficiently, small
#: enough that answers stream out and the progress bar moves.
QUESTION_BATCH = 32


@click.command()
@click.argument("question", required=False)
@click.option(
    "-k", "--top", "k", default=5, show_default=True, type=click.IntRange(1, MAX_PASSAGES), help="Passages to show."
)
@json_option("Print JSON (one object; JSON Lines with --questions).")
@click.option(
    "--questions",
    type=click.File("r", encoding="utf-8"),
    help="Answer every question in FILE (one a line, or JSON Lines with a 'question' field and an optional "
    "'id', which its answer carries); prints JSON Lines.",
)
@click.option(
    "--mode",
    type=click.Choice([mode.value for mode in Mode]),
    default=Mode.HYBRID.value,
    show_default=True,
    help="How passages are ranked: hybrid is citeqa's; rrf, bm25 and dense are the baselines it is "
    "evaluated against, for comparison, which give no confidence and abstain only when nothing matches "
    "(dense: nothing close enough).",
)
@home_option
@click.pass_context
def ask(ctx, question, k, as_json, questions, mode):
    """Answer QUESTION with cited passages, or say that the sources do not answer it.

    Each passage's relevance (0 to 1) is the learned ranker's estimate that it holds the answer;
    it orders the passages, and runs high, except that a question naming a source ("according
    to Reuters", "the March 2025 article") gets that source's passages first (so marked), and is answered
    only from them, and a source's passages stand in the order of what the question asks of
    that source beyond its title (so marked where that puts one above a higher score). The answer's confidence is the calibrated probability
    that the best passages answer the question; below the threshold fitted on dev data (see the
    README) citeqa abstains, says why, and still shows the closest passages, marked as not
    answering. In each passage the best sentence is set off »like this« (and in bold on a
    terminal). A cited file edited or deleted since the last build is named on stderr. The first
    question in a new library builds its index.

    \b
    Examples:
        citeqa ask "Where was the second dialogue held?"
        citeqa ask -k 3 --json "Which sectors did the dialogue cover?"
        citeqa ask --questions questions.txt > answers.jsonl
    """
    if (question is None) == (questions is None):
        raise click.UsageError("give a QUESTION or --questions FILE (not both)")
    if question is not None and not has_words(question):
        raise click.UsageError(f"the question {question!r} has no words to search for")
    # Read before the index and the model load: a bad file should cost no time.
    asked = _read_questions(questions) if questions is not None else None
    library = built_library(ctx)
    with Asker(library) as asker:
        # Once the index opened: a damaged one holds no documents, and says so itself.
        _note_waiting(library.waiting())
        for notice in (asker.notice, asker.stale):
            if notice:
                echo(f"notice: {notice}", err=True)
        warned: set[str] = set()
        if asked is not None:
            _answer_each(asker, asked, k, Mode(mode), warned)
            return
        answer = asker.ask(question, k, Mode(mode))
        _warn_changed(asker, answer, warned)
    if as_json:
        echo_json(answer.to_dict())
    else:
        _print_answer(answer)


def _note_waiting(names: list[str]) -> None:
    """One stderr line naming the files the answers cannot come from until a build."""
    if names:
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        files = "file in the sources folder is" if len(names) == 1 else "files in the sources folder are"
        echo(
            f"notice: {len(names)} {files} not indexed yet ({shown}); run 'citeqa build' to answer from them", err=True
        )


#: A question line that gave no id (``None`` is the id a JSON ``null`` gives).
_NO_ID = object()


def _answer_each(asker: Asker, asked: list[tuple[str, object]], k: int, mode: Mode, warned: set[str]) -> None:
    """Print the answers to ``asked`` (each question with the id its line gave, or ``_NO_ID``) as
    JSON Lines, in batches, with a bar on a terminal; an answer carries its question's id."""
    with _answering_bar(len(asked)) as bar:
        for start in range(0, len(asked), QUESTION_BATCH):
            batch = asked[start : start + QUESTION_BATCH]
            for (_, given), answer in zip(batch, asker.ask_many([q for q, _ in batch], k, mode), strict=True):
                _warn_changed(asker, answer, warned)
                echo_json(answer.to_dict() if given is _NO_ID else {"id": given, **answer.to_dict()}, lines=True)
            if bar:
                bar.update(min(QUESTION_BATCH, len(asked) - start))


def _answering_bar(total: int):
    """A bar of questions answered out of ``total`` on a terminal's stderr; nothing when piped."""
    if not sys.stderr.isatty():
        return nullcontext()
    return click.progressbar(length=total, label="Answering questions", file=sys.stderr, show_pos=True, show_eta=True)


def _warn_changed(asker: Asker, answer: Answer, warned: set[str]) -> None:
    """One stderr line per cited source whose file changed since the build (once per run)."""
    new = {s: state for s, state in asker.changed_sources(answer).items() if s not in warned}
    # Building again would not help a file the last build could not read: 'citeqa sources' says why.
    unreadable = {doc_id_for(name) for name in asker.library.unreadable_edits()} if new else set()
    for source_id, state in new.items():
        warned.add(source_id)
        advice = (
            "the last build could not read it ('citeqa sources' says why)"
            if source_id in unreadable
            else "run 'citeqa build'"
        )
        echo(
            f"warning: the file of source '{source_id}' was {state} after the last build, so its "
            f"passages may no longer be in it; {advice}",
            err=True,
        )


def _read_questions(handle) -> list[tuple[str, object]]:
    """The questions of a ``--questions`` file: one a line, or JSON Lines with a 'question' field
    (and perhaps an 'id', which its answer carries, null too), each with its id or ``_NO_ID``. A
    file is JSON Lines when it is named ``.jsonl`` or ``.json`` or its first line is an object:
    then every line must be one ("["a list"]" was asked as a question).

    Raises:
        click.ClickException: the file is not UTF-8, a line is no question (no JSON object with a
            'question' text in JSON Lines, or no words), naming every such line in one line of
            its own (the whole batch is refused before anything is answered), or the file holds
            none.
    """
    name = getattr(handle, "name", "questions file")
    try:
        lines = [(number, line.strip()) for number, line in enumerate(handle, 1) if line.strip()]
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"{name}: not UTF-8 text (byte {error.start} cannot be decoded); save it as UTF-8"
        ) from None
    json_lines = str(name).endswith((".jsonl", ".json")) or bool(lines and lines[0][1].startswith("{"))
    asked, faults = [], []
    for number, line in lines:
        question, given = _json_question(line) if json_lines else (line, _NO_ID)
        if not isinstance(question, str):
            faults.append((number, "is not a JSON object with a 'question' text"))
        elif not has_words(question):
            faults.append((number, "has no words to search for"))
        else:
            asked.append((question, given))
    if faults:
        (first, why), rest = faults[0], [str(number) for number, _ in faults[1:]]
        listed = ", ".join(rest[:10]) + (", ..." if len(rest) > 10 else "")
        more = f"; line{'s' if len(rest) > 1 else ''} {listed} {'are' if len(rest) > 1 else 'is'} no question either"
        raise click.ClickException(f"{name}: line {first} {why}" + (more if rest else ""))
    if not asked:
        raise click.ClickException(f"{name}: no questions in file")
    return asked


def _json_question(line: str) -> tuple[str | None, object]:
    """A JSON line's question and id (``_NO_ID`` when it gives none); ``None`` for the question
    when the line holds no object with a 'question' text."""
    try:
        item = json.loads(line)
    except (ValueError, RecursionError):
        return None, _NO_ID
    if not isinstance(item, dict) or not isinstance(item.get("question"), str):
        return None, _NO_ID
    return item["question"], item.get("id", _NO_ID)


def _print_answer(answer: Answer) -> None:
    if answer.abstained:
        echo(f"The sources do not answer this: {answer.reason}.")
        if answer.passages:
            echo("The closest passages found, which do not answer it:\n")
    elif answer.confidence is not None:
        echo(f"Answer confidence {answer.confidence:.2f}\n")
    for passage in answer.passages:
        text = passage.text
        a = passage.highlight_start - passage.citation.start
        b = passage.highlight_end - passage.citation.start
        label = f"[{passage.rank}] " + ("(does not answer) " if answer.abstained else "")
        echo(Styled(label, bold=True), Styled(passage.citation.text(), fg="cyan"))
        echo(
            f"    relevance {passage.score:.2f}"
            + (", from the source the question names" if passage.named_source else "")
            + (
                ", above its source's higher-scored passages: it holds more of what is asked beyond the source's title"
                if passage.asked_of_source
                else ""
            )
        )
        # The marks carry the highlight where bold cannot: piped output, files, screen readers.
        highlighted = [text[:a], Styled(f"»{text[a:b]}«", bold=True, fg="yellow"), text[b:]]
        # A passage quotes its source exactly, runs of blank lines too; one blank line shows them.
        blank_before = False
        for line in _lines(highlighted):
            blank = not any((part.text if isinstance(part, Styled) else part).strip() for part in line)
            if not (blank and blank_before):
                echo("    ", *line)
            blank_before = blank
        click.echo()


def _lines(parts: list) -> list[list]:
    """Split ``parts`` (strings and ``Styled`` pieces) into lines, keeping each piece's style."""
    lines: list[list] = [[]]
    for part in parts:
        text = part.text if isinstance(part, Styled) else part
        for number, piece in enumerate(text.split("\n")):
            if number:
                lines.append([])
            lines[-1].append(Styled(piece, **part.style) if isinstance(part, Styled) else piece)
    return lines
