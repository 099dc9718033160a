"""``citeqa serve``'s guards on their own: which Host a bind accepts, a forged Origin, and
upload names that are not plain file names. A bare app behind the Guard, no library needed."""

from __future__ import annotations

import socket

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from citeqa.qa.web.guard import TOKEN_HEADER, Guard, allowed_hosts
from citeqa.qa.web.upload import RequestError, safe_name


def guarded(hosts):
    """A TestClient over a bare app behind the Guard: 200 for any read or change let through."""

    async def ok(request):
        return PlainTextResponse("ok")

    app = Starlette(
        routes=[Route("/", ok, methods=["GET", "POST"])], middleware=[Middleware(Guard, hosts=hosts, token="t")]
    )
    return TestClient(app)


def change(test_client, host: str):
    """A change sent from the page opened at ``host``: its Origin and its token."""
    return test_client.post("/", headers={"host": host, "origin": f"http://{host}", TOKEN_HEADER: "t"})


@pytest.mark.parametrize("bind", ["0.0.0.0", "::"])
def test_a_wildcard_bind_refuses_a_rebinding_pages_host(bind):
    with guarded(allowed_hosts(bind, 8000)) as guard:
        # A DNS-rebinding page names its own domain: refused, reading and changing alike, even
        # with an Origin that matches it and a token it read from a page.
        assert guard.get("/", headers={"host": "evil.example:8000"}).status_code == 400
        assert change(guard, "evil.example:8000").status_code == 400
        assert change(guard, "evil.example").status_code == 400
        # Opened at an IP address, with or without port (as behind a port mapping), or by name.
        for host in ["127.0.0.1:8000", "192.0.2.7:8000", "192.0.2.7", "[::1]:8000", "[2001:db8::1]:9000"]:
            assert guard.get("/", headers={"host": host}).status_code == 200, host
            assert change(guard, host).status_code == 200, host
        name = socket.gethostname().lower()
        assert change(guard, f"{name}:8000").status_code == 200
        assert change(guard, "localhost:8000").status_code == 200
        # The Origin must still be the address the page was opened at.
        forged = {"host": "127.0.0.1:8000", "origin": "http://evil.example:8000", TOKEN_HEADER: "t"}
        assert guard.post("/", headers=forged).status_code == 403
        for malformed in ["", "127.0.0.1:80:80", "[::1", "::1", "127.0.0.1:port"]:
            assert guard.get("/", headers={"host": malformed}).status_code == 400, malformed


def test_a_loopback_bind_accepts_its_own_names_only():
    with guarded(allowed_hosts("127.0.0.1", 8000)) as guard:
        for host in ["127.0.0.1:8000", "localhost:8000", "[::1]:8000"]:
            assert guard.get("/", headers={"host": host}).status_code == 200, host
            assert change(guard, host).status_code == 200, host
        for host in ["evil.example:8000", "192.0.2.7:8000", "127.0.0.1:8001", socket.gethostname() + ":8000"]:
            assert guard.get("/", headers={"host": host}).status_code == 400, host


@pytest.mark.parametrize("name, plain", [("../../x.md", "x.md"), ("..\\x.md", "x.md"), ("C:\\up\\x.md", "x.md")])
def test_an_upload_keeps_only_the_last_part_of_its_name(name, plain):
    assert safe_name(name) == plain


@pytest.mark.parametrize("name", ["", "  ", ".x", "..", "../..", "a/.hidden", "x\x00.md", "x\n.md", "x\u202e.md"])
def test_an_upload_name_that_is_not_a_plain_name_is_refused(name):
    with pytest.raises(RequestError) as refused:
        safe_name(name)
    assert refused.value.status == 400


def test_serving_on_a_port_another_program_holds_is_one_error_line_before_any_serving(home):
    from test_cli import run

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(home, "serve", "--port", str(port))
    assert result.exit_code == 1 and "serving" not in result.output
    assert result.output.strip().splitlines() == [
        f"Error: cannot listen on 127.0.0.1 port {port}: Address already in use"
    ]
