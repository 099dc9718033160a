"""How much of each PDF's text pypdf runs together, and what reading PDFium's spaces changes.

Usage:
    python scripts/pdf_spacing.py FILE.pdf [FILE.pdf ...]

For each file: its pages, the runs of 18 or more letters in pypdf's lines before and after
``corpus.pdfspaces.respaced`` (a run that long is seldom one word), how many lines it changed,
and the seconds it took. ``--show N`` prints the first N changed lines of each file.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
import warnings

from citeqa.corpus.pdflines import page_lines
from citeqa.corpus.pdfspaces import respaced

_RUN = re.compile(r"[^\W\d_]{18,}")


def main() -> int:
    """Print one line per file (and its changed lines with ``--show``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--show", type=int, default=0, help="changed lines to print per file")
    args = parser.parse_args()
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    warnings.simplefilter("ignore")
    print(f"{'file':<40}{'pages':>6}{'runs before':>13}{'after':>7}{'lines changed':>15}{'seconds':>9}")
    for path in args.files:
        pages = [page_lines(page) for page in PdfReader(path).pages]
        started = time.perf_counter()
        after = respaced(path, pages)
        seconds = time.perf_counter() - started
        changed = [new for old, new in zip(_lines(pages), _lines(after), strict=True) if old != new]
        before_runs = sum(len(_RUN.findall(line)) for line in _lines(pages))
        after_runs = sum(len(_RUN.findall(line)) for line in _lines(after))
        name = path.rsplit("/", 1)[-1][:39]
        print(f"{name:<40}{len(pages):>6}{before_runs:>13}{after_runs:>7}{len(changed):>15}{seconds:>9.2f}")
        for line in changed[: args.show]:
            print(f"    {line[:110]}")
    return 0


def _lines(pages) -> list[str]:
    return [text for lines in pages for text, _ in lines]


if __name__ == "__main__":
    sys.exit(main())
