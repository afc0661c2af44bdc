"""Recommenders: what to suggest to an annotator, learned from the annotations so far.

Pure: texts, spans and labels in, proposals and figures out; no store, no Qt."""

from .examples import Cancelled, Example, Progress
from .suggester import Suggester

__all__ = ["Cancelled", "Example", "Progress", "Suggester"]
