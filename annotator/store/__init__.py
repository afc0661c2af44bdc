"""The only place with SQL: opening, migrating and reading and writing the database."""

import sys


def _sqlite_utils_without_dataframes() -> None:
    """sqlite-utils imports pandas and numpy when they are installed (0.35 s of a 0.6 s
    start-up here), only to convert their values on insert, which Annotator never gives
    it. It is imported first with them hidden (a None in sys.modules is an ImportError);
    the rest of the program imports them as usual, when it needs them."""
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


_sqlite_utils_without_dataframes()
