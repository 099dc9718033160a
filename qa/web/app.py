"""The Starlette application: the pages, the API and the static files, behind the guard."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from citeqa.errors import CiteqaError
from citeqa.index.library import Library
from citeqa.index.records import author_list
from citeqa.qa.web import DEFAULT_MAX_MB, api, pages
from citeqa.qa.web.guard import Guard, allowed_hosts, new_token
from citeqa.qa.web.jobs import Jobs
from citeqa.qa.web.reader import Reader

HERE = Path(__file__).parent
log = logging.getLogger("citeqa.serve")


@dataclass
class Server:
    """What every request shares: the library, its index reader and change jobs, the page token,
    the upload cap and the templates."""

    library: Library
    reader: Reader
    jobs: Jobs
    token: str
    max_upload: int
    templates: Jinja2Templates


def templates() -> Jinja2Templates:
    """The page templates, every value escaped unless a template says otherwise (none does)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(source_url=pages.source_url, link_target=pages.link_target, author_list=author_list)
    return Jinja2Templates(env=env)


async def _fault(request: Request, error: Exception) -> Response:
    """A library fault met while serving (a damaged index, a file gone): its one line, as JSON
    for the API and as the error page for the pages, instead of a bare 500."""
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=500)
    server = request.app.state.server
    return server.templates.TemplateResponse(
        request, "error.html", {"token": server.token, "page": "error", "message": message}, status_code=500
    )


async def _http_error(request: Request, error: HTTPException) -> Response:
    """An unknown path or a wrong method: JSON under ``/api/``, as every other API error is, and
    Starlette's plain text for the pages."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": error.detail}, status_code=error.status_code, headers=error.headers)
    return PlainTextResponse(error.detail, status_code=error.status_code, headers=error.headers)


def create_app(
    library: Library, host: str = "127.0.0.1", port: int = 8000, max_upload: int = DEFAULT_MAX_MB * 2**20
) -> Starlette:
    """The web application over ``library``.

    The index, the encoder and the ranker load when the application starts (its lifespan), not
    on the first question; the library must be built by then (``serve`` builds it first).

    Args:
        library: the library to serve.
        host, port: where the server listens: requests must name it in their Host header.
        max_upload: the largest file an upload may carry, in bytes.

    Returns:
        The Starlette application.
    """
    reader = Reader(library)
    server = Server(library, reader, Jobs(library, reader), new_token(), max_upload, templates())

    @contextlib.asynccontextmanager
    async def lifespan(app):
        reader.open()
        if reader.notice:
            log.warning("notice: %s", reader.notice)
        try:
            yield
        finally:
            server.jobs.close()
            reader.close()

    app = Starlette(
        routes=[*pages.routes, *api.routes, Mount("/static", StaticFiles(directory=HERE / "static"), name="static")],
        middleware=[Middleware(Guard, hosts=allowed_hosts(host, port), token=server.token)],
        lifespan=lifespan,
        exception_handlers={
            CiteqaError: _fault,
            sqlite3.DatabaseError: _fault,
            OSError: _fault,
            HTTPException: _http_error,
        },
    )
    app.state.server = server
    return app
