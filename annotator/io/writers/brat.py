"""Writes brat standoff: a folder of NNNN-title.txt and .ann pairs, and annotation.conf.

brat has no author per annotation: each span gets an AnnotatorNotes line "annotator: NAME"
(beside its own note, if it has one), which this project's brat reader reads back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from annotator.io.records import DocumentRecord, SpanRecord

from .stats import WriteStats

_NOT_IN_TYPE = re.compile(r"[^\w.-]+")  # white space and annotation.conf's syntax: < > | : =
_ONLY_BREAKS = "span covers only line breaks"
SLUG_LENGTH = 40


class BratTypes:
    """Label name -> brat type name: no spaces or conf syntax, and no two labels alike."""

    def __init__(self, labels: Iterable[str]) -> None:
        self.names: dict[str, str] = {}
        for label in labels:
            self.name_of(label)

    def name_of(self, label: str) -> str:
        if label not in self.names:
            base = _NOT_IN_TYPE.sub("_", label).strip("_") or "label"
            taken = set(self.names.values())
            name, n = base, 1
            while name in taken:
                n += 1
                name = f"{base}_{n}"
            self.names[label] = name
        return self.names[label]


def slug(title: str | None) -> str:
    """ASCII letters, digits and hyphens, at most SLUG_LENGTH of them."""
    ascii_title = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode()
    words = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()
    return words[:SLUG_LENGTH].rstrip("-") or "review"


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each line the span covers: a brat T line cannot hold a newline."""
    pieces, at = [], start
    for line in text[start:end].split("\n"):
        if line:
            pieces.append((at, at + len(line)))
        at += len(line) + 1
    return pieces


def ann_text(record: DocumentRecord, types: BratTypes, stats: WriteStats) -> str:
    """The .ann of one document; spans it cannot hold are counted in `stats`."""
    lines: list[str] = []
    t_count = note_count = 0
    spans: list[SpanRecord] = sorted(record.spans, key=lambda s: (s.start, s.end, s.label))
    for span in spans:
        pieces = fragments(record.text, span.start, span.end)
        if not pieces:
            stats.not_written[_ONLY_BREAKS] += 1
            continue
        t_count += 1
        offsets = ";".join(f"{a} {b}" for a, b in pieces)
        covered = " ".join(record.text[a:b] for a, b in pieces)
        lines.append(f"T{t_count}\t{types.name_of(span.label)} {offsets}\t{covered}")
        notes = [span.note] if span.note and span.note.strip() else []
        if span.annotator:  # brat has no author field: a note keeps it for the way back
            notes.append(f"annotator: {span.annotator}")
        for note in notes:
            note_count += 1
            # One line each: brat reads the .ann line by line.
            lines.append(f"#{note_count}\tAnnotatorNotes T{t_count}\t{' '.join(note.split())}")
        stats.spans += 1
    return "".join(line + "\n" for line in lines)


def annotation_conf(types: BratTypes, descriptions: dict[str, str] | None) -> str:
    lines = ["[entities]"]
    for label, name in types.names.items():
        description = (descriptions or {}).get(label)
        if description and description.strip():
            lines.append(f"# {name}: {' '.join(description.split())}")  # brat skips # lines
        lines.append(name)
    lines += ["", "[relations]", "", "[events]", "", "[attributes]", ""]
    return "\n".join(lines)


def write_brat(records: Iterable[DocumentRecord], folder: Path, labels: list[str],
               descriptions: dict[str, str] | None = None) -> WriteStats:
    """Each document as `folder`/NNNN-slug.txt (its text exactly, UTF-8) and .ann, and the
    labels in annotation.conf (with any label the spans use that `labels` lacks)."""
    folder.mkdir(parents=True, exist_ok=True)
    types = BratTypes(labels)
    stats = WriteStats()
    for number, record in enumerate(records, start=1):
        stem = f"{number:04d}-{slug(record.title)}"
        # Bytes, not write_text: newlines stay LF on every platform, as brat's offsets need.
        (folder / f"{stem}.txt").write_bytes(record.text.encode("utf-8"))
        (folder / f"{stem}.ann").write_bytes(ann_text(record, types, stats).encode("utf-8"))
        stats.documents += 1
    (folder / "annotation.conf").write_bytes(annotation_conf(types, descriptions)
                                             .encode("utf-8"))
    return stats
