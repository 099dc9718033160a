"""Helpers for the tests of ``citeqa serve``: the app under Starlette's TestClient, a live server
on a free loopback port, and changes sent the way the page sends them."""

from __future__ import annotations

import re
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from starlette.testclient import TestClient

from citeqa.index.library import Library
from citeqa.qa.web.app import create_app

#: Where the TestClient's requests say they go: the address the app was told it listens on.
BASE = "http://127.0.0.1:8000"


@contextmanager
def client(home: Path, **options):
    """A TestClient over the app serving ``home``, started (index loaded) and stopped around use."""
    app = create_app(Library(home), "127.0.0.1", 8000, **options)
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client


def token(test_client) -> str:
    """The token the page carries, read from the page as a browser would."""
    return re.search(r'name="citeqa-token" content="([^"]+)"', test_client.get("/").text).group(1)


def page_headers(test_client) -> dict:
    """Headers of a change sent from the page itself: its Origin and its token."""
    return {"origin": BASE, "x-citeqa-token": token(test_client)}


def wait(test_client, started: dict, timeout: float = 300) -> dict:
    """Poll a job the API started until it ends; return its final state."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = test_client.get(started["status"]).json()
        if state["state"] != "running":
            return state
        time.sleep(0.2)
    raise AssertionError(f"job {started['job']} still running after {timeout} s")


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def live_server(home: Path):
    """``citeqa serve``'s app under uvicorn in a thread on a free loopback port; yields its URL."""
    port = free_port()
    app = create_app(Library(home), "127.0.0.1", port)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=60)
