"""What keeps other web pages and other machines out: a Host check on every request, and on every
request that changes the library, a same-origin check and the page's per-process token.

A page on another site can make the browser send requests to 127.0.0.1, and a DNS-rebinding one
can even read the answers. The Host check refuses the rebound requests (their Host is the other
site's name); the Origin check and the token, which only this server's own pages carry, refuse
the forged changes. Bound to every interface (``--host 0.0.0.0``), the server cannot list the
addresses it will be reached at, so it accepts a Host that is an IP address, ``localhost`` or
this machine's own name: a rebinding page's Host is its own domain name, which is none of these.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse

#: Header that carries the page's token on requests that change the library.
TOKEN_HEADER = "x-citeqa-token"
#: Methods that read only; every other method needs the page's origin and token.
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
#: Sent with every response: nothing outside this server may load into the pages, no inline
#: script runs (a missed escape could not execute), and no other site may frame them.
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    # Not "no-referrer": that makes browsers send "Origin: null" on the page's own changes.
    "referrer-policy": "same-origin",
}


def new_token() -> str:
    """A fresh random token for this process's pages."""
    return secrets.token_urlsafe(32)


def is_wildcard(host: str) -> bool:
    """True when ``host`` means every interface (``0.0.0.0``, ``::``)."""
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def is_loopback(host: str) -> bool:
    """True when ``host`` is reachable only from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> set[str] | None:
    """The Host header values a request may carry, or ``None`` when bound to every interface,
    where the addresses cannot be listed (see ``wildcard_host_ok``).

    Args:
        host: the address the server binds.
        port: its port.
    """
    if is_wildcard(host):
        return None
    names = {host, "127.0.0.1", "localhost", "[::1]"} if is_loopback(host) else {host}
    names = {f"[{n}]" if ":" in n and not n.startswith("[") else n for n in names}
    return {f"{name}:{port}" for name in names} | (names if port == 80 else set())


def own_names() -> set[str]:
    """``localhost`` and this machine's own names, lower case: the names besides IP addresses a
    server bound to every interface accepts in Host."""
    names = {"localhost"}
    for lookup in (socket.gethostname, socket.getfqdn):
        try:
            names.add(lookup().lower().rstrip("."))
        except OSError:
            pass
    return names - {""}


def split_host(value: str) -> tuple[str, str | None] | None:
    """A Host header's ``(name, port)`` (port ``None`` when absent; IPv6 without its brackets),
    or ``None`` when it is malformed."""
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port = rest[1:] if rest else None
    else:
        name, colon, port = value.partition(":")
        if ":" in port:
            return None
        port = port if colon else None
    if not name or (port is not None and not (port.isascii() and port.isdigit())):
        return None
    return name, port


def wildcard_host_ok(value: str, names: set[str]) -> bool:
    """Whether a server bound to every interface accepts the Host header ``value``: an IP
    address (the one it was reached at, with any port, as behind a port mapping), or one of
    ``names`` (see ``own_names``). A DNS-rebinding page's Host is its own domain name: refused.
    """
    parts = split_host(value.lower())
    if parts is None:
        return False
    name = parts[0]
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return name in names
    return True


class Guard:
    """ASGI middleware: refuses unexpected Hosts and changes not made by this server's pages, and
    adds ``SECURITY_HEADERS`` to every response.

    Args:
        app: the application to guard.
        hosts: the Host values accepted (``None``: bound to every interface, see
            ``wildcard_host_ok``).
        token: the token the pages carry.
    """

    def __init__(self, app, hosts: set[str] | None, token: str):
        self.app = app
        self.hosts = hosts
        self.token = token
        self.names = own_names() if hosts is None else set()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self.refusal(Request(scope))
        if refusal:
            status, message = refusal
            await JSONResponse({"error": message}, status_code=status, headers=SECURITY_HEADERS)(scope, receive, send)
            return

        async def send_secured(message):
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(SECURITY_HEADERS)
            await send(message)

        await self.app(scope, receive, send_secured)

    def refusal(self, request: Request) -> tuple[int, str] | None:
        """Why ``request`` is refused, as ``(status, message)``, or ``None`` to let it through."""
        host = request.headers.get("host", "").lower()
        accepted = host in self.hosts if self.hosts is not None else wildcard_host_ok(host, self.names)
        if not accepted:
            return 400, f"unexpected Host header {host!r}: open the page at the address 'citeqa serve' printed"
        if request.method in SAFE_METHODS:
            return None
        origin = request.headers.get("origin")
        # The page's own origin is the address it was opened at, which the accepted Host names.
        if (origin or "").lower() != f"{request.url.scheme}://{host}":
            return 403, "refused: changes are accepted only from this server's own page (Origin does not match)"
        given = request.headers.get(TOKEN_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return 403, "refused: changes are accepted only from this server's own page (missing or wrong token)"
        return None
