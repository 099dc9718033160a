"""``citeqa serve``: a local web page and JSON API over one library.

``app`` builds the Starlette application, ``server`` runs it with uvicorn. Every index read runs on
one thread (``reader``), every change to the library on another (``jobs``); ``guard`` refuses
requests that did not come from the page itself, and the views (``sourceview``, ``auditview``)
turn stored text into pieces a template escapes.
"""

#: Largest upload accepted by default, in MB (``citeqa serve --max-upload``). Here, where the
#: CLI reads it without importing Starlette.
DEFAULT_MAX_MB = 50
