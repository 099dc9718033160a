"""``citeqa serve``: build the library if it has no index, then serve the page with uvicorn."""

from __future__ import annotations

import socket
import sys

import uvicorn

from citeqa.index.errors import LibraryError
from citeqa.index.library import Library
from citeqa.qa.web import DEFAULT_MAX_MB
from citeqa.qa.web.app import create_app
from citeqa.qa.web.guard import is_loopback, is_wildcard


def _check_free(host: str, port: int) -> None:
    """Refuse, before saying "serving", a port another program holds or a host this machine is not:
    uvicorn said so after that line, in its own log format, and exited with status 3."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as error:
        reason = error.strerror or str(error)
        raise LibraryError(f"cannot listen on {host} port {port}: {reason}") from None


def exposure_warning(host: str, port: int) -> str | None:
    """The warning to print when ``host`` lets other machines reach the page, else ``None``."""
    if is_loopback(host):
        return None
    where = "every network this machine is on" if is_wildcard(host) else f"the network of {host}"
    # The token guards against other web pages, not other people: the page hands it to whoever opens it.
    return (
        f"warning: --host {host} makes the page reachable from {where}: anyone who can reach port {port} "
        "can read your library and, through the page, change it (add and remove sources)"
    )


def serve(
    library: Library, host: str = "127.0.0.1", port: int = 8000, max_upload: int = DEFAULT_MAX_MB * 2**20
) -> None:
    """Serve ``library`` until interrupted (Ctrl-C); opens no browser.

    Args:
        library: the library to serve; built first if it has no index yet.
        host: the address to listen on (loopback by default; others print a warning).
        port: the port.
        max_upload: the largest file an upload may carry, in bytes.

    Raises:
        LibraryError: the port cannot be listened on, or the index cannot be opened (the message
            names the repair).
    """
    warning = exposure_warning(host, port)
    if warning:
        print(warning, file=sys.stderr)
    app = create_app(library, host, port, max_upload)
    if not library.is_built():
        print(f"No index yet in {library.home}: building it.", file=sys.stderr)
        report = app.state.server.jobs.build()
        for skip in report.skipped:
            print(f"skipped {skip['path']}: {skip['reason']}", file=sys.stderr)
    # Opened once here so that a damaged index is one line from the CLI, not a server traceback.
    store, _ = library.open_index()
    store.close()
    _check_free(host, port)
    shown = f"[{host}]" if ":" in host else host
    print(f"citeqa: serving {library.home} at http://{shown}:{port}/ (Ctrl-C stops)", file=sys.stderr)
    # Uvicorn's own lines say when it listens (or why it cannot); one line a request is noise.
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
