"""Warm question latency through ``citeqa serve``'s JSON API, against the same questions in-process.

Usage:
    python scripts/bench_serve.py              # the article's questions, 3 rounds after a warm-up
    python scripts/bench_serve.py --json

Builds a library of the bundled article in a temporary home, starts ``citeqa serve`` on a free
loopback port in its own process, and asks every question of ``scripts/questions.jsonl`` through
``GET /api/ask?q=...&k=5`` over one kept-alive connection, after one warm-up round. Each request is
timed from sending to the last byte of the answer, so the figure holds the server's whole work
plus a loopback round trip: an upper bound on its server time. The same questions are then asked
in this process through ``Asker.ask`` (no HTTP), the baseline of the ratio.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from citeqa import Asker, Library

SCRIPTS = Path(__file__).resolve().parent
CLI = [sys.executable, "-c", "from citeqa.qa.cli import main; main()"]


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, seconds: float = 120) -> None:
    """Return once something accepts connections on ``port``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"citeqa serve did not listen on port {port} within {seconds:g} s")


@contextmanager
def served_article():
    """A library of the bundled article in a temporary home, served by ``citeqa serve`` in its own
    process on a free loopback port; yields ``(home, port)`` and stops the server after."""
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        subprocess.run([*CLI, "--home", str(home), "build"], check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen(
            [*CLI, "--home", str(home), "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(port)
            yield home, port
        finally:
            server.terminate()
            server.wait(timeout=30)


def through_api(port: int, questions: list[str], rounds: int) -> list[float]:
    """Seconds per ``/api/ask`` request, over ``rounds`` rounds after one warm-up round."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times = []
    for round_number in range(rounds + 1):
        for question in questions:
            path = "/api/ask?" + urllib.parse.urlencode({"q": question, "k": 5})
            start = time.perf_counter()
            connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
            response = connection.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - start
            if response.status != 200:
                sys.exit(f"/api/ask answered {response.status}: {body[:200]!r}")
            if round_number:
                times.append(elapsed)
    connection.close()
    return times


def in_process(home: Path, questions: list[str], rounds: int) -> list[float]:
    """Seconds per ``Asker.ask`` in this process, over ``rounds`` rounds after one warm-up."""
    times = []
    with Asker(Library(home)) as asker:
        for round_number in range(rounds + 1):
            for question in questions:
                start = time.perf_counter()
                asker.ask(question, k=5)
                if round_number:
                    times.append(time.perf_counter() - start)
    return times


def main() -> None:
    """Build, serve, time both ways and print the medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds after the warm-up (default 3)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    questions = [json.loads(line)["question"] for line in (SCRIPTS / "questions.jsonl").read_text().splitlines()]
    with served_article() as (home, port):
        api = through_api(port, questions, args.rounds)
        local = in_process(home, questions, args.rounds)
    result = {
        "questions": len(questions),
        "rounds": args.rounds,
        "cpu_count": os.cpu_count(),
        "load_1min": os.getloadavg()[0],
        "api_median_ms": statistics.median(api) * 1000,
        "api_p95_ms": statistics.quantiles(api, n=20)[-1] * 1000,
        "in_process_median_ms": statistics.median(local) * 1000,
    }
    result["ratio"] = result["api_median_ms"] / result["in_process_median_ms"]
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"{len(questions)} questions x {args.rounds} rounds, {os.cpu_count()} cores, load {result['load_1min']:.2f}\n"
        f"  GET /api/ask (request to last byte)   median {result['api_median_ms']:.1f} ms, "
        f"p95 {result['api_p95_ms']:.1f} ms\n"
        f"  Asker.ask in process                  median {result['in_process_median_ms']:.1f} ms\n"
        f"  ratio api / in process                {result['ratio']:.2f}x"
    )


if __name__ == "__main__":
    main()
