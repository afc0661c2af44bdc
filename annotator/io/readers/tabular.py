"""Reads spreadsheets saved as CSV or TSV: a header row, then one review per row."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator

from annotator.domain.ratings import column_scale, normalise_in_column
from annotator.domain.text import normalise_text, title_from_text
from annotator.io.records import (
    MAX_ERRORS,
    ByteStream,
    DocumentRecord,
    ReadError,
    ReadErrors,
    ReadOptions,
    Records,
    RecordStream,
)

from .decoding import decode
from .streamed import StreamedText, first_lines, read_head, streamed_encoding

_TEXT_NAMES = ("text", "review")
_TITLE_NAMES = ("title", "headline", "name")
_RATING_NAMES = ("rating", "score", "stars", "grade")
_LONG_TEXT = 40  # average characters: above this a column holds reviews, not names or numbers
# csv's default (128 K characters) is shorter than the longest reviews (about 1 MB).
_LONGEST_CELL = 16 * 1024 * 1024


def read_csv(data: bytes, name: str, options: ReadOptions = ReadOptions()) -> Records:
    """Comma-separated; semicolons too when the header has them and no commas, as Excel
    writes CSV where the comma is the decimal mark."""
    return _read(data, name, ",", options)


def read_tsv(data: bytes, name: str, options: ReadOptions = ReadOptions()) -> Records:
    """Tab-separated, as Excel's "Unicode text" export (UTF-16) writes it."""
    return _read(data, name, "\t", options)


def stream_csv(raw: ByteStream, head: bytes, name: str, options: ReadOptions = ReadOptions(),
               reopen: Callable[[], ByteStream] | None = None) -> RecordStream | None:
    """A large CSV read row by row as it is iterated (twice: first for what the whole
    column decides, the text column and the rating scale); None: read it whole."""
    return _stream(raw, head, name, ",", options, reopen)


def stream_tsv(raw: ByteStream, head: bytes, name: str, options: ReadOptions = ReadOptions(),
               reopen: Callable[[], ByteStream] | None = None) -> RecordStream | None:
    return _stream(raw, head, name, "\t", options, reopen)


def _read(data: bytes, name: str, delimiter: str, options: ReadOptions) -> Records:
    _allow_long_cells()
    try:
        text, encoding = decode(data)
    except ReadError as e:
        raise e.located(name) from None
    records = Records(notes=[] if encoding == "utf-8" else [f"text encoding: {encoding}"])
    delimiter = _delimiter(text, delimiter, records.notes)
    records.extend(_documents(lambda: io.StringIO(text, newline=""), name, delimiter,
                              options, records.notes))
    return records


def _stream(raw: ByteStream, head: bytes, name: str, delimiter: str, options: ReadOptions,
            reopen: Callable[[], ByteStream] | None) -> RecordStream | None:
    found = streamed_encoding(head)
    if reopen is None or found is None:
        return None
    encoding, skip = found
    start = first_lines(head, encoding, skip)
    if any("\r" in line[:-1] for line in start):
        return None  # lone CRs end lines too: read whole, as io.StringIO splits them
    _allow_long_cells()
    opened = [raw]
    unread = [(raw, head)]  # the stream opened already serves the first pass

    def close() -> None:
        for f in opened:
            f.close()

    def lines() -> Iterator[str]:  # the file from its start, each time asked
        if unread:
            f, first = unread.pop()
        else:
            f = reopen()
            opened.append(f)
            first = read_head(f)
        text = StreamedText(f, first, encoding, skip)
        yield from (line + "\n" for _, line in text.lines())
        if text.binary:
            raise ReadError("looks like a binary file (many control characters), not text")

    stream = RecordStream(close)
    if encoding != "utf-8" or skip:
        stream.notes.append(f"text encoding: {encoding}{' (BOM)' if skip else ''}")
    delimiter = _delimiter("\n".join(start), delimiter, stream.notes)
    stream.records = _documents(lines, name, delimiter, options, stream.notes)
    return stream


def _allow_long_cells() -> None:
    if csv.field_size_limit() < _LONGEST_CELL:
        csv.field_size_limit(_LONGEST_CELL)


def _delimiter(text: str, delimiter: str, notes: list[str]) -> str:
    if delimiter == "," and _separated_by_semicolons(text):
        notes.append("columns are separated by semicolons")
        return ";"
    return delimiter


def _documents(lines: Callable[[], Iterable[str]], name: str, delimiter: str,
               options: ReadOptions, notes: list[str]) -> Iterator[DocumentRecord]:
    """The rows' documents, read in two passes over the lines: the first finds the header,
    the problems with rows, the text column and the rating scale, keeping no row; the
    second yields documents while no problem is known. Problems are raised at the end."""
    survey = _Survey()
    for event in _rows(lines(), delimiter):
        survey.add(event)
    header, header_line, errors = survey.header, survey.header_line, survey.errors
    if header is None:
        if errors:
            raise ReadErrors([e.located(name) for e in errors])
        raise ReadError("has no header row naming the columns", path=name)
    columns, renamed = _column_names(header)
    if renamed:
        notes.append("columns renamed to tell them apart: " + "; ".join(renamed))
    try:
        text_column = _text_column(columns, survey.average_length, options)
    except ReadError as e:
        raise ReadError(e.message, name, header_line) from None
    title_column = _first_named(columns, _TITLE_NAMES, exclude=text_column)
    rating_column = next((c for c in columns if c.casefold() in _RATING_NAMES
                          and c not in (text_column, title_column)), None)
    scale = None
    if rating_column:
        largest = survey.largest.get(columns.index(rating_column))
        scale = column_scale([largest] if largest is not None else [])

    count = 0
    rows = (event for event in _rows(lines(), delimiter) if event[0] == _ROW)
    for number, (_, line, row) in enumerate(rows, start=1):
        if len(errors) >= MAX_ERRORS:
            break
        cells = dict(zip(columns, row, strict=False))  # cells missing at the end are empty
        text = normalise_text(cells.get(text_column, ""))
        if not text.strip():
            errors.append(ReadError("the review text is empty", line=line, field=text_column))
            continue
        title = " ".join(cells.get(title_column, "").split()) if title_column else ""
        meta: dict[str, str | float] = {
            column: value.strip() for column, value in cells.items()
            if column not in (text_column, title_column) and value.strip()}
        # meta["rating"] holds the rating whatever the column's name; its value from 0 to 1
        # is worked out here, where the whole column's scale is known.
        if rating_column and rating_column in meta:
            rating = cells[rating_column].strip()  # meta[rating_column], as the str it is
            if "rating" not in columns:
                meta["rating"] = rating
            value = normalise_in_column(rating, scale)
            if value is not None:
                meta["rating_normalised"] = value
        count += 1
        if not errors:
            yield DocumentRecord(
                text=text, title=title or title_from_text(text, f"row {number}"), meta=meta,
                line=line)
    if errors:
        raise ReadErrors([e.located(name) for e in sorted(errors, key=lambda e: e.line or 0)])
    if not count:
        raise ReadError("has a header row but no rows of reviews below it", name, header_line)


_HEADER, _ROW, _ERROR = "header", "row", "error"
_NUMBER = re.compile(r"(\d+(?:\.\d+)?|\d+,\d{1,2})")  # as domain.ratings reads a bare one


class _Survey:
    """What the first pass keeps of the rows: the header, the problems, and per column the
    lengths of its cells and its largest bare number (the rating scale), not the rows."""

    def __init__(self) -> None:
        self.header: list[str] | None = None
        self.header_line = 0
        self.errors: list[ReadError] = []
        self._lengths: dict[int, list[int]] = {}  # column -> [total length, cells]
        self._largest: dict[int, tuple[float, str]] = {}  # column -> (number, its cell)

    def add(self, event: tuple) -> None:
        if event[0] == _ERROR:
            self.errors.append(event[1])
        elif event[0] == _HEADER:
            self.header, self.header_line = event[2], event[1]
        else:
            for index, cell in enumerate(event[2]):
                cell = cell.strip()
                if not cell:
                    continue
                counted = self._lengths.setdefault(index, [0, 0])
                counted[0] += len(cell)
                counted[1] += 1
                number = _NUMBER.fullmatch(cell)
                if number:
                    value = float(number[1].replace(",", "."))
                    if index not in self._largest or value > self._largest[index][0]:
                        self._largest[index] = (value, cell)

    def average_length(self, index: int) -> float | None:
        """The mean length of the column's non-empty cells; None when it has none."""
        total, cells = self._lengths.get(index, (0, 0))
        return total / cells if cells else None

    @property
    def largest(self) -> dict[int, str]:
        return {index: cell for index, (_, cell) in self._largest.items()}


def _separated_by_semicolons(text: str) -> bool:
    """Whether the header row is one comma-free cell with semicolons in it."""
    try:
        header = next((row for row in csv.reader(io.StringIO(text, newline="")) if row), [])
    except csv.Error:
        return False
    return len(header) == 1 and ";" in header[0]


def _rows(lines: Iterable[str], delimiter: str) -> Iterator[tuple]:
    """(_HEADER, line, cells), then (_ROW, line, cells) for each non-empty row below it,
    and (_ERROR, ReadError) for each bad row, up to MAX_ERRORS of them.

    Lines are physical lines of the file: a quoted cell may hold line breaks.
    """
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    header: list[str] | None = None
    errors = 0
    last = 0  # the line the previous row ended on
    while errors < MAX_ERRORS:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            errors += 1
            yield _ERROR, ReadError(_csv_problem(e), line=last + 1)
            last = reader.line_num
            continue
        line, last = last + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if any("\x00" in cell for cell in row):
            errors += 1
            yield _ERROR, ReadError("contains a NUL character, which is not text", line=line)
        elif header is None:
            header = row
            yield _HEADER, line, row
        elif len(row) > len(header):
            errors += 1
            yield _ERROR, ReadError(f"has {len(row)} cells but the header row names only "
                                    f"{len(header)} columns", line=line)
        else:
            yield _ROW, line, row


def _csv_problem(error: csv.Error) -> str:
    message = str(error)
    if "unexpected end of data" in message:
        return 'a quoted cell that starts in this row is never closed (a missing ")'
    if "expected after" in message:
        return 'text follows a closing quote; a quote inside a quoted cell is written ""'
    if "field larger than field limit" in message:
        return f"a cell is longer than {_LONGEST_CELL:,} characters"
    return f"cannot be read: {message}"


def _column_names(header: list[str]) -> tuple[list[str], list[str]]:
    """Header names made unique (ignoring case, as lookups do), and what was renamed."""
    columns: list[str] = []
    renamed: list[str] = []
    seen: set[str] = set()
    for number, cell in enumerate(header, start=1):
        name = " ".join(cell.replace("\ufeff", "").split())
        if name and name.casefold() not in seen:
            column = name
        else:
            column = f"{name} (column {number})" if name else f"column {number}"
            # A real header may already be called "column 3": grow until unique.
            while column.casefold() in seen:
                column += f" (column {number})"
            renamed.append(f"column {number} ({name!r} again) is {column!r}" if name
                           else f"column {number} (no name) is {column!r}")
        seen.add(column.casefold())
        columns.append(column)
    return columns, renamed


def _first_named(columns: list[str], names: tuple[str, ...], exclude: str) -> str | None:
    """The column called by the first of `names` that exists (case-insensitive)."""
    by_name = {c.casefold(): c for c in columns if c != exclude}
    return next((by_name[n] for n in names if n in by_name), None)


def _text_column(columns: list[str], average_length: Callable[[int], float | None],
                 options: ReadOptions) -> str:
    listed = ", ".join(repr(c) for c in columns)
    if options.text_column:
        wanted = options.text_column.strip().casefold()
        found = next((c for c in columns if c.casefold() == wanted), None)
        if found is None:
            raise ReadError(f"has no column named {options.text_column!r}; "
                            f"its columns are {listed}")
        return found
    found = _first_named(columns, _TEXT_NAMES, exclude="")
    if found:
        return found
    for index, column in enumerate(columns):
        if column.casefold() in _TITLE_NAMES:  # long titles are still titles
            continue
        average = average_length(index)
        if average is not None and average > _LONG_TEXT:
            return column
    raise ReadError(f"cannot tell which column holds the reviews: found columns {listed}, "
                    f"none named 'text' or 'review' and none of long text; "
                    f"pass --text-column with the column's name")
