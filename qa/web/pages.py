"""The HTML pages: ask, a source in context, the sources, and the audit. Rendered on the server
from escaped templates; the page's own script only filters, scrolls and sends changes."""

from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from citeqa.index.references import list_references
from citeqa.qa.audit import AuditError
from citeqa.qa.web import catalog
from citeqa.qa.web.api import question
from citeqa.qa.web.auditview import FILTERS, audit_view
from citeqa.qa.web.sourceview import focus, sections
from citeqa.qa.web.upload import RequestError

_OFFSETS = ("start", "end", "hs", "he")


def source_url(source_id: str, **offsets: int | None) -> str:
    """The source view's address for ``source_id``, scrolled to the passage the offsets name.

    Args:
        source_id: the source.
        offsets: ``start``/``end`` of the passage and ``hs``/``he`` of its sentence (any may be
            left out).
    """
    given = {k: v for k, v in offsets.items() if k in _OFFSETS and v is not None}
    return f"/sources/{quote(source_id, safe='')}" + (f"?{urlencode(given)}#passage" if given else "")


def link_target(url: str | None) -> str | None:
    """``url`` when it is a web address a link may point to, else ``None`` (a ``javascript:`` or
    ``data:`` address from a source is shown as text, never made a link)."""
    if not url or any(ord(c) < 33 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _render(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    server = request.app.state.server
    return server.templates.TemplateResponse(
        request, template, {"token": server.token, "page": template.split(".")[0], **context}, status_code=status
    )


def _passages(answer: dict) -> list[dict]:
    """Each passage of an answer with its text cut around the highlighted sentence."""
    out = []
    for p in answer["passages"]:
        loc = p["location"]
        a, b = loc["highlight_start"] - loc["start"], loc["highlight_end"] - loc["start"]
        parts = (p["text"][:a], p["text"][a:b], p["text"][b:])
        offsets = {k: loc[k] for k in ("start", "end")} | {"hs": loc["highlight_start"], "he": loc["highlight_end"]}
        out.append({**p, "parts": parts, "link": source_url(p["source"]["id"], **offsets)})
    return out


async def ask_page(request: Request) -> HTMLResponse:
    """``/``: the question box; with ``?q=`` the answer, then its cited passages."""
    if not request.query_params.get("q", "").strip():
        return _render(request, "ask.html", answer=None, q="", k=5)
    try:
        q, k = question(request)
    except RequestError as error:
        return _render(request, "ask.html", status=error.status, answer=None, q="", k=5, error=str(error))
    answer = (await request.app.state.server.reader.run(lambda asker: asker.ask(q, k))).to_dict()
    return _render(request, "ask.html", answer=answer, passages=_passages(answer), q=q, k=k)


def _offset(value: str | None) -> int | None:
    # ASCII only: int() also reads other scripts' digits, and isdigit() accepts "²", which it cannot.
    return int(value) if value and value.isascii() and value.isdigit() else None


async def source_page(request: Request) -> HTMLResponse:
    """``/sources/{id}``: the source's extracted text, scrolled to and highlighting a passage."""
    source_id = request.path_params["source_id"]
    offsets = {k: _offset(request.query_params.get(k)) for k in _OFFSETS}

    def read(asker):
        doc = asker.store.document(source_id)
        if doc is None:
            return None
        chunks = asker.store.doc_chunks(doc.id)
        where = focus(doc, chunks, offsets)
        return {"doc": doc, "where": where, "sections": sections(doc, chunks, where)}

    found = await request.app.state.server.reader.run(read)
    if found is None:
        return _render(request, "error.html", status=404, message=f"No source '{source_id}' in the library.")
    return _render(request, "source.html", **found)


async def sources_page(request: Request) -> HTMLResponse:
    """``/sources``: the library's sources, the upload form and the skipped files."""
    server = request.app.state.server
    listed = await server.reader.run(catalog.source_list, server.library, server.jobs.skipped)
    return _render(request, "sources.html", max_mb=server.max_upload / 2**20, **listed)


async def audit_page(request: Request) -> HTMLResponse:
    """``/audit``: the citation audit, its claims filterable by verdict (``?verdict=`` works
    without script too)."""
    server = request.app.state.server
    source_id = request.query_params.get("source") or None
    # Every source with a reference list can be audited: the page offers them all.
    auditable = await server.reader.run(
        lambda asker: sorted({e.citing for e in list_references(asker.store.documents())})
    )
    try:
        report, text = await server.reader.audit(source_id)
    except AuditError as error:
        return _render(request, "error.html", status=404, message=str(error), auditable=auditable)
    chosen = request.query_params.get("verdict")
    return _render(
        request,
        "audit.html",
        report=report,
        filters=FILTERS,
        chosen=chosen if chosen in FILTERS else None,
        auditable=auditable,
        **audit_view(report, text),
    )


routes = [
    Route("/", ask_page),
    Route("/sources", sources_page),
    Route("/sources/{source_id}", source_page),
    Route("/audit", audit_page),
]
