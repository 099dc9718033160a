"""Measure HTML main-content extraction: citeqa's rules against trafilatura on the same pages.

Each page ``NAME.html`` in the folder has a ``NAME.gold.json`` listing strings that must be kept
(body text), strings that must be dropped (menus, banners, related links, footers), and the
expected metadata (title, date, publisher, url). Scores, per extractor:

* keep recall: the share of ``keep`` strings found in the extracted text;
* drop rate: the share of ``drop`` strings absent from it;
* metadata: the share of gold metadata fields extracted exactly.

Matching is whitespace-normalised and case-sensitive. The default pages are the synthetic fixtures
under ``tests/fixtures/html`` (modelled on ministry, news, think-tank and table-layout pages); point
``--pages`` at a folder of real saved pages with gold files to measure on those.

Usage::

    python scripts/html_extraction_eval.py [--pages DIR] [--json]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import ExtractionError  # noqa: E402
from corpus.html import read_html  # noqa: E402

DEFAULT_PAGES = ROOT / "tests" / "fixtures" / "html"
META_FIELDS = ("title", "date", "publisher", "url")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def rules(path: Path) -> dict:
    """citeqa's own extractor."""
    try:
        doc = read_html(str(path))
    except ExtractionError:
        return {"text": ""}
    return {"text": doc.text, "title": doc.title, "date": doc.date, "publisher": doc.publisher, "url": doc.url}


def trafilatura_extract(path: Path) -> dict:
    """trafilatura's extraction with metadata, tables and comments excluded as a reader expects."""
    import trafilatura

    raw = path.read_bytes()
    result = trafilatura.bare_extraction(raw, include_comments=False, include_tables=True, with_metadata=True)
    if result is None:
        return {"text": ""}
    data = result if isinstance(result, dict) else result.as_dict()
    return {
        "text": data.get("text") or "",
        "title": data.get("title"),
        "date": data.get("date"),
        "publisher": data.get("sitename"),
        "url": data.get("url"),
    }


def score(extracted: dict, gold: dict) -> dict:
    """Keep recall, drop rate and metadata accuracy of one extraction against its gold file."""
    text = _norm(extracted["text"])
    kept = [s for s in gold["keep"] if _norm(s) in text]
    dropped = [s for s in gold["drop"] if _norm(s) not in text]
    fields = [f for f in META_FIELDS if f in gold]
    right = [f for f in fields if extracted.get(f) == gold[f]]
    return {
        "keep": len(kept) / len(gold["keep"]),
        "drop": len(dropped) / len(gold["drop"]),
        "meta": len(right) / len(fields) if fields else 1.0,
        "missed": [s for s in gold["keep"] if s not in kept],
        "leaked": [s for s in gold["drop"] if s not in dropped],
        "wrong_meta": {f: extracted.get(f) for f in fields if f not in right},
    }


@click.command()
@click.option("--pages", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_PAGES, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the per-page scores as JSON.")
def main(pages: Path, as_json: bool) -> None:
    """Print keep recall, drop rate and metadata accuracy per extractor."""
    extractors = {"citeqa rules": rules}
    try:
        import trafilatura  # noqa: F401

        extractors["trafilatura"] = trafilatura_extract
    except ImportError:
        click.echo("trafilatura is not installed: measuring citeqa's rules only", err=True)
    results: dict[str, dict[str, dict]] = {name: {} for name in extractors}
    for gold_path in sorted(pages.glob("*.gold.json")):
        page = gold_path.with_name(gold_path.name.replace(".gold.json", ".html"))
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        for name, extractor in extractors.items():
            results[name][page.name] = score(extractor(page), gold)
    if as_json:
        click.echo(json.dumps(results, indent=2, ensure_ascii=False))
        return
    click.echo(f"{len(next(iter(results.values())))} pages from {pages}")
    click.echo(f"{'extractor':<14} {'keep recall':>11} {'drop rate':>10} {'metadata':>9}")
    for name, per_page in results.items():
        n = len(per_page) or 1
        mean = {k: sum(r[k] for r in per_page.values()) / n for k in ("keep", "drop", "meta")}
        click.echo(f"{name:<14} {mean['keep']:>11.3f} {mean['drop']:>10.3f} {mean['meta']:>9.3f}")
    for name, per_page in results.items():
        for page, r in per_page.items():
            for kind in ("missed", "leaked"):
                for s in r[kind]:
                    click.echo(f"  {name}: {page}: {kind} {s[:70]!r}")
            for field, value in r["wrong_meta"].items():
                click.echo(f"  {name}: {page}: wrong {field} {value!r}")


if __name__ == "__main__":
    main()
