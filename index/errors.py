"""The library's user-facing errors, apart so that its helper modules can raise them too."""

from citeqa.errors import CiteqaError


class LibraryError(CiteqaError):
    """A user-facing failure of a library operation; the message is one line."""


class BuildLockedError(LibraryError):
    """Another build holds the library's lock."""


class NameClashError(LibraryError):
    """A file to add has the name of a different file already in the library."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class DuplicateContentError(LibraryError):
    """A file to add has the same content as a source of another name: indexed twice, it would
    take two ranks with the same passages, and the build would skip one of them at every run."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ReferenceNotFoundError(LibraryError):
    """The metadata given for a file names a reference that no source lists."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class MetadataError(LibraryError):
    """A metadata value a user typed is malformed; ``field`` names it (``date``, ``ref``)."""

    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
