"""Writes spans as CSV for spreadsheets: one row a span, one row for a document without any."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from annotator.io.records import DocumentRecord
from annotator.io.writers.stats import WriteStats

HEADER = ["document_id", "title", "annotator", "label", "start", "end", "text", "note"]
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection"),
# also after leading white space, a no-break space or a byte order mark, and in their
# full-width forms (＝＋－＠), which some spreadsheets fold to the plain ones; a leading
# apostrophe makes the cell plain text there.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_SIGNS = frozenset("=+-@＝＋－＠")
_LEADING = frozenset(" \t\r\n\u00a0\ufeff\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                     "\u2007\u2008\u2009\u200a\u200b\u202f\u205f\u3000")


def write_csv_spans(records: Iterable[DocumentRecord], out: TextIO) -> WriteStats:
    """Write every span of `records` as a row; a document without spans gets one row with
    empty span fields, so negative examples are kept. Cells that a spreadsheet would take
    for a formula are written with a leading apostrophe."""
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    # QUOTE_MINIMAL quotes only the characters of the line terminator, and a bare CR left
    # unquoted would end the row for every reader: rows holding one quote every cell.
    cr_writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def write(row: list) -> None:
        cells = [_cell(value) for value in row]
        (cr_writer if any("\r" in cell for cell in cells) else writer).writerow(cells)

    writer.writerow(HEADER)
    stats = WriteStats()
    for record in records:
        stats.documents += 1
        document = [record.id, record.title]
        if not record.spans:
            write([*document, *[None] * 6])
        for span in record.spans:
            write([*document, span.annotator, span.label, span.start, span.end, span.text,
                   span.note])
            stats.spans += 1
    return stats


def formula_like(text: str) -> bool:
    """Would a spreadsheet take this cell for a formula?"""
    if text.startswith(FORMULA_START):
        return True
    for char in text:
        if char not in _LEADING:
            return char in _FORMULA_SIGNS
    return False


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if formula_like(text) else text
