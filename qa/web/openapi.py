"""The JSON API described in OpenAPI 3.1, served at ``/api/openapi.json``."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

_ERROR = {"description": 'refused; the body is {"error": "one line saying why"}'}
_JOB = {
    "description": "started; poll the job",
    "content": {"application/json": {"example": {"job": "ID", "status": "/api/jobs/ID"}}},
}
_CHANGE = {
    "403": {
        "description": "not from this server's page: Origin must be the server's and X-Citeqa-Token the page's token"
    },
    "409": {"description": "another change to the library is still running"},
}


def _get(summary: str, parameters: list | None = None, **responses) -> dict:
    return {
        "get": {
            "summary": summary,
            "parameters": parameters or [],
            "responses": {"200": {"description": "OK"}, **responses},
        }
    }


def _query(name: str, description: str, required: bool = False, schema: dict | None = None) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def _path(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


#: The form ``POST /api/sources`` takes.
_UPLOAD_FORM = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary"},
        **{k: {"type": "string"} for k in ("title", "publisher", "url")},
        "date": {"type": "string", "description": "YYYY-MM-DD, YYYY-MM or YYYY"},
        "ref": {"type": "string", "description": "the article reference it is: N or SOURCE:N"},
        "authors": {"type": "string", "description": "names separated by ';'"},
    },
}


def document() -> dict:
    """The OpenAPI document of the API."""
    try:
        release = version("citeqa")
    except PackageNotFoundError:  # run from a checkout that was never installed
        release = "unknown"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "citeqa",
            "version": release,
            "description": "Cited answers and citation audits over a local library.",
        },
        "paths": _paths(),
    }


def _paths() -> dict:
    return {
        "/api/ask": _get(
            "Answer a question: exactly what `citeqa ask --json` prints",
            [
                _query("q", "the question", required=True),
                _query("k", "passages to return (1-100)", schema={"type": "integer", "default": 5}),
            ],
            **{"400": _ERROR},
        ),
        "/api/sources": {
            **_get("Every source with metadata, passage count and the reference it fills; skipped files"),
            "post": {
                "summary": "Upload a file with its metadata; checked, copied in and built as `citeqa add` does",
                "requestBody": {"content": {"multipart/form-data": {"schema": _UPLOAD_FORM}}},
                "responses": {"202": _JOB, "400": _ERROR, "411": _ERROR, "413": _ERROR, **_CHANGE},
            },
        },
        "/api/sources/{source_id}": {
            **_get(
                "A source's extracted text and its passages with character offsets",
                [_path("source_id")],
                **{"404": _ERROR},
            ),
            "delete": {
                "summary": "Remove a source and build, as `citeqa remove` does",
                "parameters": [_path("source_id")],
                "responses": {"202": _JOB, "404": _ERROR, **_CHANGE},
            },
        },
        "/api/audit": _get(
            "The citation audit: what `citeqa audit --json` prints",
            [_query("source", "source to audit (default: the one source with a reference list)")],
            **{"400": _ERROR, "404": _ERROR},
        ),
        "/api/build": {
            "post": {"summary": "Bring the index up to date (incremental)", "responses": {"202": _JOB, **_CHANGE}}
        },
        "/api/jobs/{job_id}": _get(
            "A change's state (running, done, failed), stage, progress and outcome",
            [_path("job_id")],
            **{"404": _ERROR},
        ),
    }
