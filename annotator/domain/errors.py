"""The project's own errors: problems a user can act on, each with a message meant for them.

Everything the program refuses or cannot do for a reason outside its control (a locked
database, a bad span, a scope nobody can compute) is an `AnnotatorError`. The window shows
these as messages; any other exception is a bug and goes to the crash report.
"""

from __future__ import annotations


class AnnotatorError(Exception):
    """A problem the user can do something about; str(error) says what, in their words."""


class EditRefused(AnnotatorError):
    """An edit the rules do not allow (another annotator's span, accepting into gold while
    not adjudicating); nothing was changed."""


class NothingToUndo(AnnotatorError):
    """Undo or redo asked for with nothing on that side of the history."""


class StoreError(AnnotatorError):
    """A database that cannot be used, or a write it refused; the message is for the user.
    Raised by the store only, which translates SQLite's errors into these kinds."""


class NotADatabaseError(StoreError):
    """Not ours to touch: another kind of file, or another program's database."""


class NewerSchemaError(StoreError):
    """Written by a newer Annotator: left untouched."""


class DatabaseLocked(StoreError):
    """Another program (or another Annotator) holds the database for writing."""


class DatabaseReadOnly(StoreError):
    """The file, its folder or the medium does not allow writing."""


class DiskFull(StoreError):
    """No room left to write."""


class DatabaseCorrupt(StoreError):
    """The file is damaged or is not a database any more."""


class StoreConflict(StoreError):
    """The database no longer holds what the edit expected (a span deleted meanwhile, a
    name taken): nothing was written."""


class SearchError(AnnotatorError):
    """A search that cannot be run as typed (nothing but punctuation, say); nothing was
    searched."""


class AssignmentError(AnnotatorError):
    """An assignment that cannot be made as asked (more annotators per document than there
    are, an overlap outside 0..1, nobody to assign to); nothing was stored."""
