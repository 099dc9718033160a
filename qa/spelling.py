"""How the sources spell a name the question spells otherwise: "Hanazumi" for "Hanazimu", told
beside a refusal over a name the sources never mention (``abstain.judge``), not acted on, since
a near spelling may as well be another name."""

from __future__ import annotations

import re

from citeqa.corpus import tokens
from citeqa.index.store import Store

#: How many chunks holding a candidate are read for it written as a name.
_READ = 20
# A capitalised word as a text writes it: a name, unless the text also writes it in lower case
# ("Harbour" opening a sentence, "harbour" elsewhere).
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*")


def respelled(store: Store, name: str) -> str | None:
    """A word the sources write capitalised that differs from ``name`` by one letter changed,
    added, dropped or swapped with the next (by two from eight letters on): "Hanazumi" for
    "Hanazimu", "Tessaly" for "Tesslay".

    Args:
        store: the index.
        name: a name of the question that no source holds.

    Returns:
        The word as a source writes it, or ``None``: for a name under six letters or with digits
        (its near spellings are other names: "Sharma" is not "shared"), one ``Store.spells`` finds,
        or one with no such word.
    """
    if len(name) < 6 or not name.isalpha() or store.spells(name):
        return None
    lower, most = name.lower(), 1 if len(name) < 8 else 2
    stemmed = tokens.stem(lower)
    # Stems first, cheaply: a word two letters off has a stem within a few letters of the name's.
    near = [
        (tokens.edits(stemmed, term), term)
        for term in store.terms(stemmed[:1])
        if abs(len(term) - len(stemmed)) <= most + 1 and len(set(term) ^ set(stemmed)) <= 2 * most
    ]
    for _, term in sorted(t for t in near if t[0] <= most + 1):
        texts = store.texts_holding(term, _READ)
        for text in texts:
            # The word alone: "Tessaly's" and "Tessaly-based" write "Tessaly" ("A" writes none).
            for word in (w for written in _CAPITALISED.findall(text) for w in tokens.words(written)[:1]):
                if tokens.stem(word) != term or tokens.edits(lower, word) > most:
                    continue
                if any(re.search(rf"\b{re.escape(word)}\b", t) for t in texts):
                    continue  # a common word written in lower case too: no name
                written = re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)
                return written.group(0) if written else None
    return None
