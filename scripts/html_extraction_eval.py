"""Score HTML main-content extraction on the public article-extraction benchmark, in one run:
citeqa's ``read_html`` against trafilatura's ``extract()`` with its defaults.

The benchmark (181 real pages with gold article bodies, MIT licence, Scrapinghub) lives in
``../shared/data/article-extraction-benchmark``; development only. Scores come from the
benchmark's own ``evaluate.py`` (token-shingle precision, recall and F1, and accuracy), imported
from that folder, not copied.

Usage::

    python scripts/html_extraction_eval.py [--benchmark DIR] [--json]
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

import click

from citeqa.corpus.html import read_html
from citeqa.corpus.model import ExtractionError

BENCHMARK = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "article-extraction-benchmark"


def citeqa_body(path: Path) -> str:
    """The text citeqa indexes for a page (empty when it refuses the page)."""
    try:
        return read_html(str(path)).text
    except ExtractionError:
        return ""


def trafilatura_body(path: Path) -> str:
    """trafilatura's ``extract()`` with its defaults."""
    import trafilatura

    return trafilatura.extract(path.read_bytes()) or ""


EXTRACTORS = {"citeqa": citeqa_body, "trafilatura": trafilatura_body}


def _scorer(folder: Path):
    spec = importlib.util.spec_from_file_location("benchmark_evaluate", folder / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@click.command()
@click.option(
    "--benchmark", type=click.Path(exists=True, file_okay=False, path_type=Path), default=BENCHMARK, show_default=True
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def main(benchmark: Path, as_json: bool) -> None:
    """Print precision, recall, F1 and accuracy of each extractor, and its time per page."""
    scorer = _scorer(benchmark)
    truth = json.loads((benchmark / "ground-truth.json").read_text())
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        pages = {}
        for key in truth:
            path = Path(tmp) / f"{key}.html"
            path.write_bytes(gzip.decompress((benchmark / "html" / f"{key}.html.gz").read_bytes()))
            pages[key] = path
        for name, extract in EXTRACTORS.items():
            start = time.perf_counter()
            prediction = {key: {"articleBody": extract(path)} for key, path in pages.items()}
            seconds = time.perf_counter() - start
            metrics = scorer.evaluate(truth, prediction, n_bootstrap=200)
            results[name] = {k: round(metrics[k], 4) for k in ("f1", "precision", "recall", "accuracy")}
            results[name]["seconds_per_page"] = round(seconds / len(pages), 4)
    if as_json:
        click.echo(json.dumps(results, indent=2))
        return
    click.echo(f"{len(truth)} pages of {benchmark}")
    click.echo(f"{'extractor':<14}{'F1':>8}{'P':>8}{'R':>8}{'acc':>8}{'s/page':>9}")
    for name, m in results.items():
        click.echo(
            f"{name:<14}{m['f1']:>8.3f}{m['precision']:>8.3f}{m['recall']:>8.3f}{m['accuracy']:>8.3f}{m['seconds_per_page']:>9.3f}"
        )


if __name__ == "__main__":
    sys.exit(main())
