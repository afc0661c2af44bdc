"""Reads brat standoff: a review's .txt and the .ann beside it.

Text-bound annotations (T lines) become spans and their AnnotatorNotes (# lines) the spans'
notes. Relations, events, attributes, normalisations and equivalences have no place in
Annotator: they are counted in a note, not imported.
"""

from __future__ import annotations

import codecs
from collections import Counter
from pathlib import PurePosixPath

from annotator.domain.spans import SpanError, check_span
from annotator.domain.text import normalise_newlines, title_from_text
from annotator.io.records import (
    MAX_ERRORS,
    DocumentRecord,
    ReadError,
    ReadErrors,
    ReadOptions,
    Records,
    SpanRecord,
)

from .decoding import decode
from .placing import SpanPlacer

# What each kind of line not imported is called, once and many times.
_NOT_IMPORTED = {
    "R": ("relation", "relations"),
    "E": ("event", "events"),
    "A": ("attribute", "attributes"),
    "M": ("attribute", "attributes"),  # brat's older name for A
    "N": ("normalisation", "normalisations"),
    "*": ("equivalence", "equivalences"),
}
_NOTE_ON_OTHER = ("note on an annotation not imported", "notes on annotations not imported")


def read_brat(text_data: bytes, ann_data: bytes | None, name: str,
              options: ReadOptions = ReadOptions()) -> Records:
    """One document from a .txt and its .ann; `ann_data` None: the text with no spans."""
    stem = PurePosixPath(name.replace("\\", "/")).stem or name
    try:
        raw, encoding = decode(text_data)
    except ReadError as e:
        raise e.located(name) from None
    # brat counts offsets over the file as it is on disk (CRLF is two characters, and a
    # UTF-8 byte order mark is one, since brat reads with the plain utf-8 codec): the
    # placer maps them onto the normalised text that is stored.
    if text_data.startswith(codecs.BOM_UTF8):
        raw = "\ufeff" + raw
    placer = SpanPlacer(raw, options.offsets_for("brat"))
    if not placer.text.strip():
        raise ReadError("the file holds only white space", path=name)
    meta = {} if encoding == "utf-8" else {"encoding": encoding}
    document = DocumentRecord(text=placer.text, title=title_from_text(placer.text, stem),
                              meta=meta)
    # brat writes an empty .ann for a text nobody has annotated yet.
    if ann_data is None or not ann_data.strip():
        return Records([document])
    ann = _AnnFile(placer, options.annotator or "brat", f"{stem}.ann")
    try:
        ann_text, _ = decode(ann_data)
    except ReadError as e:
        raise ReadError(f"in {ann.name}: {e.message}", path=name) from None
    errors = ann.read(ann_text)
    if errors:
        raise ReadErrors([e.located(name) for e in errors])
    document.spans = [span for spans in ann.spans.values() for span in spans]
    records = Records([document], ann.summary())
    if document.spans:
        records.offsets["brat"] = placer.unit
    return records


class _AnnFile:
    """The lines of one .ann, read against its text."""

    def __init__(self, placer: SpanPlacer, annotator: str, name: str) -> None:
        self.placer = placer
        self.annotator = annotator
        self.name = name
        self.spans: dict[str, list[SpanRecord]] = {}  # T id -> its spans, one per fragment
        self.other_ids: set[str] = set()
        self.split: list[str] = []  # T ids of discontinuous annotations
        self.skipped: Counter[tuple[str, str]] = Counter()
        self.notes: list[tuple[int, str, str]] = []  # (line, T id, note)

    def read(self, text: str) -> list[ReadError]:
        """Every problem found, up to MAX_ERRORS; the spans are in self.spans."""
        errors: list[ReadError] = []
        # LF only: a span's text may hold U+2028, which str.splitlines would break at.
        for number, line in enumerate(text.split("\n"), start=1):
            line = line.removesuffix("\r")
            if not line.strip():
                continue
            try:
                self._line(line, number)
            except ReadError as e:
                errors.append(e)
                if len(errors) >= MAX_ERRORS:
                    return errors
        # Notes may come before the annotation they are about.
        for number, target, note in self.notes:
            if target in self.spans:
                for span in self.spans[target]:
                    # Annotator's own brat export names a span's annotator in a note.
                    if note.startswith(ANNOTATOR_NOTE) and note[len(ANNOTATOR_NOTE):].strip():
                        span.annotator = note[len(ANNOTATOR_NOTE):].strip()
                        continue
                    span.note = note if span.note is None else f"{span.note}\n{note}"
            elif target in self.other_ids:
                self.skipped[_NOTE_ON_OTHER] += 1
            else:
                errors.append(self._error(f"a note is about {target}, which is not in the "
                                          "file", number, "target"))
        return sorted(errors, key=lambda e: e.line or 0)[:MAX_ERRORS]

    def summary(self) -> list[str]:
        notes = []
        if self.split:
            which = (f"{self.split[0]} covers" if len(self.split) == 1
                     else f"{', '.join(self.split)} each cover")
            notes.append(f"{which} several separate pieces of text; each piece became a span "
                         "of its own")
        if self.skipped:
            counted = ", ".join(f"{n} {one if n == 1 else many}"
                                for (one, many), n in self.skipped.items())
            notes.append(f"not imported, as Annotator has no place for them: {counted}")
        return notes

    def _error(self, detail: str, line: int, field: str | None = None) -> ReadError:
        return ReadError(f"in {self.name}: {detail}", line=line, field=field)

    def _line(self, line: str, number: int) -> None:
        kind = line[0]
        if kind == "T":
            self._text_bound(line, number)
        elif kind == "#":
            self._note(line, number)
        elif kind in _NOT_IMPORTED:
            self.other_ids.add(line.partition("\t")[0])
            self.skipped[_NOT_IMPORTED[kind]] += 1
        else:
            raise self._error("not a brat annotation: each line starts with an id such as "
                              "T1, #1, R1, E1, A1, N1 or *", number, "id")

    def _text_bound(self, line: str, number: int) -> None:
        ann_id, tab, rest = line.partition("\t")
        if not tab:
            raise self._error("expected 'T1<tab>Label start end<tab>text' with tabs, got "
                              f"{line[:60]!r}", number, "id")
        if ann_id in self.spans:
            raise self._error(f"{ann_id} is given twice", number, "id")
        self.spans[ann_id] = []  # known from here on, so its notes raise no second error
        kind, tab, text = rest.partition("\t")
        label, _, offsets = kind.partition(" ")
        if not label:
            raise self._error(f"{ann_id} has no label", number, "label")
        fragments = _fragments(offsets)
        if not fragments:
            raise self._error(f"{ann_id}: offsets {offsets.strip()!r} are not 'start end' or "
                              "'start end;start end'", number, "offsets")
        # brat joins the texts of a discontinuous annotation's fragments with one space;
        # each fragment is checked against its own part.
        covered = normalise_newlines(text) if tab else None
        spans, used = [], 0
        for start, end in fragments:
            try:
                start, end = self.placer.place(start, end)
            except SpanError as e:
                raise self._error(f"{ann_id}: {e}", number, "offsets") from None
            if covered is not None:
                part = covered[used:used + end - start]
                used += end - start + 1
                try:
                    check_span(self.placer.text, start, end, part)
                except SpanError as e:
                    raise self._error(f"{ann_id}: {e}", number, "text") from None
            spans.append(SpanRecord(annotator=self.annotator, label=label, start=start,
                                    end=end, within=self.placer.text))
        if covered is not None and used - 1 != len(covered):
            raise self._error(f"{ann_id}: the text {covered!r} is longer than what the "
                              "offsets cover", number, "text")
        if len(spans) > 1:
            self.split.append(ann_id)
        self.spans[ann_id] = spans

    def _note(self, line: str, number: int) -> None:
        ann_id, tab, rest = line.partition("\t")
        head, _, note = rest.partition("\t")
        parts = head.split()
        if not tab or len(parts) != 2:
            raise self._error("expected '#1<tab>AnnotatorNotes T1<tab>note' with tabs, got "
                              f"{line[:60]!r}", number, "target")
        if note.strip():
            self.notes.append((number, parts[1], note.strip()))


ANNOTATOR_NOTE = "annotator: "  # what Annotator's brat writer notes a span's author as


def _fragments(offsets: str) -> list[tuple[int, int]] | None:
    """'0 5;9 14' as [(0, 5), (9, 14)]; None unless every piece is two whole numbers."""
    fragments = []
    for piece in offsets.split(";"):
        numbers = piece.split()
        if len(numbers) != 2 or not all(n.isascii() and n.isdigit() for n in numbers):
            return None
        fragments.append((int(numbers[0]), int(numbers[1])))
    return fragments
