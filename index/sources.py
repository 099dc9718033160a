"""The sources folder: which files in it are sources, and the document id of each.

An id is a function of the file's name alone, so it never moves when other files come or go and a
saved answer keeps pointing at the same document for the life of the source.
"""

from __future__ import annotations

import errno
import hashlib
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from citeqa.corpus import SUFFIXES


def slug(text: str) -> str:
    """``text`` lower-cased, with every run of characters other than letters, marks and digits
    (in any script) turned into one ``-``."""
    out, gap = [], False
    for char in unicodedata.normalize("NFC", text).lower():
        # Marks too: a Devanagari or Thai word is letters and combining marks.
        if unicodedata.category(char)[0] in "LMN":
            if gap and out:
                out.append("-")
            out.append(char)
            gap = False
        else:
            gap = True
    return "".join(out)


def doc_id_for(filename: str) -> str:
    """The document id of a source file, from its name alone.

    The id is the name without its suffix as a slug (letters of any script are kept:
    ``日本語.txt`` is ``日本語``). When the slug does not reproduce that stem, several names could
    share it (``Report.txt``, ``report .txt``, or names of punctuation only), so 6 hex digits of
    a hash of the whole name are appended: ``Report.txt`` is ``report-1a2b3c``.
    """
    stem = Path(filename).stem
    readable = slug(stem)
    if readable and readable == stem:
        return readable
    digest = hashlib.sha256(filename.encode("utf-8", "surrogateescape")).hexdigest()[:6]
    return f"{readable or 'source'}-{digest}"


@dataclass
class Scan:
    """What the sources folder holds.

    Attributes:
        ids: the document id of each source file, by file name, in name order.
        refused: each entry that is not used as a source although it looks like one, as
            ``{"path", "reason"}`` (the form of ``BuildReport.skipped``).
    """

    ids: dict[str, str] = field(default_factory=dict)
    refused: list[dict] = field(default_factory=list)


_FOLDER = "a folder: only the files right in the sources folder are indexed; add its files with 'citeqa add'"
# Folders a NAS (Synology's @eaDir, #recycle, #snapshot; QNAP's @Recycle), an unzipped macOS archive
# (__MACOSX) or Windows (System Volume Information, $RECYCLE.BIN) adds, and macOS's AppleDouble files
# ("._name") beside each file on a share: named, they would fail every build.
_SYSTEM_FOLDERS = frozenset(
    [
        "@eaDir",
        "#recycle",
        "#snapshot",
        "@Recycle",
        "@Recently-Snapshot",
        "__MACOSX",
        "System Volume Information",
        "$RECYCLE.BIN",
    ]
)


def scan(folder: Path, holders: dict[str, str] | None = None) -> Scan:
    """Find the source files of ``folder`` and refuse the entries that cannot be sources.

    Hidden files and subfolders are not sources; each is named as refused, with its reason, but
    for what file shares, NAS and archive tools add (``_SYSTEM_FOLDERS``, "._name"). A symbolic
    link is followed only to a file inside ``folder``: one leading elsewhere (``/etc/passwd``)
    would publish that file's text in answers, so it is refused, as are dangling links and
    loops, each named with its reason.

    Two names with one id (``report.txt`` and ``report.md``) cannot both be sources: the one the
    index already holds under that id keeps it (else the first by name), the other is refused.

    Args:
        folder: the sources folder.
        holders: file name of the document the index holds under each id.

    Returns:
        A ``Scan``.
    """
    holders = holders or {}
    root = folder.resolve()
    out, by_id = Scan(), {}
    for path in sorted(folder.iterdir()):
        if path.name in _SYSTEM_FOLDERS or path.name.startswith("._"):
            continue  # what a file share, NAS or archive tool adds: nobody's source
        if path.name.startswith("."):
            # Editors' swap files and the library's own temporary files are hidden too: named is
            # only a hidden file that would be a source.
            if path.suffix.lower() in SUFFIXES and path.is_file():
                out.refused.append({"path": str(path), "reason": "a hidden file (its name starts with '.'); rename it"})
            continue
        if path.is_symlink():
            reason = _link_problem(path, root)
            if reason:
                out.refused.append({"path": str(path), "reason": reason})
                continue
        if path.is_dir():
            out.refused.append({"path": str(path), "reason": _FOLDER})
            continue
        if not path.is_file():
            continue
        by_id.setdefault(doc_id_for(path.name), []).append(path.name)
    keep = {}
    for doc_id, names in by_id.items():
        keep[doc_id] = holders.get(doc_id) if holders.get(doc_id) in names else names[0]
        for name in names:
            if name != keep[doc_id]:
                out.refused.append(
                    {
                        "path": str(folder / name),
                        "reason": f"its id '{doc_id}' is already that of {keep[doc_id]}; rename one of them",
                    }
                )
    out.ids = {name: doc_id for doc_id, name in sorted(keep.items(), key=lambda item: item[1])}
    out.refused.sort(key=lambda r: r["path"])
    return out


def _link_problem(path: Path, root: Path) -> str | None:
    """Why the symbolic link ``path`` cannot be a source, or ``None`` when it can."""
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return f"dangling symbolic link (its target {os.readlink(path)} does not exist)"
    except (RuntimeError, OSError) as error:
        # Python before 3.13 raises RuntimeError for a loop, later versions OSError(ELOOP).
        if isinstance(error, RuntimeError) or error.errno == errno.ELOOP:
            return "symbolic link loop"
        return f"unreadable symbolic link ({error.strerror})"
    if not target.is_relative_to(root):
        return f"symbolic link to {target}, outside the library's sources folder (copy the file in with 'citeqa add')"
    return None
