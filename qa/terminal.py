"""Human-readable output that text from sources cannot turn into terminal commands.

Sources, file names and error messages are untrusted: an ``ESC]0;…BEL`` in a web page would
retitle the user's terminal, ``ESC[2J`` would clear it, and a carriage return or a bidi override
can make a line show other text than it holds. Every human-readable line the CLI prints goes
through :func:`echo`, which shows such characters as visible escapes (``\\x1b``) instead of
sending them; styling is applied afterwards, to already clean text, with :class:`Styled`.
JSON output needs none of this: ``json.dumps`` escapes control characters itself.
"""

from __future__ import annotations

import re

import click

#: C0 controls except tab and newline, DEL, C1 controls (U+0080–U+009F: 8-bit CSI and OSC
#: among them), and the Unicode bidi embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: object) -> str:
    """``str(text)`` with every control character shown as a visible escape (tab and newline kept).

    Escaping rather than deleting keeps what was there visible, so a user can see a source
    holds control characters.
    """
    return _UNSAFE.sub(_visible, str(text))


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class Styled:
    """A piece of output to show in a style (``click.style`` keywords), cleaned before styling."""

    def __init__(self, text: object, **style):
        self.text = text
        self.style = style

    def __str__(self) -> str:
        return click.style(clean(self.text), **self.style)


def echo(*parts: object, err: bool = False) -> None:
    """Print ``parts`` joined, as one line: plain parts cleaned by :func:`clean`, ``Styled`` parts
    cleaned and then styled (click drops the styling when the output is not a terminal)."""
    click.echo("".join(str(p) if isinstance(p, Styled) else clean(p) for p in parts), err=err)
