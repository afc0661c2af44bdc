"""Writes CoNLL-2003-style BIO files: one token a line, a blank line between sentences."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import TextIO

from annotator.io.records import DocumentRecord, SpanRecord
from annotator.io.writers.stats import EXPANDED, WriteStats

MODES = ("priority", "columns")
TOKEN = re.compile(r"\w+|[^\w\s]")  # str patterns are Unicode: 映画 is one word, 😂 one token
SENTENCE_END = frozenset(".!?")

NOT_EXPORTED = "label not exported"
HIGHER_PRIORITY = "overlaps a span of a higher-priority label"
SAME_LABEL = "overlaps a span of the same label"
OUTSIDE = "offsets outside the text"
NO_TOKEN = "covers no token"


def write_conll(records: Iterable[DocumentRecord], out: TextIO, labels: list[str],
                mode: str = "priority") -> WriteStats:
    """Write `records` as BIO-tagged tokens; offsets must be code points.

    mode "priority": `token -X- _ TAG`, one tag a token; where spans overlap, the label
    earlier in `labels` wins and the other span is left out (and counted).
    mode "columns": `token TAG1 TAG2 ...`, one BIO column per label in `labels` order, so
    spans of different labels may overlap; of two overlapping spans of one label the one
    that starts later (or, starting together, is shorter) is left out.
    A span whose edges fall inside a token covers the whole token (counted in `adjusted`).
    A sentence break inside a written span is not made, so that no entity is cut in two.
    CoNLL has no place for a span's note: those are counted in `notes_not_written`.
    """
    if mode not in MODES:
        raise ValueError(f"mode is one of {', '.join(MODES)}, not {mode!r}")
    tags = [_tag_name(label) for label in labels]
    if len(set(tags)) != len(tags):
        raise ValueError(f"labels must differ as tags (spaces become _): {labels}")
    rank = {label: i for i, label in enumerate(labels)}
    stats = WriteStats()
    for record in records:
        stats.documents += 1
        tokens = [(m.start(), m.end()) for m in TOKEN.finditer(record.text)]
        entities = _entities(record, tokens, rank, mode, stats)
        stats.spans += len(entities)
        columns = len(labels) if mode == "columns" else 1
        rows = [["O"] * columns for _ in tokens]
        for label, first, stop in entities:
            column = rank[label] if mode == "columns" else 0
            rows[first][column] = f"B-{tags[rank[label]]}"
            for i in range(first + 1, stop):
                rows[i][column] = f"I-{tags[rank[label]]}"
        if mode == "priority":
            out.write("-DOCSTART- -X- -X- O\n\n")
        else:
            out.write(" ".join(["-DOCSTART-", *["O"] * columns]) + "\n\n")
        starts = _sentence_starts(record.text, tokens, entities)
        for i, (start, end) in enumerate(tokens):
            if i in starts:
                out.write("\n")
            middle = ["-X-", "_"] if mode == "priority" else []
            out.write(" ".join([record.text[start:end], *middle, *rows[i]]) + "\n")
        if tokens:
            out.write("\n")
    return stats


def _tag_name(label: str) -> str:
    # a tag is one whitespace-free column; the label stays as written otherwise
    return re.sub(r"\s", "_", label)


def _entities(record: DocumentRecord, tokens: list[tuple[int, int]], rank: dict[str, int],
              mode: str, stats: WriteStats) -> list[tuple[str, int, int]]:
    """The spans that will be written, as (label, first token, token after the last)."""
    candidates = []
    starts = [start for start, _ in tokens]
    ends = [end for _, end in tokens]
    for index, span in enumerate(record.spans):
        reason = _unwritable(span, record.text, rank)
        if reason is None:
            # the tokens that share at least one character with the span
            first, stop = bisect_right(ends, span.start), bisect_left(starts, span.end)
            if first >= stop:
                reason = NO_TOKEN
            else:
                candidates.append((rank[span.label], first, -stop, index))
        if reason is not None:
            stats.not_written[reason] += 1
    # one owner per token in priority mode; one per token and label in columns mode
    owner: dict[tuple[int, int], int] = {}
    entities = []
    for label_rank, first, minus_stop, index in sorted(candidates):
        stop = -minus_stop
        column = label_rank if mode == "columns" else 0
        taken = [owner[(column, i)] for i in range(first, stop) if (column, i) in owner]
        if any(other < label_rank for other in taken):
            stats.not_written[HIGHER_PRIORITY] += 1
        elif taken:
            stats.not_written[SAME_LABEL] += 1
        else:
            for i in range(first, stop):
                owner[(column, i)] = label_rank
            span = record.spans[index]
            entities.append((span.label, first, stop))
            if (tokens[first][0], tokens[stop - 1][1]) != (span.start, span.end):
                stats.adjusted[EXPANDED] += 1  # B/I tags can only cover whole tokens
            if span.note:
                stats.notes_not_written += 1
    return entities


def _unwritable(span: SpanRecord, text: str, rank: dict[str, int]) -> str | None:
    if span.label not in rank:
        return NOT_EXPORTED
    if not 0 <= span.start < span.end <= len(text):
        return OUTSIDE
    return None


def _sentence_starts(text: str, tokens: list[tuple[int, int]],
                     entities: list[tuple[str, int, int]]) -> set[int]:
    """Indices of tokens that begin a new sentence (never the first token)."""
    starts = set()
    for i in range(1, len(tokens)):
        previous_start, previous_end = tokens[i - 1]
        gap = text[previous_end:tokens[i][0]]
        ends_sentence = text[previous_start:previous_end] in SENTENCE_END and gap[:1].isspace()
        if ends_sentence or "\n" in gap:
            starts.add(i)
    return {i for i in starts if not any(first < i < stop for _, first, stop in entities)}
