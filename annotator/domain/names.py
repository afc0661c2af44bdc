"""Label names as they are matched: exactly, after Unicode NFC and tidying white space.

Annotation tools treat label names as case-sensitive (PERSON and Person are two labels), so
Annotator does too; a name that differs from another only in case or spacing is told about,
never merged.
"""

from __future__ import annotations

import unicodedata


def label_name(name: str) -> str:
    """The name as it is stored and matched: NFC, trimmed, runs of white space as one."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def look_alike(name: str) -> str:
    """What two names share when they differ only in case or spacing."""
    return "".join(unicodedata.normalize("NFC", name).split()).casefold()


def find_names(wanted: list[str], known: list[str]
               ) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """The known names the wanted ones mean, in the order wanted (each once): exactly, else
    by a name that differs only in case or spacing when just one known name does. Also the
    wanted names matching none, and those matching several alike (wanted -> them)."""
    exact = {label_name(name): name for name in known}
    alike: dict[str, list[str]] = {}
    for name in known:
        alike.setdefault(look_alike(name), []).append(name)
    found: list[str] = []
    missing: list[str] = []
    ambiguous: dict[str, list[str]] = {}
    for name in wanted:
        same = alike.get(look_alike(name), [])
        match = exact.get(label_name(name)) or (same[0] if len(same) == 1 else None)
        if match is not None:
            if match not in found:
                found.append(match)
        elif same:
            ambiguous[name] = same
        else:
            missing.append(name)
    return found, missing, ambiguous
