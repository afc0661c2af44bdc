"""What a writer wrote, and what it could not express (never dropped silently)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Why a span was written with other edges than it has, by every writer that snaps to tokens.
EXPANDED = "edges moved to token edges (a word cut, or white space at an end)"


@dataclass
class WriteStats:
    documents: int = 0
    spans: int = 0
    not_written: Counter = field(default_factory=Counter)  # reason -> spans left out
    adjusted: Counter = field(default_factory=Counter)  # reason -> spans written changed
    notes_not_written: int = 0  # spans written without their note: the format has no place
