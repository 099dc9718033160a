"""A library copied or moved to another folder cites the files it holds there, not where it was
built (the ``home`` fixture is such a copy of the session's built library)."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import run


def test_a_copied_library_cites_its_own_copy_of_each_source(home, built_home):
    answer = json.loads(run(home, "ask", "--json", "-k", "2", "Who co-chaired the dialogue?").output)
    for passage in answer["passages"]:
        path = Path(passage["source"]["path"])
        assert path.parent == home / "sources" and path.is_file()
        assert built_home not in path.parents
