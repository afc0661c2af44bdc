"""Sentences of a document, found by pysbd paragraph by paragraph and remembered per text.

pysbd is careful (abbreviations, quotes, ellipses, lists) but slow: about 3.7 µs a
character here, 0.43 s for 117 KB, so a 10 MB review would take half a minute. So:
- it runs on one paragraph (one line) at a time, and a line with no sentence-ending mark
  before its end is one sentence without asking it;
- a document's boundaries are remembered (by document id, length and hash of its text),
  so retraining and proposing again cost nothing;
- past the first PYSBD_BUDGET characters of a document, paragraphs are split by a plain
  rule instead (a sentence-ending mark followed by a space, or a Chinese/Japanese full
  stop), which is bounded and linear: on a 10 MB text the whole document is split in about
  a second instead of half a minute. Reviews of normal size never reach it.

pysbd's own char_span offsets are not trusted: each sentence it returns is looked up in
the paragraph from where the last one ended, and trimmed of white space.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import pysbd
import regex

from annotator.domain.words import trim_range

PYSBD_BUDGET = 300_000  # characters per document given to pysbd; the rest by plain rule
# pysbd slows down more than linearly on one very long paragraph (a 600 KB review with no
# line breaks took minutes), so a longer paragraph is cut into pieces of about this size,
# each cut after a sentence-ending mark and a space where there is one.
PIECE = 5_000
_CACHE_CHARS = 30_000_000  # forget the least recently used documents beyond this

_ENDS = ".!?。！？…"
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_INNER_END = regex.compile(r"[.!?。！？…]\S*\s|[。！？]")
_PLAIN_SPLIT = regex.compile(r"(?<=[.!?…][\"'”’)\]]*)\s+|(?<=[。！？])")

_segmenters: dict[str, pysbd.Segmenter] = {}
_lock = threading.Lock()
_cache: OrderedDict[tuple[int, int, int], list[tuple[int, int]]] = OrderedDict()
_cached_chars = 0


def _segmenter(language: str) -> pysbd.Segmenter:
    # pysbd's segmenter keeps no state between calls, but one per thread is cheap insurance
    key = f"{language}:{threading.get_ident()}"
    s = _segmenters.get(key)
    if s is None:
        s = _segmenters[key] = pysbd.Segmenter(language=language, clean=False)
    return s


def _by_pysbd(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    paragraph = text[start:end]
    language = "ja" if _CJK.search(paragraph) else "en"
    try:
        pieces = _segmenter(language).segment(paragraph)
    except Exception:  # pysbd has failed on odd input before; one sentence is a safe answer
        pieces = [paragraph]
    cursor = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        at = paragraph.find(piece, cursor)
        if at < 0:  # pysbd changed the text: give the rest of the paragraph as one sentence
            break
        s, e = trim_range(text, start + cursor, start + at + len(piece))
        if s < e:
            out.append((s, e))
        cursor = at + len(piece)
    s, e = trim_range(text, start + cursor, end)
    if s < e:
        out.append((s, e))


def _by_rule(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    cursor = start
    for m in _PLAIN_SPLIT.finditer(text, start, end):
        s, e = trim_range(text, cursor, m.start())
        if s < e:
            out.append((s, e))
        cursor = m.end()
    s, e = trim_range(text, cursor, end)
    if s < e:
        out.append((s, e))


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    while end - start > PIECE:
        limit = start + PIECE
        cut = max(text.rfind(mark, start, limit) for mark in (". ", "! ", "? ", "。"))
        if cut <= start:
            cut = text.rfind(" ", start, limit)
        cut = limit if cut <= start else cut + 1
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def split_sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) of every sentence, trimmed of white space, in order."""
    out: list[tuple[int, int]] = []
    given = 0
    start = 0
    n = len(text)
    while start < n:
        end = text.find("\n", start)
        if end < 0:
            end = n
        s, e = trim_range(text, start, end)
        if s < e:
            if not _INNER_END.search(text, s, e - 1):
                out.append((s, e))  # nothing for pysbd to decide
            else:
                for a, b in _pieces(text, s, e):
                    if given < PYSBD_BUDGET:
                        given += b - a
                        _by_pysbd(text, a, b, out)
                    else:
                        _by_rule(text, a, b, out)
        start = end + 1
    return out


def sentences(document_id: int, text: str) -> list[tuple[int, int]]:
    """The sentences of a document, remembered between calls (safe from any thread)."""
    global _cached_chars
    key = (document_id, len(text), hash(text))
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    found = split_sentences(text)
    with _lock:
        if key not in _cache:
            _cache[key] = found
            _cached_chars += len(text)
            while _cached_chars > _CACHE_CHARS and len(_cache) > 1:
                (_, length, _), _ = _cache.popitem(last=False)
                _cached_chars -= length
    return found


def forget() -> None:
    """Empty the cache (for measuring cold starts)."""
    global _cached_chars
    with _lock:
        _cache.clear()
        _cached_chars = 0
