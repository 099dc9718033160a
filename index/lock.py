"""The library's lock: one process at a time changes the sources folder or the index."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from citeqa.index.errors import BuildLockedError


class BuildLock:
    """An exclusive, non-blocking ``flock`` on ``build.lock``, re-entrant within one holder.

    ``add`` holds it while copying files in and then while building, so no other build starts in
    between; entering it again from the same holder only counts the depth (a second ``flock`` on
    a new descriptor would refuse this very process).

    Args:
        path: the lock file; its content is the holder's pid, for the refusal message.
    """

    def __init__(self, path: Path):
        self.path = path
        self.handle = None
        self.depth = 0

    def __enter__(self):
        if self.depth:
            self.depth += 1
            return self
        # The first writer to a library not made yet makes its folder here.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise BuildLockedError(
                f"{self.path.parent}: another build is running (pid {holder}); wait for it to finish "
                "(nothing was changed)"
            ) from None
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle, self.depth = handle, 1
        return self

    def __exit__(self, *exc):
        self.depth -= 1
        if self.depth:
            return
        self.handle.truncate(0)
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()
        self.handle = None
