"""Progress on a terminal: a build shows files read, then passages embedded, with their counts.

Run through a real pseudo-terminal, since the bar is drawn only when stderr is one; the rest of
the suite checks that piped output stays quiet.
"""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys


def _on_a_terminal(args: list[str]) -> str:
    """Run ``citeqa ARGS`` with stdout and stderr on a pseudo-terminal; return all it wrote."""
    main, child = pty.openpty()
    command = [sys.executable, "-c", "from citeqa.qa.cli import main; main()", *args]
    process = subprocess.Popen(command, stdout=child, stderr=child, stdin=subprocess.DEVNULL)
    os.close(child)
    out = b""
    while True:
        try:
            data = os.read(main, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        out += data
    assert process.wait(timeout=300) == 0, out.decode(errors="replace")
    os.close(main)
    return out.decode(errors="replace")


def test_a_build_on_a_terminal_shows_files_then_passages_with_counts_and_time_left(built_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(built_home, home)
    notes = []
    for n in range(3):
        notes.append(tmp_path / f"note-{n}.md")
        notes[-1].write_text(f"# Synthetic note {n}\n\n" + f"The harbour of Velmora {n} reopened in 19{n}0. " * 40)
    shown = _on_a_terminal(["--home", str(home), "add", *map(str, notes)])
    reading, embedding = shown.find("Reading files"), shown.find("Embedding passages")
    assert 0 <= reading < embedding, shown
    assert "0/3" in shown[reading:embedding] and "3/3" in shown[reading:embedding]
    # Passages are counted to the end (click adds the time left once a batch has given a rate).
    assert re.search(r"Embedding passages\s+\[#+\]\s+(\d+)/\1\b", shown[embedding:]), shown
