"""What the recommenders learn from (annotated documents) and what long work is told."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Example:
    """One annotated document to learn from: spans as (label uuid, start, end), code points
    into text, end exclusive."""

    document_id: int
    text: str
    spans: tuple[tuple[str, int, int], ...]


class Progress(Protocol):
    """What long work is told; the app passes its Job."""

    def progress(self, done: int, total: int, text: str = "") -> None: ...

    def cancelled(self) -> bool: ...


class Cancelled(Exception):
    """Training was cancelled; the Suggester keeps whatever it knew before."""
