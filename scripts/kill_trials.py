"""Kill trials: SIGKILL ``citeqa build``, ``build --full`` and ``add`` at random moments.

On a small synthetic library, each trial starts one of the three commands, kills it with SIGKILL
at a random moment within its usual duration (fixed seed, so a run can be repeated), and then
checks what a user would: ``citeqa ask`` still answers, and no source's metadata (the title and
publisher given with ``add``) is attached to another source, in ``ask``'s citations or in
``citeqa sources``. Prints a table, one row per trial. Exits 1 if any trial failed a check.

    python scripts/kill_trials.py [--trials 20] [--seed 12]

Slow (every command loads the model): about a minute per trial on two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CITEQA = [str(Path(sys.executable).with_name("citeqa"))]
COMMANDS = ("build", "build --full", "add")


def note(tag: str, heading: str, days: int) -> str:
    """A synthetic note whose one fact and code ``KT-<tag>`` belong to it alone."""
    return (
        f"# {heading}\n\nSYNTHETIC TEST FIXTURE. The committee for widget {tag} meets every {days} days "
        f"in Exampleton. Its register code is KT-{tag}, and no other committee uses that code.\n"
    )


class Trials:
    """A synthetic library and what each of its files' citations must say."""

    def __init__(self, folder: Path, seed: int):
        self.folder = folder
        self.home = folder / "home"
        self.random = random.Random(seed)
        self.expected: dict[str, tuple[str, str | None]] = {}  # code tag -> (title, publisher)
        self.env = dict(os.environ, HF_HUB_OFFLINE="1")

    def citeqa(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*CITEQA, "--home", str(self.home), *args], capture_output=True, text=True, env=self.env, timeout=timeout
        )

    def new_file(self, tag: str, heading: str) -> Path:
        path = self.folder / f"note-{tag}.md"
        path.write_text(note(tag, heading, self.random.randint(2, 90)))
        return path

    def add_args(self, tag: str) -> list[str]:
        """``add`` with a title and publisher of this file's own, and record them as expected."""
        title, publisher = f"Synthetic report {tag}", f"Publisher {tag}"
        self.expected[tag] = (title, publisher)
        return ["add", str(self.new_file(tag, f"Untitled note {tag}")), "--title", title, "--publisher", publisher]

    def prepare(self, kind: str, trial: int) -> list[str]:
        """The arguments of one trial's command, after giving it work to do."""
        if kind == "add":
            return self.add_args(f"a{trial}")
        # A file dropped straight into the sources folder: the build has to extract and embed it.
        tag = f"b{trial}"
        heading = f"Extra note {tag}"
        (self.home / "sources" / f"extra-{tag}.md").write_text(note(tag, heading, self.random.randint(2, 90)))
        self.expected[tag] = (heading, None)
        return kind.split()

    def check(self) -> tuple[bool, float, list[str]]:
        """``(ask answered, its seconds, metadata problems)`` for the library as it is now."""
        indexed = self.indexed_tags()
        tag = self.random.choice(sorted(indexed) or sorted(self.expected))
        started = time.monotonic()
        asked = self.citeqa("ask", "--json", f"How often does the committee for widget {tag} meet?")
        seconds = time.monotonic() - started
        problems = []
        try:
            passages = json.loads(asked.stdout)["passages"]
        except (ValueError, KeyError):
            passages = None
        answered = asked.returncode == 0 and bool(passages)
        for passage in passages or []:
            for code, (title, publisher) in self.expected.items():
                if f"KT-{code}," in passage["text"] and not _matches(passage["source"], title, publisher):
                    problems.append(f"ask cites KT-{code} as '{passage['source']['title']}'")
        for code, title in self.source_titles().items():
            if title != self.expected[code][0]:
                problems.append(f"sources lists note {code} as '{title}'")
        if not answered:
            problems.append("ask: " + (asked.stderr.strip().splitlines() or ["no passages"])[-1][:80])
        return answered, seconds, problems

    def source_titles(self) -> dict[str, str]:
        """The title ``citeqa sources`` shows for each indexed note, by its code tag."""
        listed = self.citeqa("sources", "--json")
        titles = {}
        for source in json.loads(listed.stdout) if listed.returncode == 0 else []:
            name = Path(source["path"]).stem
            tag = name.split("-", 1)[1] if "-" in name else ""
            if source["indexed"] and tag in self.expected:
                titles[tag] = source["title"]
        return titles

    def indexed_tags(self) -> set[str]:
        return set(self.source_titles())


def _matches(source: dict, title: str, publisher: str | None) -> bool:
    return source["title"] == title and (publisher is None or source["publisher"] == publisher)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        trials = Trials(Path(folder), args.seed)
        # The starting library: four notes added with their own metadata, built.
        durations: dict[str, float] = {}
        for n in range(4):
            started = time.monotonic()
            done = trials.citeqa(*trials.add_args(f"s{n}"))
            durations["add"] = time.monotonic() - started
            if done.returncode != 0:
                print(f"setup failed: {done.stderr.strip()}")
                return 1
        for kind in ("build", "build --full"):
            started = time.monotonic()
            trials.citeqa(*trials.prepare(kind, -len(durations)))
            durations[kind] = time.monotonic() - started
        print("uninterrupted: " + ", ".join(f"{k} {v:.1f} s" for k, v in durations.items()) + f"; seed {args.seed}")
        print(f"{'trial':>5}  {'command':13} {'kill at':>8}  {'killed':6}  {'ask':6} {'ask s':>6}  metadata")

        failures = 0
        for trial in range(args.trials):
            kind = COMMANDS[trial % len(COMMANDS)]
            command = trials.prepare(kind, trial)
            moment = trials.random.uniform(0.05, 0.95) * durations[kind]
            process = subprocess.Popen(
                [*CITEQA, "--home", str(trials.home), *command],
                env=trials.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                process.wait(timeout=moment)
                killed = "no"  # it finished first: the trial still checks the state it left
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
                killed = "yes"
            answered, seconds, problems = trials.check()
            failures += not answered or bool(problems)
            metadata = "ok" if not problems else "; ".join(problems)[:120]
            print(
                f"{trial + 1:>5}  {kind:13} {moment:>7.1f}s  {killed:6}  {'yes' if answered else 'NO':6} {seconds:>6.1f}  {metadata}",
                flush=True,
            )

        rebuilt = trials.citeqa("build")
        answered, seconds, problems = trials.check()
        print(
            f"after a final build (exit {rebuilt.returncode}): ask {'answers' if answered else 'FAILS'} "
            f"in {seconds:.1f} s; metadata {'ok' if not problems else '; '.join(problems)}"
        )
        failures += not answered or bool(problems)
        print(f"{failures} of {args.trials + 1} checks failed")
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
