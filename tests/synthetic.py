"""Small synthetic libraries for tests that ask questions of the real model and index."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from citeqa.index.library import Library, Metadata
from citeqa.qa.answer import Asker


def synthetic_library(
    folder: Path, sources: dict[str, tuple[Metadata, str]], embedder, bundled: bool = True
) -> Library:
    """A built library in ``folder`` of the given synthetic sources.

    Args:
        folder: an empty folder; the files and the library's home are made in it.
        sources: each file's name, its metadata and its text.
        embedder: the session's model (the ``embedder`` fixture).
        bundled: whether the bundled article stays in the library beside them.
    """
    library = Library(folder / "home")
    for name, (metadata, text) in sources.items():
        path = folder / name
        path.write_text(text)
        library.add([path], metadata)
    if not bundled:
        library.remove("sahoo-2026-economic-security-as-strategic-diplomacy")
    library.build(embedder=embedder)
    return library


@contextmanager
def synthetic_asker(
    folder: Path, sources: dict[str, tuple[Metadata, str]], embedder, bundled: bool = True
) -> Iterator[Asker]:
    """An ``Asker`` over ``synthetic_library(folder, sources, embedder, bundled)``, closed on leaving."""
    with Asker(synthetic_library(folder, sources, embedder, bundled), embedder) as asker:
        yield asker
