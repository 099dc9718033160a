"""``citeqa serve`` through Starlette's TestClient, on copies of the session's built library (the
bundled article) and small synthetic uploads: the API's shapes, and what it refuses."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest
from pdfgen import pdf_bytes
from serving import BASE, client, free_port, page_headers, token, wait
from starlette.testclient import TestClient
from test_cli import QUESTION, run
from test_refs import add_reference_list

from citeqa.index.library import Library
from citeqa.qa.answer import Asker
from citeqa.qa.web.app import create_app
from citeqa.qa.web.guard import TOKEN_HEADER
from citeqa.qa.web.server import exposure_warning

ARTICLE = "sahoo-2026-economic-security-as-strategic-diplomacy"
SYNTHETIC = (
    b"# Port notice\n\nThe synthetic Quillby ferry resumed its crossings on 2 February 2026.\n\n"
    b"(SYNTHETIC TEST FIXTURE: an invented ferry.)\n"
)


@pytest.fixture(scope="module")
def served_home(built_home, tmp_path_factory):
    """One copy of the built library for the tests that change nothing."""
    home = tmp_path_factory.mktemp("serve") / "home"
    shutil.copytree(built_home, home)
    return home


@pytest.fixture(scope="module")
def api(served_home):
    with client(served_home) as test_client:
        yield test_client


def test_api_ask_is_exactly_what_ask_json_prints(api, served_home):
    printed = json.loads(run(served_home, "ask", "-k", "3", "--json", QUESTION).output)
    response = api.get("/api/ask", params={"q": QUESTION, "k": 3})
    assert response.status_code == 200
    assert response.json() == printed
    assert "11 May 2026" in response.json()["passages"][0]["highlight"]


def test_api_ask_gives_five_passages_by_default_and_refuses_bad_input(api):
    assert len(api.get("/api/ask", params={"q": QUESTION}).json()["passages"]) == 5
    assert api.get("/api/ask").status_code == 400
    assert api.get("/api/ask", params={"q": "???"}).json()["error"] == "the question '???' has no words to search for"
    assert api.get("/api/ask", params={"q": QUESTION, "k": 0}).status_code == 400
    assert api.get("/api/ask", params={"q": QUESTION, "k": "five"}).json()["error"].startswith("k must be")


def test_api_sources_lists_metadata_and_counts(api):
    listed = api.get("/api/sources").json()
    (article,) = [s for s in listed["sources"] if s["id"] == ARTICLE]
    assert article["publisher"] == "World Journal of Advanced Research and Reviews"
    assert article["kind"] == "text" and article["indexed"] and article["passages"] > 20
    assert article["reason"] is None and listed["skipped"] == []


def test_api_source_gives_text_and_passages_at_their_offsets(api):
    source = api.get(f"/api/sources/{ARTICLE}").json()
    assert source["url"] == "https://doi.org/10.30574/wjarr.2026.30.2.1485"
    for passage in source["passages"]:
        sentences = passage["sentences"]
        assert passage["start"] <= sentences[0][0] and sentences[-1][1] <= passage["end"]
    # A passage cited in an answer is found at its offsets in the source's text.
    cited = api.get("/api/ask", params={"q": QUESTION, "k": 1}).json()["passages"][0]
    loc = cited["location"]
    assert source["text"][loc["start"] : loc["end"]] == cited["text"]


def test_the_source_page_shows_a_section_heading_over_its_subsections(api):
    # "4. The Second ... Dialogue" has no passage of its own, only 4.1 to 4.3 under it.
    page = api.get(f"/sources/{ARTICLE}").text
    assert (
        '<h2 class="heading">4. The Second India-Japan Economic Security Dialogue: Structure and Substance</h2>' in page
    )
    assert '<h2 class="heading">4.1. Institutional design and participants</h2>' in page


def test_api_audit_is_the_audit_json(api, served_home):
    printed = json.loads(run(served_home, "audit", "--json").output)
    assert api.get("/api/audit").json() == printed
    assert api.get("/api/audit", params={"source": "nope"}).status_code == 404


def test_an_unknown_api_path_or_method_is_a_json_error(api):
    missing = api.get("/api/nothing-here")
    assert missing.status_code == 404 and missing.json() == {"error": "Not Found"}
    wrong = api.put("/api/audit", headers=page_headers(api))
    assert wrong.status_code == 405 and wrong.json() == {"error": "Method Not Allowed"}
    assert api.get("/no-such-page").status_code == 404


def test_api_audit_asks_for_a_source_when_several_have_reference_lists(home, tmp_path):
    review = add_reference_list(home, tmp_path)
    with client(home) as served:
        refused = served.get("/api/audit")
        assert refused.status_code == 400 and "choose one with ?source=" in refused.json()["error"]
        assert served.get("/api/audit", params={"source": review}).status_code == 200


def test_the_audit_page_offers_the_sources_it_can_audit(api):
    missing = api.get("/audit", params={"source": "nope"})
    assert missing.status_code == 404 and "no source &#39;nope&#39; in the library" in missing.text
    assert f'<a class="auditable" href="/audit?source={ARTICLE}">' in missing.text


def test_openapi_document_names_every_route(api):
    paths = api.get("/api/openapi.json").json()["paths"]
    assert {"/api/ask", "/api/sources", "/api/sources/{source_id}", "/api/audit", "/api/jobs/{job_id}"} <= set(paths)


@pytest.mark.parametrize(
    "headers",
    [
        {},  # a form posted by a script, or curl
        {"origin": "http://evil.example"},
        {"origin": BASE},  # right origin, no token
        {"origin": BASE, "x-citeqa-token": "guessed"},
    ],
)
def test_changes_not_from_the_page_are_refused(api, served_home, headers):
    assert api.post("/api/build", headers=headers).status_code == 403
    removal = api.delete(f"/api/sources/{ARTICLE}", headers=headers)
    assert removal.status_code == 403 and "refused" in removal.json()["error"]
    upload = api.post("/api/sources", headers=headers, files={"file": ("a.md", SYNTHETIC)})
    assert upload.status_code == 403
    assert sorted(p.name for p in (served_home / "sources").iterdir()) == [f"{ARTICLE}.txt"]


def test_a_token_from_another_origin_is_refused_too(api):
    forged = {"origin": "http://evil.example", "x-citeqa-token": token(api)}
    assert api.post("/api/build", headers=forged).status_code == 403


def test_requests_naming_another_host_are_refused(api):
    # What a DNS-rebinding page sends: its own name in Host, with this server's address behind it.
    response = api.get("/api/sources", headers={"host": "evil.example:8000"})
    assert response.status_code == 400 and "Host" in response.json()["error"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/sources/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/sources/..%2Fsources.json",
        "/sources/..%2F..%2Fsources.json",
        "/sources/%2e%2e",
        "/static/..%2F..%2Ferrors.py",
        "/static/%2e%2e/app.py",
    ],
)
def test_ids_and_static_paths_cannot_reach_other_files(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert "CiteqaError" not in response.text and "root:" not in response.text


def test_removing_by_a_path_is_refused_and_deletes_nothing(api, served_home):
    response = api.delete("/api/sources/..%2Findex", headers=page_headers(api))
    assert response.status_code == 404
    assert (served_home / "index.db").exists() and (served_home / "sources" / f"{ARTICLE}.txt").exists()


def test_pages_send_a_policy_that_loads_nothing_from_elsewhere(api):
    headers = api.get("/").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "script-src 'self'" in headers["content-security-policy"]
    page = api.get("/").text
    assert "http://" not in page.replace(BASE, "") and "https://" not in page


def test_only_loopback_is_silent(served_home):
    assert exposure_warning("127.0.0.1", 8000) is None
    warning = exposure_warning("0.0.0.0", 8000)
    assert "reachable from every network" in warning and "change it" in warning


def test_the_served_app_on_every_interface_refuses_a_rebinding_page(served_home):
    app = create_app(Library(served_home), "0.0.0.0", 8000)
    with TestClient(app, base_url=BASE) as served:
        assert served.get("/api/sources").status_code == 200
        page = token(served)
        evil = {"host": "evil.example:8000"}
        assert served.get("/", headers=evil).status_code == 400
        assert served.get("/api/sources", headers=evil).status_code == 400
        forged = {**evil, "origin": "http://evil.example:8000", TOKEN_HEADER: page}
        assert served.delete(f"/api/sources/{ARTICLE}", headers=forged).status_code == 400
    assert (served_home / "sources" / f"{ARTICLE}.txt").exists()


def test_uploads_over_the_cap_are_refused_and_nothing_is_added(home):
    with client(home, max_upload=1024) as capped:
        headers = page_headers(capped)
        # Within the envelope's slack: refused while the file is copied, by its real size.
        near = capped.post("/api/sources", headers=headers, files={"file": ("near.md", SYNTHETIC * 20)})
        # Far over: refused by its declared length before it is read.
        far = capped.post("/api/sources", headers=headers, files={"file": ("far.md", SYNTHETIC * 2000)})
        assert (near.status_code, far.status_code) == (413, 413)
        assert "larger than the 1 KB limit" in near.json()["error"]
    assert sorted(p.name for p in (home / "sources").iterdir()) == [f"{ARTICLE}.txt"]


def test_upload_with_metadata_builds_and_the_next_question_finds_it(home, tmp_path, monkeypatch):
    # Uploads land in a folder under tmp_path/tmp: a name escaping it by "../../" would land in tmp_path.
    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    with client(home) as served:
        headers = page_headers(served)
        fields = {
            "publisher": "Quillby Port",
            "date": "2026-02-03",
            "url": "https://example.org/ferry",
            "authors": "Ada Widget; Bo Gadget",
        }
        # A path in the name is dropped: the file lands in the sources folder under its own name.
        sent = {"file": ("../../ferry-notice.md", SYNTHETIC)}
        started = served.post("/api/sources", headers=headers, data=fields, files=sent)
        assert started.status_code == 202
        done = wait(served, started.json())
        assert done["state"] == "done", done
        assert done["result"]["added"] == ["ferry-notice.md"] and done["result"]["build"]["added"] == 1
        listed = {s["id"]: s for s in served.get("/api/sources").json()["sources"]}
        assert listed["ferry-notice"]["publisher"] == "Quillby Port" and listed["ferry-notice"]["passages"] == 1
        assert listed["ferry-notice"]["authors"] == ["Ada Widget", "Bo Gadget"]
        # The build swapped the index under the running server: no restart.
        answer = served.get("/api/ask", params={"q": "When did the Quillby ferry resume its crossings?", "k": 1})
        assert answer.json()["passages"][0]["source"]["id"] == "ferry-notice"
        assert "Ada Widget, Bo Gadget" in served.get("/", params={"q": "When did the Quillby ferry resume?"}).text
        removed = wait(served, served.delete("/api/sources/ferry-notice", headers=headers).json())
        assert removed["state"] == "done" and removed["result"]["build"]["removed"] == 1
        assert "ferry-notice" not in {s["id"] for s in served.get("/api/sources").json()["sources"]}
    # The upload's temporary folder is gone, and nothing was written outside the library.
    assert list(spool.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "tmp"]
    assert sorted(p.name for p in (home / "sources").iterdir()) == [f"{ARTICLE}.txt"]


def test_files_a_build_skips_are_listed_with_their_reasons(home):
    (home / "sources" / "scan.txt").write_bytes(b"\x00\x01" * 50)
    with client(home) as served:
        done = wait(served, served.post("/api/build", headers=page_headers(served)).json())
        assert done["state"] == "done" and done["result"]["skipped"] == 1
        listed = served.get("/api/sources").json()
        assert listed["skipped"] == [{"path": "scan.txt", "reason": "binary file, not text"}]
        (scan,) = [s for s in listed["sources"] if s["file"] == "scan.txt"]
        assert not scan["indexed"] and scan["reason"] == "binary file, not text"
        assert "binary file, not text" in served.get("/sources").text


def test_an_unreadable_upload_is_refused_with_its_reason(home):
    with client(home) as served:
        headers = page_headers(served)
        bad_date = served.post(
            "/api/sources", headers=headers, data={"date": "May 2026"}, files={"file": ("a.md", SYNTHETIC)}
        )
        assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.json()["error"]
        hidden = served.post("/api/sources", headers=headers, files={"file": ("..", SYNTHETIC)})
        assert hidden.status_code == 400
        started = served.post("/api/sources", headers=headers, files={"file": ("binary.txt", b"\x00\x01" * 50)})
        done = wait(served, started.json())
        # The upload failed, saying why, as `citeqa add` exits 1; what it did is still told.
        assert done["state"] == "failed" and done["error"] == "binary.txt: binary file, not text"
        assert done["result"]["added"] == []
        assert done["result"]["skipped"] == [{"path": "binary.txt", "reason": "binary file, not text"}]
        # A reference no source lists: named as uploaded, not by its temporary folder.
        started = served.post("/api/sources", headers=headers, data={"ref": "99"}, files={"file": ("a.md", SYNTHETIC)})
        done = wait(served, started.json())
        assert done["state"] == "failed" and done["error"].startswith("a.md: no reference [99]")
    assert sorted(p.name for p in (home / "sources").iterdir()) == [f"{ARTICLE}.txt"]


def test_a_build_from_the_terminal_is_picked_up_without_a_restart(home, tmp_path, monkeypatch):
    question = {"q": "When did the Quillby ferry resume its crossings?", "k": 5}
    with client(home) as served:
        assert served.get("/api/ask", params=question).json()["passages"][0]["source"]["id"] == ARTICLE
        # A terminal build commits while a question is being answered, after the server checked
        # that its index is current: it removes every passage the open FAISS file points to.
        ask = Asker.ask
        builds = []

        def ask_while_a_build_commits(asker, *args, **kwargs):
            if not builds:
                (home / "sources" / f"{ARTICLE}.txt").unlink()
                (home / "sources" / "ferry-notice.md").write_bytes(SYNTHETIC)
                builds.append(run(home, "build"))
            return ask(asker, *args, **kwargs)

        monkeypatch.setattr(Asker, "ask", ask_while_a_build_commits)
        during = served.get("/api/ask", params=question)
        assert builds and builds[0].exit_code == 0, builds[0].output
        # Answered whole from the index as it was when the question arrived.
        assert during.status_code == 200, during.text
        assert {p["source"]["id"] for p in during.json()["passages"]} == {ARTICLE}
        # The next question reads the new index.
        after = served.get("/api/ask", params=question).json()["passages"]
        assert after[0]["source"]["id"] == "ferry-notice" and {p["source"]["id"] for p in after} == {"ferry-notice"}


def test_citeqa_serve_listens_on_loopback_and_serves_the_page(home):
    port = free_port()
    command = [sys.executable, "-c", "from citeqa.qa.cli import main; main()", "--home", str(home)]
    server = subprocess.Popen([*command, "serve", "--port", str(port)], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "citeqa serve did not start"
                time.sleep(0.2)
        assert '<form class="ask"' in page and 'name="citeqa-token"' in page
    finally:
        server.terminate()
        printed = server.communicate(timeout=60)[1]
    assert f"serving {home} at http://127.0.0.1:{port}/" in printed and "warning" not in printed


def test_a_library_fault_while_serving_is_one_line_not_a_traceback(api, monkeypatch):
    from citeqa.index.library import LibraryError
    from citeqa.qa.web import catalog

    def damaged(asker, source_id):
        raise LibraryError("index.db: index database is damaged; run 'citeqa build --full'")

    monkeypatch.setattr(catalog, "source_detail", damaged)
    response = api.get(f"/api/sources/{ARTICLE}")
    assert response.status_code == 500
    assert response.json() == {"error": "index.db: index database is damaged; run 'citeqa build --full'"}


def test_serve_refuses_a_damaged_index_in_one_line(home):
    (home / "index.db").write_bytes(b"not a database" * 100)
    # The port is taken, so should the check ever go, uvicorn fails to bind instead of serving forever.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run(home, "serve", "--port", str(taken.getsockname()[1]))
    assert result.exit_code == 1
    assert "damaged" in result.output and "citeqa build --full" in result.output


def test_a_pdf_passage_opens_at_its_page(home):
    pages = [
        ["Quillby harbour report", "", "The synthetic Quillby harbour opened a new pier for ferries in 2025."],
        ["Later works", "", "The Quillby lighthouse was repainted white and red on 14 April 2026."],
    ]
    pdf = pdf_bytes(pages, title="Quillby harbour report (synthetic)")
    with client(home) as served:
        started = served.post("/api/sources", headers=page_headers(served), files={"file": ("quillby.pdf", pdf)})
        assert wait(served, started.json())["state"] == "done"
        cited = served.get("/api/ask", params={"q": "When was the Quillby lighthouse repainted?", "k": 1}).json()
        (passage,) = cited["passages"]
        assert passage["source"]["id"] == "quillby" and passage["location"]["page"] == 2
        loc = passage["location"]
        offsets = {"start": loc["start"], "end": loc["end"], "hs": loc["highlight_start"], "he": loc["highlight_end"]}
        view = served.get("/sources/quillby", params=offsets).text
        assert "on page 2" in view and '<span class="page-start">page 2</span>' in view
        (sentence,) = re.findall(r'<strong class="sentence">([^<]*)</strong>', view)
        assert sentence.endswith("The Quillby lighthouse was repainted white and red on 14 April 2026.")


def test_the_cli_imports_no_web_server_and_shares_the_upload_default():
    probe = (
        "import sys, citeqa.qa.cli, citeqa.qa.cli_serve as s;"
        "from citeqa.qa.web import DEFAULT_MAX_MB;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn')));"
        "print([p.default for p in s.serve.params if p.name == 'max_upload'] == [DEFAULT_MAX_MB])"
    )
    printed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert printed.split() == ["[]", "True"]
