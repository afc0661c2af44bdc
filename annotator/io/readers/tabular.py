"""Reads spreadsheets saved as CSV or TSV: a header row, then one review per row."""

from __future__ import annotations

import csv
import io

from annotator.domain.ratings import column_scale, normalise_in_column
from annotator.domain.text import normalise_text, title_from_text
from annotator.io.records import (
    MAX_ERRORS,
    DocumentRecord,
    ReadError,
    ReadErrors,
    ReadOptions,
    Records,
)

from .decoding import decode

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


def _read(data: bytes, name: str, delimiter: str, options: ReadOptions) -> Records:
    if csv.field_size_limit() < _LONGEST_CELL:
        csv.field_size_limit(_LONGEST_CELL)
    try:
        text, encoding = decode(data)
    except ReadError as e:
        raise e.located(name) from None
    notes = [] if encoding == "utf-8" else [f"text encoding: {encoding}"]
    if delimiter == "," and _separated_by_semicolons(text):
        delimiter = ";"
        notes.append("columns are separated by semicolons")
    header, header_line, rows, errors = _rows(text, delimiter)
    if header is None:
        if errors:
            raise ReadErrors([e.located(name) for e in errors])
        raise ReadError("has no header row naming the columns", path=name)
    columns, renamed = _column_names(header)
    if renamed:
        notes.append("columns renamed to tell them apart: " + "; ".join(renamed))
    try:
        text_column = _text_column(columns, rows, options)
    except ReadError as e:
        raise ReadError(e.message, name, header_line) from None
    title_column = _first_named(columns, _TITLE_NAMES, exclude=text_column)
    rating_column = next((c for c in columns if c.casefold() in _RATING_NAMES
                          and c not in (text_column, title_column)), None)

    scale = None
    if rating_column:
        at = columns.index(rating_column)
        scale = column_scale([row[at] for _, row in rows if at < len(row)])
    documents: list[DocumentRecord] = []
    for number, (line, row) in enumerate(rows, start=1):
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
        documents.append(DocumentRecord(
            text=text, title=title or title_from_text(text, f"row {number}"), meta=meta,
            line=line))
    if errors:
        raise ReadErrors([e.located(name) for e in sorted(errors, key=lambda e: e.line or 0)])
    if not documents:
        raise ReadError("has a header row but no rows of reviews below it", name, header_line)
    return Records(documents, notes)


def _separated_by_semicolons(text: str) -> bool:
    """Whether the header row is one comma-free cell with semicolons in it."""
    try:
        header = next((row for row in csv.reader(io.StringIO(text, newline="")) if row), [])
    except csv.Error:
        return False
    return len(header) == 1 and ";" in header[0]


def _rows(text: str, delimiter: str) -> tuple[
        list[str] | None, int, list[tuple[int, list[str]]], list[ReadError]]:
    """(header, its line, [(line, cells)] of the non-empty rows below it, errors).

    Lines are physical lines of the file: a quoted cell may hold line breaks.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, list[str]]] = []
    errors: list[ReadError] = []
    last = 0  # the line the previous row ended on
    while len(errors) < MAX_ERRORS:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            errors.append(ReadError(_csv_problem(e), line=last + 1))
            last = reader.line_num
            continue
        line, last = last + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if any("\x00" in cell for cell in row):
            errors.append(ReadError("contains a NUL character, which is not text", line=line))
        elif header is None:
            header, header_line = row, line
        elif len(row) > len(header):
            errors.append(ReadError(f"has {len(row)} cells but the header row names only "
                                    f"{len(header)} columns", line=line))
        else:
            rows.append((line, row))
    return header, header_line, rows, errors


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


def _text_column(columns: list[str], rows: list[tuple[int, list[str]]],
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
        lengths = [len(row[index].strip()) for _, row in rows
                   if index < len(row) and row[index].strip()]
        if lengths and sum(lengths) / len(lengths) > _LONG_TEXT:
            return column
    raise ReadError(f"cannot tell which column holds the reviews: found columns {listed}, "
                    f"none named 'text' or 'review' and none of long text; "
                    f"pass --text-column with the column's name")
