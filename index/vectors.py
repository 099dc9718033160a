"""FAISS index files: built from stored embeddings, written atomically, checked when read (an exact
one with numpy alone)."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np

from citeqa.errors import CiteqaError


class DamagedIndexError(CiteqaError):
    """An index file is unreadable or disagrees with the database; the message says how to repair."""


#: Up to this many passages search is exact (a flat scan); beyond it, an IVF index with 8-bit
#: scalar quantisation. Measured by ``scripts/bench.py`` on 2 cores: a flat scan takes 0.46 ms a
#: query at 10,000 vectors, 7.05 ms at 100,000 and 56.7 ms at 1,000,000.
EXACT_LIMIT = 100_000
#: Lists probed per query in the approximate index, as a share of its lists (recall vs speed).
NPROBE_SHARE = 0.01
#: Fewest lists probed, so a small approximate index still reaches its target recall.
MIN_NPROBE = 24


def build_index(ids: np.ndarray, vectors: np.ndarray, exact_limit: int = EXACT_LIMIT):
    """Make the FAISS index for ``vectors`` labelled with ``ids``, its structure chosen by size.

    Args:
        ids: int64 ids (the chunks' row ids in SQLite).
        vectors: float32 unit vectors, one row per id.
        exact_limit: largest count searched exactly.

    Returns:
        ``(index, params)``: search scores are inner products (cosines); ``params`` describes the
        structure (``{"type": "flat"}`` or ``{"type": "ivf_sq8", "nlist": ..., "nprobe": ...}``)
        for the database to record. The FAISS file keeps them too, ``nprobe`` included.
    """
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dimension = vectors.shape[1]
    if len(ids) <= exact_limit:
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        if len(ids):
            index.add_with_ids(vectors, ids.astype(np.int64))
        return index, {"type": "flat"}
    # About 4·sqrt(n) lists keeps both the coarse search and each scanned list short.
    nlist = int(4 * np.sqrt(len(ids)))
    params = {"type": "ivf_sq8", "nlist": nlist, "nprobe": max(MIN_NPROBE, int(nlist * NPROBE_SHARE))}
    quantizer = faiss.IndexFlatIP(dimension)
    index = faiss.IndexIVFScalarQuantizer(
        quantizer, dimension, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    sample = np.random.default_rng(0).choice(len(ids), size=min(len(ids), 64 * nlist), replace=False)
    index.train(vectors[np.sort(sample)])
    index.add_with_ids(vectors, ids.astype(np.int64))
    index.nprobe = params["nprobe"]
    return index, params


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
    if not path.exists():
        raise DamagedIndexError(f"{path}: vector index file is missing")
    try:
        with open(path, "rb") as handle:
            tags = handle.read(_HEADER_SIZE + 4)
    except OSError as error:
        raise DamagedIndexError(f"{path}: vector index file is unreadable ({error.strerror})") from None
    if tags[:4] == _ID_MAP and tags[_HEADER_SIZE:] == _FLAT_IP:
        index = _read_flat(path)
        if index is None:
            raise DamagedIndexError(f"{path}: vector index file is damaged (truncated or corrupt)")
    else:
        import faiss

        try:
            index = faiss.read_index(str(path))
        except RuntimeError:
            raise DamagedIndexError(f"{path}: vector index file is damaged (truncated or corrupt)") from None
    if index.ntotal != expected_count:
        raise DamagedIndexError(
            f"{path}: vector index holds {index.ntotal} vectors but the database has {expected_count} passages"
        )
    return index


#: FAISS's tags for the file this module writes up to ``EXACT_LIMIT``: an id map over a flat
#: inner-product index. Each index's header is its tag, dimension (int32), count (int64), two
#: unused int64s, whether trained (one byte) and its metric (int32).
_ID_MAP, _FLAT_IP = b"IxM2", b"IxFI"
_HEADER = struct.Struct("<4siqqqBi")
_HEADER_SIZE = _HEADER.size


class FlatIndex:
    """An exact inner-product index read from a FAISS file with numpy alone.

    Reading it this way spares a question the import of FAISS (a cold ask 0.87x to 0.89x as
    long, ``scripts/bench_cold_ab.py``); it scores every vector as FAISS's flat scan does, and
    finds the same ones in the same order but for passages that score exactly alike, which are
    kept and listed in the order stored.
    """

    def __init__(self, vectors: np.ndarray, ids: np.ndarray) -> None:
        self.vectors = vectors
        self.ids = ids
        self.ntotal = len(ids)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` best vectors for each query, as FAISS's ``search`` returns them.

        Args:
            queries: float32 rows, one a query.
            k: how many to return a query; at most ``ntotal`` (FAISS pads beyond it, this does not).

        Returns:
            ``(scores, ids)``: arrays of shape ``(len(queries), k)``, best first.
        """
        scores = queries @ self.vectors.T
        order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        return np.take_along_axis(scores, order, axis=1), self.ids[order]


def _read_flat(path: Path) -> FlatIndex | None:
    """The flat index the file holds, or None when it is truncated or its parts disagree."""
    size = path.stat().st_size
    with open(path, "rb") as handle:
        head = handle.read(2 * _HEADER_SIZE + 8)
        try:
            _, dimension, count, *_, metric = _HEADER.unpack_from(head, 0)
            _, inner_dimension, inner_count, *_, inner_metric = _HEADER.unpack_from(head, _HEADER_SIZE)
            (floats,) = struct.unpack_from("<Q", head, 2 * _HEADER_SIZE)
        except struct.error:
            return None
        if (
            dimension <= 0
            or count < 0
            or (inner_dimension, inner_count, inner_metric, metric) != (dimension, count, 0, 0)
        ):
            return None
        if floats != count * dimension:
            return None
        if size != len(head) + 4 * floats + 8 + 8 * count:
            return None
        # Read apart from the header so that the arrays are aligned: BLAS scans them ten times faster.
        vectors = np.fromfile(handle, np.float32, floats)
        (id_count,) = struct.unpack("<Q", handle.read(8))
        ids = np.fromfile(handle, np.int64, count)
    if id_count != count:
        return None
    return FlatIndex(vectors.reshape(count, dimension), ids)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
