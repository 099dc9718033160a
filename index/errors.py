"""The library's user-facing errors, apart so that its helper modules can raise them too."""

from citeqa.errors import CiteqaError


class LibraryError(CiteqaError):
    """A user-facing failure of a library operation; the message is one line."""


class BuildLockedError(LibraryError):
    """Another build holds the library's lock."""
