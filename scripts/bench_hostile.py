"""Hostile-input benchmark: every file finishes or is skipped within its extraction limit.

Writes synthetic hostile files to a temporary folder and extracts each with
``corpus.extract_bounded`` (the path ``add``, ``build``, ``watch`` and ``fetch-refs`` take):
pages nested 100k levels deep, 50 MB files, 1,000 files named in non-Latin scripts, and text
full of terminal escape sequences. Prints one row per kind of file, the slowest file, and how
many ids the library gives the non-Latin names. Exits 1 if any file overran its limit.

    python scripts/bench_hostile.py            # the full set (a few minutes)
    python scripts/bench_hostile.py --quick    # the CI set (under a minute)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from citeqa import corpus
from citeqa.corpus.limits import MEGABYTES, SECONDS

#: What killing and replacing a worker may add to a file's limit before it counts as an overrun.
GRACE = 2.0
DEPTH = 100_000
MB = 2**20
ESCAPES = "\x1b]0;pwned title\x07\x1b[2J\x1b[31mred\x1b[0m \x1b[?1049h \x9b31m \u202eevil\u202c"


def nested(tag: str, depth: int) -> Callable[[Path], None]:
    """A page of ``depth`` nested ``tag`` elements around one sentence (closed, or never)."""

    def write(path: Path) -> None:
        close = f"</{tag}>" * depth if not tag.endswith(" ") else ""
        path.write_text(f"<html><body>{f'<{tag.strip()}>' * depth}A sentence deep inside.{close}</body></html>")

    return write


def table(depth: int) -> Callable[[Path], None]:
    """Tables nested in table cells, ``depth`` deep: the layout-table walk recurses into each."""

    def write(path: Path) -> None:
        path.write_text(
            "<html><body>"
            + "<table><tr><td>" * depth
            + "A cell deep inside."
            + "</td></tr></table>" * depth
            + "</body></html>"
        )

    return write


def one_line(size: int) -> Callable[[Path], None]:
    """``size`` bytes of words on a single line, with no paragraph break anywhere."""

    def write(path: Path) -> None:
        with path.open("w") as out:
            for _ in range(size // MB):
                out.write("word " * (MB // 5))

    return write


def paragraphs(size: int) -> Callable[[Path], None]:
    """``size`` bytes of ordinary paragraphs: a very large but well-formed text."""
    para = (
        "SYNTHETIC BENCHMARK TEXT. The example committee met again and agreed on nothing new. " * 4
    ).strip() + "\n\n"

    def write(path: Path) -> None:
        with path.open("w") as out:
            out.write(para * (size // len(para)))

    return write


def big_page(size: int) -> Callable[[Path], None]:
    """An HTML page of ``size`` bytes of paragraphs."""
    para = "<p>SYNTHETIC BENCHMARK PAGE. The example committee met again and agreed on nothing new.</p>\n"

    def write(path: Path) -> None:
        with path.open("w") as out:
            out.write("<html><body><main>" + para * (size // len(para)) + "</main></body></html>")

    return write


def escapes(path: Path) -> None:
    """A note whose every paragraph carries terminal escape and bidi control sequences."""
    path.write_text(f"# Escape note {ESCAPES}\n\n" + f"SYNTHETIC TEXT with controls {ESCAPES} in the middle.\n\n" * 200)


def escape_page(path: Path) -> None:
    path.write_text(
        f"<html><head><title>{ESCAPES}</title></head><body><main>"
        + f"<p>SYNTHETIC PAGE with controls {ESCAPES} in its paragraphs, long enough to keep.</p>" * 50
        + "</main></body></html>"
    )


def small_note(n: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_text(f"SYNTHETIC NOTE {n}. 会議は第{n}回目の例会で、何も新しいことは決まらなかった。\n")

    return write


def cases(quick: bool) -> list[tuple[str, str, Callable[[Path], None]]]:
    """``(kind, file name, writer)`` for every hostile file of the run."""
    big = 50 * MB
    out = [
        ("page: 100k nested div", "deep-div.html", nested("div", DEPTH)),
        ("page: 100k unclosed div", "unclosed-div.html", nested("div ", DEPTH)),
        ("page: 100k nested table", "deep-table.html", table(DEPTH)),
        ("text: 50 MB one line", "one-line-50mb.txt", one_line(big)),
        ("text: escape sequences", "escapes.md", escapes),
        ("page: escape sequences", "escapes.html", escape_page),
    ]
    if not quick:
        out += [
            ("page: 100k nested span", "deep-span.html", nested("span", DEPTH)),
            ("page: 100k nested li", "deep-list.html", nested("ul><li", DEPTH)),
            ("text: 50 MB paragraphs", "paragraphs-50mb.txt", paragraphs(big)),
            ("page: 50 MB paragraphs", "paragraphs-50mb.html", big_page(big)),
        ]
    scripts = ["日本語", "中文", "한국어", "العربية", "русский", "ελληνικά", "हिन्दी", "ไทย"]
    out += [("names: 1,000 non-Latin", f"{scripts[n % len(scripts)]}-{n}.txt", small_note(n)) for n in range(1000)]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the CI set: fewer, cheaper kinds of file")
    parser.add_argument("--seconds", type=float, default=SECONDS, help="time limit per file (default: the library's)")
    parser.add_argument(
        "--megabytes", type=int, default=MEGABYTES, help="memory limit per file (default: the library's)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        sources = home / "sources"
        sources.mkdir(parents=True)
        started = time.monotonic()
        rows, worst, overruns = extract_all(sources, args.quick, args.seconds, args.megabytes)
        total = time.monotonic() - started
        from citeqa.index.library import Library

        names = [
            p.name for p in sources.iterdir() if p.name.endswith(".txt") and "-" in p.stem and not p.stem[0].isascii()
        ]
        ids = {s.id for s in Library(home).sources() if Path(s.path).name in set(names)}

    print(f"limits: {args.seconds:g} s and {args.megabytes} MB per file ({'quick' if args.quick else 'full'} set)")
    print_rows(rows)
    print(
        f"worst: {worst[0]} took {worst[1]:.2f} s (limit {args.seconds:g} s); all {sum(r['files'] for r in rows.values())} files in {total:.1f} s"
    )
    print(f"ids: {len(names)} non-Latin file names got {len(ids)} distinct ids ({len(names) - len(ids)} collisions)")
    if overruns:
        print("OVER THE LIMIT: " + ", ".join(overruns))
        return 1
    print("every file finished or was skipped within its limit")
    return 0


def extract_all(sources: Path, quick: bool, seconds: float, megabytes: int) -> tuple[dict, tuple[str, float], list]:
    """Write each case into ``sources`` and extract it within the limits, timing each file.

    Args:
        sources: the library's sources folder, where the files are written.
        quick: the CI set only (see ``cases``).
        seconds, megabytes: the limits per file.

    Returns:
        ``(a row of counts per kind of file, (slowest file, its seconds), files over the limit)``.
    """
    rows: dict[str, dict] = {}
    worst = ("", 0.0)
    overruns = []
    for kind, name, write in cases(quick):
        path = sources / name
        write(path)
        row = rows.setdefault(kind, {"files": 0, "finished": 0, "skipped": 0, "worst": 0.0, "reasons": set(), "raw": 0})
        began = time.monotonic()
        try:
            doc = corpus.extract_bounded(path, seconds=seconds, megabytes=megabytes)
            row["finished"] += 1
            row["raw"] += "\x1b" in doc.text or "\x07" in doc.text
        except corpus.ExtractionError as error:
            row["skipped"] += 1
            row["reasons"].add(error.reason)
        took = time.monotonic() - began
        row["files"] += 1
        row["worst"] = max(row["worst"], took)
        if took > worst[1]:
            worst = (name, took)
        if took > seconds + GRACE:
            overruns.append(f"{name}: {took:.1f} s")
        if path.stat().st_size > MB:
            path.unlink()  # the ids need only the names; the disk need not hold 200 MB
    return rows, worst, overruns


def print_rows(rows: dict[str, dict]) -> None:
    """One line per kind of file: how many finished or were skipped, the slowest, and why skipped."""
    print(f"{'kind':28} {'files':>5} {'finished':>8} {'skipped':>7} {'worst s':>8}  reason skipped / note")
    for kind, row in rows.items():
        notes = sorted(row["reasons"]) + (
            [f"{row['raw']} kept raw escape characters in their text"] if row["raw"] else []
        )
        print(
            f"{kind:28} {row['files']:>5} {row['finished']:>8} {row['skipped']:>7} {row['worst']:>8.2f}  {'; '.join(notes)}"
        )


if __name__ == "__main__":
    sys.exit(main())
