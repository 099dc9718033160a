"""citeqa: answers to questions over a library of sources, as cited passages, and citation audits.

The public API::

    from citeqa import Asker, Library, Metadata, extract

    library = Library()                      # $CITEQA_HOME or ~/.local/share/citeqa, or Library(home)
    library.add(["statement.html"], Metadata(publisher="MOFA", date="2025-12-02"))
    library.build()
    with Asker(library) as asker:
        answer = asker.ask("When was the dialogue held?")

The repository's folders ``corpus/``, ``index/`` and ``qa/`` install as ``citeqa.corpus``,
``citeqa.index`` and ``citeqa.qa``; imports run one way, corpus ← index ← qa ← CLI.
"""

from __future__ import annotations

from importlib import import_module

#: Public names and the module each comes from. They load on first use, so that a process that
#: needs one part (an extraction worker, a cold ``citeqa ask``) does not import the others.
_PUBLIC = {
    "Library": "citeqa.index.library",
    "Metadata": "citeqa.index.library",
    "Asker": "citeqa.qa.answer",
    "Answer": "citeqa.qa.answer",
    "extract": "citeqa.corpus",
    "extract_bounded": "citeqa.corpus",
    "Document": "citeqa.corpus.model",
    "Chunk": "citeqa.corpus.model",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    """Import a public name on first use (PEP 562)."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'citeqa' has no attribute {name!r}")
    return getattr(import_module(_PUBLIC[name]), name)
