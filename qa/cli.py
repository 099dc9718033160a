"""The ``citeqa`` command line: the group, its one error path, and the list of its commands.

Each command lives in a module named for what it does (``cli_ask``, ``cli_build``, ``cli_add``,
``cli_sources``, ``cli_refs``, ``cli_audit``, ``cli_serve``) and takes the shared options of ``cli_options``.
A new command is written in its own module and listed in ``COMMANDS``: nothing else changes.
"""

from __future__ import annotations

import errno
import sqlite3
from importlib import import_module

import click

from citeqa.errors import CiteqaError
from citeqa.qa.cli_options import home_of, home_option
from citeqa.qa.terminal import clean


class _Group(click.Group):
    """The one place a failure becomes what the user sees: one cleaned ``Error: ...`` line on
    stderr and exit status 1, never a traceback.

    Commands raise and do not catch: ``CiteqaError`` from the library (a bad file, a damaged
    index, a failed download), click's own exceptions for a mistake in the command line or in a
    file only the CLI reads (usage mistakes keep click's exit status 2), and the file-system and
    SQLite faults met on the way. Every message is cleaned of control characters:
    it may quote a file name or a source's text. A command that finished but must report failure
    (some files skipped, some fetches failed) prints its report and ends with ``ctx.exit(1)``. A
    reader that stops early (``citeqa ask ... | head``) ends the command quietly, as in Unix tools.
    """

    def list_commands(self, ctx) -> list[str]:
        """The names of every command, in the order the help lists them."""
        return list(COMMANDS)

    def get_command(self, ctx, name: str) -> click.Command | None:
        """The command ``name``, importing its module now; ``None`` for an unknown name."""
        if name not in COMMANDS:
            return None
        module, function = COMMANDS[name].split(":")
        return getattr(import_module(f"citeqa.qa.{module}"), function)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.ClickException as error:
            error.message = clean(error.message)
            raise
        except CiteqaError as error:
            raise click.ClickException(clean(error)) from None
        except BrokenPipeError:
            # The reader stopped early (`citeqa ask ... | head`): click ends quietly, as Unix tools
            # do, where a file-system fault would say "check that file".
            raise
        except OSError as error:
            raise click.ClickException(clean(_os_fault(error))) from None
        except sqlite3.DatabaseError as error:
            raise click.ClickException(clean(_database_fault(error, home_of(ctx) / "index.db"))) from None


def _os_fault(error: OSError) -> str:
    """One line for a file-system fault: which file, what happened, and what to do."""
    where = error.filename or "citeqa"
    if error.errno == errno.ENOSPC:
        repair = "free some space on that disk and retry"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        repair = "make it writable, or give another library with --home"
    else:
        repair = "check that file and retry"
    return f"{where}: {error.strerror or error}; {repair}"


def _database_fault(error: sqlite3.DatabaseError, db_path) -> str:
    """One line for an SQLite fault met after the index opened (most often a damaged page)."""
    name = getattr(error, "sqlite_errorname", "")
    if name.startswith("SQLITE_READONLY"):
        return f"{db_path}: cannot be written ({error}); make it writable, or give another library with --home"
    if name == "SQLITE_FULL":
        return f"{db_path}: the disk is full ({error}); free some space and retry"
    return f"{db_path}: index database is damaged ({error}); run 'citeqa build --full' to rebuild it from the sources"


#: Every command of ``citeqa``: its name, and the module and function that hold it. A command's
#: module is imported only when that command runs (or help lists them all): importing every
#: command cost ``citeqa ask`` 36 ms of a 0.4 s cold start.
COMMANDS = {
    "ask": "cli_ask:ask",
    "build": "cli_build:build",
    "watch": "cli_build:watch",
    "add": "cli_add:add",
    "sources": "cli_sources:sources",
    "remove": "cli_sources:remove",
    "extract": "cli_sources:extract",
    "refs": "cli_refs:refs",
    "fetch-refs": "cli_refs:fetch_refs",
    "audit": "cli_audit:audit",
    "verify": "cli_audit:verify",
    "serve": "cli_serve:serve",
}


@click.group(cls=_Group)
@home_option
@click.version_option(package_name="citeqa")
def cli():
    """Answer questions over your sources with cited passages.

    \b
    Example:
        citeqa ask "When was the second India-Japan economic security dialogue held?"
    """


def main() -> None:
    """Entry point of the ``citeqa`` console script."""
    cli(prog_name="citeqa")
