"""The local web page from the CLI: ``citeqa serve``."""

from __future__ import annotations

import click

from citeqa.qa.cli_options import home_option, library_of
from citeqa.qa.web import DEFAULT_MAX_MB


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; others than loopback warn.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option(
    "--max-upload", default=DEFAULT_MAX_MB, show_default=True, type=click.IntRange(1), help="Largest upload, in MB."
)
@home_option
@click.pass_context
def serve(ctx, host, port, max_upload):
    """Serve a local web page to ask, read cited passages in their sources, manage the sources
    and explore the audit, with its JSON API under /api (see the README). Opens nothing itself.

    \b
    Example:
        citeqa serve            # then open http://127.0.0.1:8000/
        citeqa serve --port 8080
    """
    from citeqa.qa.web.server import serve as run_server

    run_server(library_of(ctx), host, port, max_upload * 2**20)
