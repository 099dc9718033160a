"""An encoder that works without torch: the bundled model exported to ONNX.

``import sentence_transformers`` alone costs seconds, more than the rest of a question. At build
time the model's transformer is exported to ONNX beside the index, and the export is trusted only
if it reproduces sentence-transformers' embeddings (cosine >= ``PARITY``) on fixed texts. Questions,
and the passages and sentences of later builds, are then embedded by ``OnnxEncoder``: it tokenises
with ``tokenizers``, runs onnxruntime and mean-pools, which is what the model's
sentence-transformers pipeline does (Transformer -> mean Pooling -> Normalize).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import warnings
from pathlib import Path

import numpy as np

from citeqa.index.embed import DIMENSION, normalise, pool_spans
from citeqa.index.errors import LibraryError

#: Least cosine between ONNX and sentence-transformers embeddings for the export to be used.
PARITY = 0.999
#: Texts the parity check embeds both ways: short and long, questions and passages, non-ASCII.
PARITY_TEXTS = [
    "When was the second India-Japan economic security dialogue held?",
    "Who co-chaired the meeting?",
    "critical minerals",
    "The Second India-Japan Economic Security Dialogue took place in New Delhi, strengthening economic "
    "security cooperation as a regular part of their bilateral relationship. " * 8,
    "Zusammenarbeit bei Halbleitern und seltenen Erden — 経済安全保障 (economic security), 2026.",
    "What percentage of Japan's rare earth imports came from China?",
]
#: Most padded tokens per forward pass. Measured with ``scripts/bench_embed.py`` on 2 cores:
#: 256-token passages embed about twice as fast two at a time as 64 at a time (small batches keep
#: attention's working set in cache), and short sentences fastest about 16 at a time.
TOKEN_BUDGET = 512
MODEL_FILE = "query-encoder.onnx"
TOKENIZER_FILE = "query-tokenizer.json"
#: The model's word-vector table, outside the ONNX file: half the model's 90 MB, of which a
#: question needs a dozen rows. Memory-mapped, it made a cold ``citeqa ask`` a tenth quicker
#: (``python scripts/bench_cold_ab.py ad8af03``: 0.348 s against 0.387 s).
WORDS_FILE = "query-words.npy"
#: The transformer's weights, outside the graph: onnxruntime memory-maps them where it parsed and
#: copied them out of the graph's file: a session not repacking them started in 9 ms instead of 56.
WEIGHTS_FILE = "query-encoder.weights"
STATUS_FILE = "query-encoder.json"
#: The export's layout: 4 is word vectors in, from ``WORDS_FILE``, the graph saved with
#: onnxruntime's fusions applied and its weights in ``WEIGHTS_FILE``. Layouts 1 (token ids in, one
#: file), 2 (not yet fused) and 3 (weights inside the graph's file) are still read, so a library
#: exported by an earlier citeqa stays fast until it is rebuilt.
FORMAT = 4
#: The first layout whose graph was saved fused (``_fuse``); every later one is too.
_FIRST_FUSED = 3


class OnnxUnavailable(Exception):
    """The ONNX encoder cannot be used; ``str(error)`` says why in one line."""


class EncoderDamaged(LibraryError):
    """The export's files gave no usable vectors: changed since they were checked (``reason`` says
    how), which the next build's hash check finds and repairs."""

    def __init__(self, folder: Path, reason: str):
        super().__init__(f"the ONNX encoder in {folder} is damaged ({reason}); 'citeqa build' exports it again")
        self.reason = reason


def export(folder: Path, model_folder: str, model=None) -> dict:
    """Export the bundled model's transformer to ONNX in ``folder`` and check its parity.

    Whether the export is used is decided by the status record, written last and atomically:
    a crash before it, or a failed check, never leaves a model that would be used.

    Args:
        folder: where the index lives.
        model_folder: the sentence-transformers model folder.
        model: the loaded ``SentenceTransformer`` (loaded here if not given).

    Returns:
        The status record written to ``query-encoder.json``: ``usable``, ``parity`` (least
        cosine), ``reason`` when refused, and the model's fingerprint.
    """
    if model is None:
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(model_folder, device="cpu")
    # Made in a folder of its own, each file then moved into place whole: the graph names its
    # weights' file, which only a file of the final name can be, and a file written in place
    # would change under every library linked to it (``export_cache``).
    work = folder / ".query-encoder.export.tmp"
    shutil.rmtree(work, ignore_errors=True)
    if work.is_symlink() or work.is_file():
        work.unlink()
    try:
        work.mkdir()
        words = _trace(model, work / "traced.onnx")
        _fuse(work / "traced.onnx", work / MODEL_FILE)
        with open(work / WORDS_FILE, "wb") as handle:
            np.save(handle, words, allow_pickle=False)
        shutil.copyfile(Path(model_folder) / "tokenizer.json", work / TOKENIZER_FILE)
        for name in (TOKENIZER_FILE, WORDS_FILE, WEIGHTS_FILE, MODEL_FILE):
            os.replace(work / name, folder / name)
    finally:
        # A half-written 90 MB export left behind by a full disk would keep the disk full.
        shutil.rmtree(work, ignore_errors=True)
    status = {"fingerprint": fingerprint(model_folder), "max_tokens": model.max_seq_length, "format": FORMAT}
    status.update(check_parity(folder, model, status))
    write_status(folder, status)
    return status


def _trace(model, target: Path) -> np.ndarray:
    """Trace ``model``'s transformer into an ONNX file at ``target``: word vectors, attention
    mask and token types in, the last hidden state out, any batch size and length.

    Args:
        model: the loaded ``SentenceTransformer``.
        target: the file to write.

    Returns:
        The word-vector table (vocabulary x dimension, float32) that the model's inputs are
        looked up in.
    """
    import torch

    class Transformer(torch.nn.Module):
        # Named arguments: the position of forward()'s parameters differs between versions.
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, inputs_embeds, attention_mask, token_type_ids):
            return self.inner(
                inputs_embeds=inputs_embeds, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    inner = model[0].auto_model.eval()
    transformer = Transformer(inner)
    words = inner.get_input_embeddings().weight.detach()
    sample = model.tokenizer(["a sample"], return_tensors="pt")
    names = ["inputs_embeds", "attention_mask", "token_type_ids"]
    with torch.no_grad(), warnings.catch_warnings():
        # The tracer warns about constructs it bakes in; the parity check is what decides.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            transformer,
            (words[sample["input_ids"]], sample["attention_mask"], sample["token_type_ids"]),
            str(target),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]},
            opset_version=17,
            dynamo=False,
        )
    return words.numpy().astype(np.float32)


def _fuse(source: Path, target: Path) -> None:
    """Save ``source``'s graph with onnxruntime's rewrites applied (constants folded, shape
    arithmetic simplified, GELU and MatMul fused), so that loading it can skip them and a cold
    question's session starts sooner, and its weights beside it in ``WEIGHTS_FILE``. The extended
    level, not "all": the layout rewrites "all" adds are specific to the machine that made them,
    and a library may be copied to another.
    """
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = str(target)
    options.add_session_config_entry("session.optimized_model_external_initializers_file_name", WEIGHTS_FILE)
    # Every weight matrix; the graph keeps only its small constants (shapes, scalars).
    options.add_session_config_entry("session.optimized_model_external_initializers_min_size_in_bytes", "1024")
    onnxruntime.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])


def check_parity(folder: Path, model, status: dict) -> dict:
    """Compare the ONNX encoder in ``folder`` with ``model`` on ``PARITY_TEXTS``, loaded as
    questions will load it.

    Args:
        folder: where the export lives.
        model: the loaded ``SentenceTransformer``.
        status: the export's status record so far (its ``format`` and ``max_tokens``).

    Returns:
        ``{"usable": bool, "parity": least cosine or None, "reason": why not usable}``.
    """
    expected = model.encode(PARITY_TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    try:
        got = OnnxEncoder(folder, status=status).encode(PARITY_TEXTS)
    except OnnxUnavailable as error:
        return {"usable": False, "parity": None, "reason": str(error)}
    except EncoderDamaged as error:
        return {"usable": False, "parity": None, "reason": f"parity check failed: {error.reason}"}
    parity = float(np.min(np.sum(expected * got, axis=1)))
    # Written so that NaN fails: damaged weights can give NaN vectors, and NaN < PARITY is false.
    if not parity >= PARITY:
        return {"usable": False, "parity": parity, "reason": f"parity check failed: cosine {parity:.4f} < {PARITY}"}
    return {"usable": True, "parity": parity, "reason": None}


def fingerprint(model_folder: str) -> str:
    """Identify the model's weights by the size and first MiB of the weights file (hashing all
    90 MB would slow down every question), so an export made for other weights is not used."""
    digest = hashlib.sha256()
    weights = Path(model_folder) / "model.safetensors"
    digest.update(str(weights.stat().st_size).encode())
    with open(weights, "rb") as handle:
        digest.update(handle.read(1 << 20))
    return digest.hexdigest()[:16]


def read_status(folder: Path) -> dict | None:
    """The last export's status record, or ``None`` when there was none."""
    try:
        return json.loads((folder / STATUS_FILE).read_text())
    except (OSError, ValueError):
        return None


def write_status(folder: Path, status: dict) -> None:
    """Write the status record atomically."""
    tmp = folder / f".{STATUS_FILE}.tmp"
    try:
        tmp.write_text(json.dumps(status, indent=2))
        os.replace(tmp, folder / STATUS_FILE)
    finally:
        tmp.unlink(missing_ok=True)


class OnnxEncoder:
    """Encodes texts like the bundled sentence-transformers model, with onnxruntime only.

    Args:
        folder: the folder holding the export.
        status: the export's status record, when it is being checked and not yet written: it
            is then trusted without its parity. Read from ``folder`` when not given, and the
            export refused unless its parity check passed for the current model weights.
        prepack: repack the weights for onnxruntime's matrix kernels, for a build: it embedded
            passages 4 % and short texts 8 % faster, but copies every weight out of the
            memory-mapped ``WEIGHTS_FILE``, which a question's session starts without (in 9 ms,
            not 40).

    Raises:
        OnnxUnavailable: the export is missing, refused by its parity check, made from other
            model weights, or unreadable.
    """

    def __init__(self, folder: Path, status: dict | None = None, prepack: bool = False):
        read_here = status is None
        if status is None:
            from citeqa.index.embed import model_path

            status = read_status(folder)
            if not status:
                raise OnnxUnavailable("no ONNX query encoder in the library yet (the next build exports one)")
            if not status.get("usable"):
                raise OnnxUnavailable(f"ONNX query encoder refused: {status.get('reason')}")
            if status.get("fingerprint") != fingerprint(model_path()):
                raise OnnxUnavailable("the ONNX query encoder was exported from other model weights")
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as error:
            raise OnnxUnavailable(f"onnxruntime or tokenizers is not installed ({error.name})") from None
        try:
            self.tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
            options = onnxruntime.SessionOptions()
            options.log_severity_level = 3
            if status.get("format", 1) >= _FIRST_FUSED:
                # Fused when exported (``_fuse``): optimising again only delays the first question.
                options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
            if not prepack:
                options.add_session_config_entry("session.disable_prepacking", "1")
            # Thread counts are left to onnxruntime, which uses one intra-op thread per physical
            # core: right for a 2-core machine and a bigger one alike.
            self.session = onnxruntime.InferenceSession(
                str(folder / MODEL_FILE), options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # onnxruntime raises its own exception types for a bad file
            raise OnnxUnavailable(f"cannot load the ONNX query encoder: {str(error).splitlines()[0][:160]}") from None
        # Truncated where sentence-transformers truncates (the model's max_seq_length), or long
        # passages would embed differently from the parity-checked pipeline; encode() pads.
        self.tokenizer.enable_truncation(status.get("max_tokens", 256))
        self.tokenizer.no_padding()
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.words = None
        if "inputs_embeds" in self.inputs:
            try:
                self.words = np.load(folder / WORDS_FILE, mmap_mode="r", allow_pickle=False)
            except (OSError, ValueError) as error:
                raise OnnxUnavailable(f"cannot read the ONNX encoder's word vectors: {error}") from None
        # A build marks the export as being made before it replaces any of its files: status
        # unchanged since it was read, the files opened are one export's, not an old graph
        # with a new build's weights.
        if read_here and read_status(folder) != status:
            raise OnnxUnavailable("the ONNX query encoder was being replaced (the next 'citeqa build' finishes it)")
        self.folder = folder

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` into unit vectors, as ``Embedder.encode`` does.

        Returns:
            A ``(len(texts), 384)`` float32 array of unit-length rows, in the order of ``texts``.
        """
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for i, states in self._token_states(texts):
            out[i] = states.mean(axis=0)
        return normalise(out)

    def encode_passages(self, texts: list[str], spans: list[list[tuple[int, int]]]) -> tuple:
        """Embed passages, and each passage's sentences from the same forward pass.

        Args:
            texts: the passages as embedded (``passage_input``).
            spans: for each text, its sentences' character spans within that text.

        Returns:
            ``(passages, sentences)``: a ``(len(texts), 384)`` array, and one ``(len(spans[i]), 384)``
            array per text; every row unit length.
        """
        passages = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        sentences = [np.zeros((len(s), DIMENSION), dtype=np.float32) for s in spans]
        for i, states, encoding in self._token_states(texts, with_encodings=True):
            passages[i] = states.mean(axis=0)
            sentences[i] = pool_spans(states, encoding.offsets, encoding.special_tokens_mask, spans[i], passages[i])
        return normalise(passages), [normalise(block) for block in sentences]

    def _token_states(self, texts: list[str], with_encodings: bool = False):
        """Yield ``(index, token states)`` (and the encoding) for each of ``texts``.

        Texts are run shortest first, in batches of at most ``TOKEN_BUDGET`` padded tokens, so a
        batch pads each text to about its own length and its working set stays in cache.
        """
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and (end - start + 1) * len(encodings[order[end]].ids) <= TOKEN_BUDGET:
                end += 1
            batch = order[start:end]
            ids = np.zeros((len(batch), len(encodings[batch[-1]].ids)), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, i in enumerate(batch):
                ids[row, : len(encodings[i].ids)] = encodings[i].ids
                mask[row, : len(encodings[i].ids)] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            if self.words is not None:
                feed["inputs_embeds"] = np.asarray(self.words[ids], dtype=np.float32)
            try:
                hidden = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
            except Exception as error:  # onnxruntime's own exception types, from damaged weights
                raise EncoderDamaged(self.folder, str(error).splitlines()[0][:120]) from None
            if not np.isfinite(hidden).all():
                raise EncoderDamaged(self.folder, "it gave vectors that are not numbers")
            for row, i in enumerate(batch):
                states = hidden[row, : len(encodings[i].ids)]
                yield (i, states, encodings[i]) if with_encodings else (i, states)
            start = end
