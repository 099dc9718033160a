"""The options every ``citeqa`` command shares, and the helpers that read them."""

from __future__ import annotations

import json
from pathlib import Path

import click

from citeqa.index.library import Library, default_home

#: Where the ``--home`` typed last is kept; ``ctx.meta`` is shared by the group and its command.
_HOME = "citeqa.home"


def _remember_home(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.meta[_HOME] = value


def home_option(command):
    """Add ``--home DIR``, the library folder, to the group or a command.

    Both ``citeqa --home DIR ask`` and ``citeqa ask --home DIR`` work, as users type either; when
    both are given the command's wins, being typed last.

    Args:
        command: the click group or command to decorate.

    Returns:
        ``command`` with the option.
    """
    return click.option(
        "--home",
        type=click.Path(file_okay=False, path_type=Path),
        expose_value=False,
        callback=_remember_home,
        help="Library folder (default: $CITEQA_HOME, else ~/.local/share/citeqa).",
    )(command)


def home_of(ctx: click.Context) -> Path:
    """The library folder ``--home`` named, else the default one.

    Args:
        ctx: any context of the running command.

    Returns:
        The folder's path.
    """
    return ctx.meta.get(_HOME) or default_home()


def library_of(ctx: click.Context) -> Library:
    """The library ``--home`` named (see ``home_of``), opened for use.

    Args:
        ctx: any context of the running command.

    Returns:
        A ``Library``; its folder is made, holding the bundled article, if it did not exist.
    """
    return Library(home_of(ctx))


def json_option(help: str = "Print JSON."):
    """Add ``--json`` (the ``as_json`` flag) to a command.

    Args:
        help: what the command prints as JSON, when it is more than "Print JSON."

    Returns:
        The decorator.
    """
    return click.option("--json", "as_json", is_flag=True, help=help)


def echo_json(data, lines: bool = False) -> None:
    """Print ``data`` as JSON on stdout.

    Args:
        data: anything ``json.dumps`` takes.
        lines: one compact line (a record of JSON Lines) instead of an indented document.
    """
    click.echo(json.dumps(data, indent=None if lines else 2, ensure_ascii=False))


def index_size(documents: int, passages: int) -> str:
    """What an index holds, as a person counts it: "index: 1 document, 42 passages"."""
    return f"index: {counted(documents, 'document')}, {counted(passages, 'passage')}"


def counted(number: int, noun: str) -> str:
    """``number`` with ``noun``, plural but for one: "1 passage", "0 passages"."""
    return f"{number} {noun}{'s' * (number != 1)}"
