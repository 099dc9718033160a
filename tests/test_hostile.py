"""The hostile-input benchmark's quick set, run as CI runs it: pages 100k levels deep, a 50 MB
file, 1,000 non-Latin file names and escape sequences each finish or are skipped within the
extraction limit, and the report names the slowest file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bench_hostile.py"


def test_every_hostile_file_finishes_or_is_skipped_within_its_limit():
    result = subprocess.run([sys.executable, str(SCRIPT), "--quick"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {line[:28].strip(): line for line in result.stdout.splitlines()}
    # Read in seconds since the text reader walks lines instead of one pattern over the file.
    assert rows["text: 50 MB one line"].split()[6:8] == ["1", "0"]  # finished, skipped
    assert rows["names: 1,000 non-Latin"].split()[3:5] == ["1000", "1000"]  # files, finished
    assert "worst: " in result.stdout and "(limit 60 s)" in result.stdout
    assert result.stdout.rstrip().endswith("every file finished or was skipped within its limit")
