"""The one base class of citeqa's user-facing errors.

Every failure a user can cause or fix (a bad file, a damaged index, a failed download, an audit
with nothing to audit) raises a subclass, and its message is one line that names the file or
thing and the reason. The CLI turns any of them into that line and exit status 1 in one place.
"""


class CiteqaError(Exception):
    """A user-facing failure; ``str(error)`` is one line naming what failed and why."""
