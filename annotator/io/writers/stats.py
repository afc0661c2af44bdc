"""What a writer wrote, and what it could not express (never dropped silently)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class WriteStats:
    documents: int = 0
    spans: int = 0
    not_written: Counter = field(default_factory=Counter)  # reason -> spans left out
    adjusted: Counter = field(default_factory=Counter)  # reason -> spans written changed
