"""Which encoder embeds a build's passages and a user's questions, and embedding a build's chunks.

The ONNX export of the bundled model (``index.onnx``) is used once it passed its parity check, so
neither builds nor questions import torch; otherwise sentence-transformers (``index.embed``) is,
with a one-line notice saying why. The export is made by the first build that needs it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from citeqa.corpus.model import Chunk
from citeqa.index import export_cache, onnx
from citeqa.index.embed import Embedder, model_path
from citeqa.index.store import Store

#: Chunks embedded per step of a build, between progress reports.
BATCH = 64
#: The status of an export being made: not usable yet, and retried by the next build.
_IN_PROGRESS = "an export was being made"
#: How passage and sentence vectors are made, recorded in the index: vectors made another way are
#: never reused, and a change here re-indexes every document (it is part of ``plan.meta_hash``).
#: fp32, not int8: ``scripts/bench_int8.py`` measured int8 moving dense recall by up to 0.17.
EMBEDDING = "all-MiniLM-L6-v2 fp32 mean-pooled; sentences pooled from their passage's pass"


class BuildEncoder:
    """Chooses a build's encoder on its first ``encode`` call, so a build with nothing to embed
    neither exports the model nor loads anything.

    Args:
        choose: returns ``(encoder, notice)``, as :func:`passage_encoder` does.
    """

    def __init__(self, choose: Callable[[], tuple[object, str | None]]):
        self._choose = choose
        self._encoder = None
        self.chosen = False
        self.notice: str | None = None

    def encode_passages(self, texts: list[str], spans: list[list[tuple[int, int]]]):
        """Embed passages and their sentences with the chosen encoder (choosing it first if needed).

        Args:
            texts: the passages as embedded (``passage_input``).
            spans: for each text, its sentences' character spans within that text.

        Returns:
            ``(passages, sentences)`` as ``OnnxEncoder.encode_passages`` gives them.
        """
        if not self.chosen:
            self._encoder, self.notice = self._choose()
            self.chosen = True
        return self._encoder.encode_passages(texts, spans)


def passage_encoder(home: Path, embedder: Embedder, again: bool) -> tuple[object, str | None]:
    """The encoder for a build's passages and sentences: the ONNX export when it passed its
    parity check, else ``embedder`` (sentence-transformers).

    The export is made (or checked against its recorded hashes) first, so torch loads only
    to make it: once an intact export for these weights is here, builds never import torch.

    Args:
        home: the library folder, where the export lives.
        embedder: the sentence-transformers embedder to export, or to use instead.
        again: export even when an intact export, or a recorded failure, is here.

    Returns:
        ``(encoder, notice)``, the notice saying in one line why ONNX is not used, or ``None``.
    """
    ensure_query_encoder(home, embedder, again=again)
    try:
        return onnx.OnnxEncoder(home, prepack=True), None
    except onnx.OnnxUnavailable as error:
        return embedder, f"{error}; embedding passages with sentence-transformers (slower)"


def ensure_query_encoder(home: Path, embedder: Embedder, again: bool = False) -> None:
    """Export the ONNX query encoder unless an intact export of the current layout
    (``onnx.FORMAT``) for these weights is here, or in the user's cache, where the first library
    on a machine keeps it for the next (``export_cache``).

    The export's files are checked against the hashes recorded when it was made, so one
    deleted, truncated or altered since is made again. An export that fails or misses parity
    is recorded with its reason, and questions fall back to sentence-transformers: the build
    itself never fails over it, and only ``again`` (``build --full``) retries it.

    Args:
        home: the library folder, where the export lives.
        embedder: the embedder whose model is exported.
        again: export even when an intact export, or a recorded failure, is here.
    """
    weights = onnx.fingerprint(model_path())
    status = onnx.read_status(home)
    current = status and status.get("fingerprint") == weights and status.get("format") == onnx.FORMAT
    if not again and current and status.get("reason") != _IN_PROGRESS:
        if not status.get("usable") or status.get("files") == export_cache.file_hashes(home):
            return
    # Recorded before any file is replaced: until the new export is checked, nothing uses the
    # files (a question meanwhile, or after a crash here, falls back instead), and the next
    # build retries an export a crash interrupted.
    onnx.write_status(home, _unusable(weights, _IN_PROGRESS))
    restored = None if again else export_cache.restore(home, weights)
    if restored:
        onnx.write_status(home, restored)
        return
    try:
        status = {**onnx.export(home, model_path(), embedder.model()), "files": export_cache.file_hashes(home)}
        onnx.write_status(home, status)
        if status.get("usable"):
            export_cache.keep(home, status)
    except Exception as error:  # any exporter failure only costs the fast path
        onnx.write_status(home, _unusable(weights, f"export failed: {error}"))


def _unusable(weights: str, reason: str) -> dict:
    """The status record of an export that questions must not use, and why."""
    return {"fingerprint": weights, "format": onnx.FORMAT, "usable": False, "parity": None, "reason": reason}


def query_encoder(home: Path) -> tuple[object, str | None]:
    """The encoder for questions: the ONNX export when it passed its parity check.

    Args:
        home: the library folder, where the export lives.

    Returns:
        ``(encoder, notice)``: an encoder with ``encode(texts)``, and a one-line notice saying
        why sentence-transformers is used instead, or ``None``.
    """
    try:
        return onnx.OnnxEncoder(home), None
    except onnx.OnnxUnavailable as error:
        reason = str(error)
        if (onnx.read_status(home) or {}).get("reason") == _IN_PROGRESS:
            # Left so by a build that was stopped (or is still running): say what ends it.
            reason = "the ONNX query encoder is being exported, or its export was interrupted (the next 'citeqa build' makes it)"
        return Embedder(), f"{reason}; encoding questions with sentence-transformers (slower start)"


def passage_input(section: str | None, text: str) -> str:
    """What is embedded for a passage: its section heading gives context the text may lack.

    Args:
        section: the passage's section heading, if any.
        text: the passage's text.

    Returns:
        The text to embed.
    """
    return f"{section}. {text}" if section else text


def embed_chunks(
    chunks: list[Chunk], store: Store, encoder: BuildEncoder, progress: Callable[[str, int, int], None] | None
) -> tuple[dict[str, tuple[bytes, bytes]], int]:
    """Embeddings for every chunk and its sentences, reusing the stored ones of chunks the index
    already holds with the same text, section and sentences (``Store.chunk_embeddings``).

    Args:
        chunks: the chunks of every document the build indexes.
        store: the database being built, whose embeddings are reused.
        encoder: embeds what is new.
        progress: receives ``("embedding", done, total)`` after each batch.

    Returns:
        ``(vectors, embedded)``: the passage and sentence embeddings (as bytes) by chunk id,
        and how many chunks were embedded rather than reused.
    """
    same_method = store.get_meta("embedding") == EMBEDDING
    vectors = store.chunk_embeddings(chunks) if same_method else {}
    todo = [c for c in chunks if c.id not in vectors]
    for i in range(0, len(todo), BATCH):
        part = todo[i : i + BATCH]
        texts, spans = [], []
        for chunk in part:
            texts.append(passage_input(chunk.section, chunk.text))
            # Sentence spans are document offsets; the section heading before the text shifts them.
            shift = len(texts[-1]) - len(chunk.text) - chunk.start
            spans.append([(start + shift, end + shift) for start, end in chunk.sentences])
        passages, sentences = encoder.encode_passages(texts, spans)
        for chunk, vector, block in zip(part, passages, sentences, strict=True):
            vectors[chunk.id] = (vector.tobytes(), block.tobytes())
        if progress:
            progress("embedding", min(i + BATCH, len(todo)), len(todo))
    return vectors, len(todo)
