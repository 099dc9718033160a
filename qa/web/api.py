"""The JSON API: the same answers, sources and audit the pages show, and the changes they make."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from citeqa.qa.answer import MAX_PASSAGES, has_words
from citeqa.qa.audit import AuditError, SourceChoiceError
from citeqa.qa.web import catalog
from citeqa.qa.web.jobs import BusyError
from citeqa.qa.web.openapi import document
from citeqa.qa.web.upload import RequestError, receive


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def question(request: Request) -> tuple[str, int]:
    """The question ``q`` and passage count ``k`` (default 5) of a request.

    Raises:
        RequestError: (400) ``q`` is missing, blank or has no words, or ``k`` is not a whole
            number from 1 to 100.
    """
    q = request.query_params.get("q", "").strip()
    k = request.query_params.get("k", "5").strip() or "5"
    if not q:
        raise RequestError(400, "give a question as ?q=...")
    if not has_words(q):
        raise RequestError(400, f"the question {q!r} has no words to search for")
    if not (k.isascii() and k.isdigit()) or not 1 <= int(k) <= MAX_PASSAGES:
        raise RequestError(400, f"k must be a whole number from 1 to {MAX_PASSAGES}")
    return q, int(k)


async def ask(request: Request) -> JSONResponse:
    """``GET /api/ask?q=…&k=5``: exactly what ``citeqa ask --json`` prints."""
    try:
        q, k = question(request)
    except RequestError as error:
        return _error(error.status, str(error))
    answer = await request.app.state.server.reader.run(lambda asker: asker.ask(q, k))
    return JSONResponse(answer.to_dict())


async def sources(request: Request) -> JSONResponse:
    """``GET /api/sources``: every source, and the files the last build skipped."""
    server = request.app.state.server
    listed = await server.reader.run(catalog.source_list, server.library, server.jobs.skipped)
    return JSONResponse(listed)


async def source(request: Request) -> JSONResponse:
    """``GET /api/sources/{id}``: a source's extracted text and passages with their offsets."""
    source_id = request.path_params["source_id"]
    found = await request.app.state.server.reader.run(catalog.source_detail, source_id)
    return JSONResponse(found) if found else _error(404, f"no source '{source_id}' in the library")


async def audit(request: Request) -> JSONResponse:
    """``GET /api/audit?source=ID``: what ``citeqa audit --json`` prints."""
    try:
        report, _ = await request.app.state.server.reader.audit(request.query_params.get("source") or None)
    except SourceChoiceError as error:
        # The request must name one, as the API does: "?source=", not the command line's "--source".
        return _error(400, str(SourceChoiceError(error.choices, "?source=")))
    except AuditError as error:
        return _error(404, str(error))
    return JSONResponse(report)


async def upload(request: Request) -> JSONResponse:
    """``POST /api/sources`` (multipart ``file`` and metadata): add a file and build, as a job."""
    server = request.app.state.server
    try:
        path, metadata = await receive(request, server.max_upload)
        job = server.jobs.add(path, metadata)
    except RequestError as error:
        return _error(error.status, str(error))
    except BusyError as error:
        return _error(409, str(error))
    return _accepted(job)


async def remove(request: Request) -> JSONResponse:
    """``DELETE /api/sources/{id}``: remove a source and build, as a job."""
    server = request.app.state.server
    source_id = request.path_params["source_id"]
    listed = await server.reader.run(
        lambda asker: {s.id for s in server.library.catalog.sources(asker.store.documents())}
    )
    if source_id not in listed:
        return _error(404, f"no source '{source_id}' in the library")
    try:
        return _accepted(server.jobs.remove(source_id))
    except BusyError as error:
        return _error(409, str(error))


async def build(request: Request) -> JSONResponse:
    """``POST /api/build``: bring the index up to date with the sources folder, as a job."""
    try:
        return _accepted(request.app.state.server.jobs.rebuild())
    except BusyError as error:
        return _error(409, str(error))


async def job(request: Request) -> JSONResponse:
    """``GET /api/jobs/{id}``: how far a change got, and its outcome."""
    found = request.app.state.server.jobs.get(request.path_params["job_id"])
    return JSONResponse(found.to_dict()) if found else _error(404, "no such job")


async def openapi(request: Request) -> JSONResponse:
    """``GET /api/openapi.json``: this API described in OpenAPI 3.1."""
    return JSONResponse(document())


def _accepted(started) -> JSONResponse:
    return JSONResponse({"job": started.id, "status": f"/api/jobs/{started.id}"}, status_code=202)


routes = [
    Route("/api/ask", ask),
    Route("/api/sources", sources),
    Route("/api/sources", upload, methods=["POST"]),
    Route("/api/sources/{source_id}", source),
    Route("/api/sources/{source_id}", remove, methods=["DELETE"]),
    Route("/api/audit", audit),
    Route("/api/build", build, methods=["POST"]),
    Route("/api/jobs/{job_id}", job),
    Route("/api/openapi.json", openapi),
]
