"""Finding phrases (sequences of normalised words) in a document, whole words only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from .tokens import Words

T = TypeVar("T")
_FOUND = ""  # no word is empty, so this key of a trie node holds what ends there


class Phrases(Generic[T]):
    """Phrases to look for, each with something to report when it is found: a trie of
    words, so a text is read once however many phrases start with "the"."""

    def __init__(self) -> None:
        self._root: dict[str, Any] = {}

    def add(self, phrase: tuple[str, ...], what: T) -> None:
        if not phrase:
            return
        node = self._root
        for w in phrase:
            node = node.setdefault(w, {})
        node.setdefault(_FOUND, []).append(what)

    def __bool__(self) -> bool:
        return bool(self._root)

    def find(self, words: Words) -> Iterator[tuple[int, int, T]]:
        """(start, end, what) of every occurrence, offsets in the original text."""
        normal, starts, ends = words.normal, words.starts, words.ends
        root = self._root
        n = len(normal)
        for i in range(n):
            node = root.get(normal[i])
            j = i
            while node is not None:
                found = node.get(_FOUND)
                if found is not None:
                    for what in found:
                        yield starts[i], ends[j], what
                j += 1
                if j == n:
                    break
                node = node.get(normal[j])

    @staticmethod
    def of(words: Words, i: int, j: int) -> tuple[str, ...]:
        return tuple(words.normal[i:j])
