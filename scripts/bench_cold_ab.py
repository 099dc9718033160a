"""Cold ``citeqa ask`` of this checkout against an earlier commit, alternating, in one run.

Usage:
    python scripts/bench_cold_ab.py eda5af2            # 9 runs each, median and ratio
    python scripts/bench_cold_ab.py eda5af2 --runs 15

A cold ask is a whole process: interpreter start, imports, index and model load, one question.
Its absolute time moves with the machine's load from day to day, so a change is judged by the
ratio to a baseline timed in the same run, the two interleaved so that load hits both alike.
Both run from compiled bytecode, as an installed program does from its second run, kept in a
temporary folder whatever ``PYTHONDONTWRITEBYTECODE`` says.
The earlier commit is checked out into a temporary worktree and run from there: commits from
before ``citeqa`` became one package import ``qa.cli`` from the checkout's root, later ones
``citeqa.qa.cli`` from a folder named ``citeqa``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "When was the second India-Japan economic security dialogue held?"


def checkout(rev: str, folder: Path) -> tuple[str, dict]:
    """Check out ``rev`` under ``folder``; return the code that starts its CLI and its environment."""
    tree = folder / "citeqa"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev], check=True, capture_output=True
    )
    env = _environment(folder)
    if (tree / "qa" / "cli.py").exists() and not (tree / "__init__.py").exists():
        return "from qa.cli import main; main()", {**env, "PYTHONPATH": str(tree)}
    return "from citeqa.qa.cli import main; main()", {**env, "PYTHONPATH": str(folder)}


def _environment(folder: Path) -> dict:
    """The environment to run a version in: offline, its bytecode cached under ``folder``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "HF_HUB_OFFLINE": "1", "PYTHONPYCACHEPREFIX": str(folder / "bytecode")}


def main() -> None:
    """Build a library with each version, then time cold asks alternately."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rev", help="the earlier commit to compare with")
    parser.add_argument("--runs", type=int, default=9, help="cold asks of each (default 9)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        versions = {
            args.rev: (*checkout(args.rev, base / "old"), base / "home-old"),
            "this checkout": (
                "from citeqa.qa.cli import main; main()",
                _environment(base / "new"),
                base / "home-new",
            ),
        }
        times: dict[str, list[float]] = {name: [] for name in versions}
        try:
            for code, env, home in versions.values():
                cli = [sys.executable, "-c", code, "--home", str(home)]
                subprocess.run([*cli, "build"], env=env, cwd=base, check=True, capture_output=True)
                # Untimed: compiles the modules the build did not import.
                subprocess.run([*cli, "ask", QUESTION], env=env, cwd=base, check=True, capture_output=True)
            for _ in range(args.runs):
                for name, (code, env, home) in versions.items():
                    ask = [sys.executable, "-c", code, "--home", str(home), "ask", QUESTION]
                    start = time.perf_counter()
                    subprocess.run(ask, env=env, cwd=base, check=True, capture_output=True)
                    times[name].append(time.perf_counter() - start)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base / "old" / "citeqa")],
                capture_output=True,
            )
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"{args.runs} cold asks each, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    for name, median in medians.items():
        print(f"  {name:<16} {median:.3f} s")
    print(f"  ratio this / {args.rev}: {medians['this checkout'] / medians[args.rev]:.2f}x")


if __name__ == "__main__":
    main()
