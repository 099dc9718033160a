"""Shared fixtures: the real bundled model and one built library, made once per test session."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# The shared ONNX export cache (index/export_cache.py) of this test session, not the user's;
# removed at the end (a 90 MB export each session would pile up).
_CACHE = tempfile.mkdtemp(prefix="citeqa-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE


@pytest.fixture(scope="session", autouse=True)
def _remove_the_sessions_cache():
    yield
    shutil.rmtree(_CACHE, ignore_errors=True)


from citeqa.index import export_cache  # noqa: E402
from citeqa.index.embed import Embedder  # noqa: E402
from citeqa.index.library import Library  # noqa: E402


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The bundled sentence-transformers model, loaded once for the whole session."""
    return Embedder()


@pytest.fixture(scope="session")
def built_home(tmp_path_factory, embedder):
    """A library holding the bundled article, built once. Copy it before changing it."""
    home = tmp_path_factory.mktemp("built") / "home"
    Library(home).build(embedder=embedder)
    recorded = export_cache.file_hashes(home)
    yield home
    # Every test's ``home`` links these files: one written into would have damaged them all.
    assert export_cache.file_hashes(home) == recorded, "a test wrote into the shared ONNX export"


@pytest.fixture
def home(built_home, tmp_path):
    """A private copy of the built library that a test may change.

    Its ONNX export's files are hard links to the built library's, as a new library's are to the
    machine's cached export: a 90 MB copy for each test wrote some 14 GB a run. A test that
    damages one of them replaces it (``unlink`` first) instead of writing into it.
    """
    target = tmp_path / "home"

    def link_export(source, destination):
        if Path(source).name in export_cache.FILES:
            export_cache.place(Path(source), Path(destination))
            return destination
        return shutil.copy2(source, destination)

    shutil.copytree(built_home, target, copy_function=link_export)
    return target


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium for browser tests; they skip without it, except where CI requires it."""
    path = shutil.which("chromium")
    if path is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CITEQA_REQUIRE_CHROMIUM"):
            pytest.fail(message)
        pytest.skip(message)
    return path


#: How the browser tests start chromium: headless, and quiet on this machine's closed network
#: (without the background-networking flags it keeps trying to reach Google's hosts).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser(chromium):
    """Debian's chromium driven by Playwright, one per test module."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (the test extra) is not installed")
    with sync_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
