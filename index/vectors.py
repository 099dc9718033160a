"""FAISS index files: built from stored embeddings, written atomically, checked when read."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np


class DamagedIndexError(Exception):
    """An index file is unreadable or disagrees with the database; the message says how to repair."""


def build_index(ids: np.ndarray, vectors: np.ndarray):
    """Make an exact inner-product FAISS index over ``vectors`` labelled with ``ids``.

    Args:
        ids: int64 ids (the chunks' row ids in SQLite).
        vectors: float32 unit vectors, one row per id.

    Returns:
        A ``faiss.IndexIDMap2`` whose search scores are cosine similarities.
    """
    import faiss

    index = faiss.IndexIDMap2(faiss.IndexFlatIP(vectors.shape[1]))
    if len(ids):
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
    return index


def write_index(index, path: Path) -> None:
    """Write ``index`` to ``path`` so that a crash leaves either the old file or the new one."""
    import faiss

    tmp = path.with_name(path.name + ".tmp")
    faiss.write_index(index, str(tmp))
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def read_index(path: Path, expected_count: int):
    """Read an index file and check it holds ``expected_count`` vectors.

    Raises:
        DamagedIndexError: the file is missing, unreadable or holds another number of vectors.
    """
    import faiss

    if not path.exists():
        raise DamagedIndexError(f"{path}: vector index file is missing")
    try:
        index = faiss.read_index(str(path))
    except RuntimeError:
        raise DamagedIndexError(f"{path}: vector index file is damaged (truncated or corrupt)") from None
    if index.ntotal != expected_count:
        raise DamagedIndexError(
            f"{path}: vector index holds {index.ntotal} vectors but the database has {expected_count} passages"
        )
    return index


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
