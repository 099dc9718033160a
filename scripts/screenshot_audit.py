"""Render an audit report in headless Chromium and save a screenshot, to look at it as a reader would.

Usage::

    citeqa audit --format html -o audit.html
    python scripts/screenshot_audit.py audit.html audit.png [--width 1200 --height 2400]

Needs Debian's ``chromium`` package (``apt install chromium``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import click

# Without these, Chromium spends its start-up trying to reach Google's services, which a closed
# network refuses.
QUIET_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def screenshot(page: Path, png: Path, width: int = 1200, height: int = 2400, timeout: float = 60) -> None:
    """Render ``page`` in headless Chromium and write a PNG screenshot to ``png``.

    Raises:
        RuntimeError: Chromium is not installed or wrote no screenshot; the message says which.
    """
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise RuntimeError("chromium is not installed (apt install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                *QUIET_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={png.resolve()}",
                page.resolve().as_uri(),
            ],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    if not png.exists() or png.stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no screenshot of {page}")


@click.command()
@click.argument("page", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("png", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--width", default=1200, show_default=True)
@click.option("--height", default=2400, show_default=True)
def main(page: Path, png: Path, width: int, height: int) -> None:
    """Screenshot PAGE into PNG."""
    try:
        screenshot(page, png, width, height)
    except RuntimeError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    click.echo(f"wrote {png}")


if __name__ == "__main__":
    main()
