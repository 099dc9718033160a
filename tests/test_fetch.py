"""``citeqa fetch-refs`` against a local HTTP server on 127.0.0.1 serving synthetic fixtures:
a page, a redirect, a 404, a slow response, an oversized body, a PDF served as text/html, a server
that fails once then answers, a URL that is not http(s), a server that trickles its body a byte
at a time, a second URL serving the very same page, and a "PDF" that is not one, twice.

Everything served here is a made-up test fixture, not a real release.
"""

from __future__ import annotations

import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pdfgen import pdf_bytes
from test_cli import run

from citeqa.index.fetch import fetch_references
from citeqa.index.library import Entry, Library

PAGE = (
    b"<!doctype html><html><head><title>Synthetic fixture release</title></head><body>"
    b"<nav><a href='/'>Home</a> | <a href='/media'>Media</a></nav>"
    b"<main><h1>Synthetic fixture release</h1><p>SYNTHETIC TEST FIXTURE. The Exampleland and Sampleonia "
    b"delegations agreed to review cooperation on exemplary minerals every six months.</p></main>"
    b"<footer>Copyright Example Ministry</footer></body></html>"
)
# Starts as a PDF does, so it is saved as one; the library cannot read it.
BROKEN_PDF = b"%PDF-1.4\nSYNTHETIC TEST FIXTURE: the rest of this file is not a PDF.\n"
PDF = pdf_bytes(
    [["Synthetic fixture paper", "", "SYNTHETIC TEST FIXTURE. Sampleonia will open a test laboratory in 2031."]]
)


class Handler(BaseHTTPRequestHandler):
    calls: dict[str, int] = {}

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        self.calls[self.path] = self.calls.get(self.path, 0) + 1
        if self.path == "/release.html":
            self._send(200, "text/html; charset=utf-8", PAGE)
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/release-copy.html")
            self.end_headers()
        elif self.path == "/release-copy.html":
            self._send(200, "text/html", PAGE.replace(b"six months", b"twelve months"))
        elif self.path == "/mirror.html":
            self._send(200, "text/html; charset=utf-8", PAGE)
        elif self.path == "/trickle":
            self._trickle()
        elif self.path == "/slow":
            time.sleep(3)
            self._send(200, "text/html", PAGE)
        elif self.path == "/huge":
            self._send(200, "text/html", b"<html><body><p>" + b"x" * (2 * 2**20) + b"</p></body></html>")
        elif self.path in ("/broken.pdf", "/broken-copy.pdf"):
            self._send(200, "application/pdf", BROKEN_PDF)
        elif self.path == "/paper":
            self._send(200, "text/html", PDF)
        elif self.path == "/flaky" and self.calls[self.path] == 1:
            self._send(503, "text/plain", b"busy")
        elif self.path == "/flaky":
            self._send(200, "text/html", PAGE.replace(b"six months", b"each quarter"))
        else:
            self._send(404, "text/plain", b"not found")

    def _send(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _trickle(self):
        """Announce a page, then send it one byte every 0.3 s: each read succeeds, the whole never
        arrives in time."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        for byte in PAGE:
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return
            time.sleep(0.3)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_refs_reports_each_reference_and_indexes_what_it_fetched(home, tmp_path, server):
    entries = [
        ("Example Ministry", "Synthetic fixture release", "/release.html"),
        ("Example Ministry", "Moved release", "/moved"),
        ("Example Ministry", "Missing release", "/missing"),
        ("Example Ministry", "Slow release", "/slow"),
        ("Example Ministry", "Huge release", "/huge"),
        ("Example Institute", "Synthetic fixture paper", "/paper"),
        # A title in French: the saved file's name, and so the source's id, keeps its accented letters.
        ("Example Ministry", "Communiqué éphémère", "/flaky"),
    ]
    lines = [f"- [{n}] {a}. (2026, May 1). *{t}*. {server}{p}" for n, (a, t, p) in enumerate(entries, 1)]
    lines.append("- [8] Example Archive. (2026, May 1). *Archive copy*. ftp://127.0.0.1/archive.txt")
    article = tmp_path / "synthetic-review.md"
    article.write_text(
        "# A synthetic review (test fixture)\n\nThis made-up review cites fixtures served locally [1][2].\n\n"
        "## References\n\n" + "\n".join(lines) + "\n"
    )
    run(home, "add", str(article))
    result = run(home, "fetch-refs", "--source", "synthetic-review", "--timeout", "1", "--max-size", "1", "--json")
    assert result.exit_code == 1  # some fetches failed
    outcome = {r["number"]: r for r in json.loads(result.output)["references"]}
    assert {n: r["status"] for n, r in outcome.items()} == {
        1: "fetched",
        2: "fetched",
        3: "failed",
        4: "failed",
        5: "failed",
        6: "fetched",
        7: "fetched",
        8: "failed",
    }
    assert "redirected to" in outcome[2]["detail"] and outcome[2]["detail"].endswith("/release-copy.html")
    assert outcome[3]["detail"] == "HTTP 404 Not Found"
    assert outcome[4]["detail"].startswith("timed out after 1 s")
    assert outcome[5]["detail"].startswith("too large")
    assert outcome[6]["detail"].startswith("saved ref-6-synthetic-fixture-paper.pdf")
    assert outcome[7]["detail"].startswith("saved ref-7-communiqué-éphémère.html")
    assert Handler.calls["/flaky"] == 2
    assert outcome[8]["detail"] == "only http and https URLs are fetched"

    linked = {
        e["number"]: e["source"]
        for e in json.loads(run(home, "refs", "--json").output)
        if e["citing"] == "synthetic-review"
    }
    assert linked[1] and linked[2] and linked[6] and linked[7] and not linked[3]
    answer = json.loads(run(home, "ask", "--json", "When will Sampleonia open a test laboratory?").output)
    top = answer["passages"][0]
    assert "2031" in top["highlight"] and top["source"]["title"] == "Synthetic fixture paper"
    assert top["location"]["page"] == 1

    again = json.loads(run(home, "fetch-refs", "--source", "synthetic-review", "--timeout", "1", "--json").output)
    assert {r["number"]: r["status"] for r in again["references"]}[1] == "skipped"


def test_fetch_refs_for_an_unknown_source_is_a_one_line_error(home):
    result = run(home, "fetch-refs", "--source", "nope")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no source 'nope' with a reference list (see 'citeqa refs')"


def _review(tmp_path, server, paths) -> str:
    """A synthetic article whose reference list points at ``paths`` on the local server."""
    lines = [f"- [{n}] Example Ministry. (2026, May 1). *Release {n}*. {server}{p}" for n, p in enumerate(paths, 1)]
    article = tmp_path / "synthetic-review.md"
    article.write_text(
        "# A synthetic review (test fixture)\n\nThis made-up review cites fixtures served locally [1].\n\n"
        "## References\n\n" + "\n".join(lines) + "\n"
    )
    return str(article)


def test_a_trickling_server_is_cut_off_at_the_deadline_and_a_duplicate_names_its_twin(home, tmp_path, server):
    Handler.calls.clear()
    run(home, "add", _review(tmp_path, server, ["/release.html", "/mirror.html", "/trickle"]))
    result = run(home, "fetch-refs", "--source", "synthetic-review", "--timeout", "1", "--json")
    assert result.exit_code == 1
    outcome = {r["number"]: r for r in json.loads(result.output)["references"]}
    assert outcome[1]["status"] == "fetched"
    assert outcome[2]["status"] == "skipped"
    assert outcome[2]["detail"] == f"same content as reference [1] (source {outcome[1]['source']}); not added again"
    assert outcome[2]["source"] == outcome[1]["source"]
    # Every read of the trickle succeeded; the whole download still ends at its deadline, and
    # is not tried again since another attempt would trickle just as slowly.
    assert outcome[3]["status"] == "failed"
    assert outcome[3]["detail"].startswith("download took longer than 1 s (")
    assert Handler.calls["/trickle"] == 1
    sources = json.loads(run(home, "sources", "--json").output)
    assert sum("release" in s["path"] for s in sources) == 1  # the twin was not copied in
    again = run(home, "fetch-refs", "--source", "synthetic-review", "--timeout", "1")
    assert again.exit_code == 1
    lines = again.stdout.splitlines()
    assert lines[0] == f"[1] skipped: already in the library as {outcome[1]['source']}"
    assert lines[-1] == "0 fetched, 1 failed, 2 skipped"


def test_a_download_the_library_refuses_fails_with_its_reason_and_the_others_still_go_in(home, tmp_path, server):
    run(home, "add", _review(tmp_path, server, ["/broken.pdf", "/release.html", "/broken-copy.pdf"]))
    result = run(home, "fetch-refs", "--source", "synthetic-review", "--timeout", "5", "--json")
    assert result.exit_code == 1
    outcome = {r["number"]: r for r in json.loads(result.output)["references"]}
    assert {n: r["status"] for n, r in outcome.items()} == {1: "failed", 2: "fetched", 3: "failed"}
    assert outcome[1]["detail"].startswith("downloaded but unusable: malformed PDF")
    # The copy is not downloaded into the library twice, and fails as the first did.
    assert outcome[3]["detail"] == outcome[1]["detail"]
    assert json.loads(result.output)["build"] is not None
    refs = json.loads(run(home, "refs", "--json").output)
    linked = {e["number"]: e["source"] for e in refs if e["citing"] == "synthetic-review"}
    assert linked[2] == outcome[2]["source"] and not linked[1] and not linked[3]


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("terminal", [True, False])
def test_progress_is_shown_on_a_terminal_and_nothing_when_piped(home, server, monkeypatch, terminal):
    stderr = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    entry = Entry(
        "synthetic-review", 1, "Example Ministry", "2026", "Trickled release", f"{server}/trickle", None, None
    )
    (result,) = fetch_references(Library(home), [entry], timeout=1.2, retries=0)
    assert result.status == "failed"
    if terminal:
        shown = stderr.getvalue()
        assert f"[1/1] reference [1] {server}/trickle: connecting" in shown
        assert f" bytes of {len(PAGE)} bytes, 1 s" in shown  # received so far, of the announced size
        assert shown.endswith("\r\x1b[K")  # the line is cleared before results are printed
    else:
        assert stderr.getvalue() == ""
