"""Every format Annotator reads and writes, listed once: dispatch, CLI, dialogs and README."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

# What a writer writes: its function gets an open text file, a path to a binary file, or a
# folder that exists and is empty.
TEXT, BINARY, FOLDER = "text", "binary", "folder"
ARCHIVES = (".zip",)  # opened by io.sources, their members read by the readers below


def _load(path: str) -> Callable:
    """`"module:function"`, imported only now: heavy writers (spaCy, pyarrow) cost nothing
    until they are used."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True, slots=True)
class Reader:
    key: str  # the --format value
    name: str  # as the import dialog shows it
    extensions: tuple[str, ...]  # suffixes that select it, as the file dialog and README name
    read: str  # "module:function" taking (data, name, options)
    options: tuple[str, ...] = ()  # the ReadOptions fields it heeds ("offsets": UTF-16 too)
    more_extensions: tuple[str, ...] = ()  # rarer spellings that select it too
    told_as: str = ""  # what its extensions are detected as, when not its key: one of several
    #                    shapes of a file, the reader tells which by content
    with_companion: bool = False  # a text read with the file beside it (brat's .ann): its
    #                               function takes (data, companion data or None, name, options)
    counts: str = "codepoint"  # the unit its tools count offsets in, read unless --offsets
    #                            says otherwise: "codepoint" or "utf16" (JavaScript tools)
    stream: str = ""  # "module:function" reading a large file record by record, taking
    #                   (binary stream, its first bytes, name, options, reopen=a function
    #                   opening it again) -> RecordStream, or None when the start does not
    #                   allow it (then `read` reads it whole)

    @property
    def detected_as(self) -> str:
        return self.told_as or self.key

    def function(self) -> Callable:
        return _load(self.read)

    def streamer(self) -> Callable | None:
        return _load(self.stream) if self.stream else None


@dataclass(frozen=True, slots=True)
class Writer:
    key: str  # the --format value
    name: str  # as the export dialog shows it
    suffix: str  # of the file written; "" for a folder
    kind: str  # TEXT, BINARY or FOLDER
    write: str  # "module:function" taking (records, target, *takes) -> WriteStats (or a count)
    takes: tuple[str, ...] = ()  # its further arguments: "labels" (the label names in order)
    #                              or ExportOptions fields
    codepoint_only: bool = False  # its tokens or its own tools count code points: no other
    #                               unit
    counts: str | None = "codepoint"  # the unit it writes offsets in unless --offsets says
    #                                   otherwise ("utf16" for JavaScript tools); None: the
    #                                   file holds no offsets (tokens only)
    extra: str | None = None  # the optional dependency it needs: pip install annotator[extra]
    writes: str = ""  # for the README: what the file holds
    read_back_by: str = ""  # for the README: what reads it back in the tests
    preview: str = ""  # shown instead of a first record (binary and folder formats)

    @property
    def options(self) -> tuple[str, ...]:
        """The ExportOptions fields beyond the scope that it uses."""
        return tuple(name for name in self.takes if name != "labels")

    def function(self) -> Callable:
        return _load(self.write)


_READERS = "annotator.io.readers."
_JSON = _READERS + "json_formats:read_json"
_JSONL = _READERS + "json_formats:stream_json"
_JSON_EXTENSIONS = (".json", ".jsonl")

READERS = (
    Reader("text", "Plain text (.txt, .md)", (".txt", ".md"),
           _READERS + "plain_text:read_plain_text", ("title_from",), (".text",)),
    Reader("html", "Web page (.html)", (".html", ".htm"), _READERS + "html:read_html",
           more_extensions=(".xhtml",)),
    Reader("native", "Annotator JSONL", _JSON_EXTENSIONS, _JSON, ("offsets",), (".ndjson",),
           "json", stream=_JSONL),
    Reader("doccano", "doccano JSONL", _JSON_EXTENSIONS, _JSON, ("offsets", "annotator"),
           (".ndjson",), "json", counts="utf16", stream=_JSONL),
    Reader("prodigy", "Prodigy JSONL", _JSON_EXTENSIONS, _JSON, ("offsets", "annotator"),
           (".ndjson",), "json", stream=_JSONL),
    Reader("labelstudio", "Label Studio JSON", _JSON_EXTENSIONS, _JSON,
           ("offsets", "annotator", "text_column"), (".ndjson",), "json", counts="utf16",
           stream=_JSONL),
    Reader("csv", "Spreadsheet, comma-separated (.csv)", (".csv",),
           _READERS + "tabular:read_csv", ("text_column",),
           stream=_READERS + "tabular:stream_csv"),
    Reader("tsv", "Spreadsheet, tab-separated (.tsv)", (".tsv",),
           _READERS + "tabular:read_tsv", ("text_column",), (".tab",),
           stream=_READERS + "tabular:stream_tsv"),
    Reader("brat", "brat standoff (.txt + .ann)", (".ann",), _READERS + "brat:read_brat",
           ("offsets", "annotator"), with_companion=True),
)

_WRITERS = "annotator.io.writers."

WRITERS = (
    Writer("jsonl", "Annotator JSONL (lossless)", ".jsonl", TEXT,
           _WRITERS + "native_jsonl:write_native_jsonl",
           writes="Annotator's own, lossless, with a `.labels.json` sidecar (colours, keys, "
                  "descriptions)",
           read_back_by="this project's importer"),
    Writer("doccano", "doccano JSONL", ".jsonl", TEXT,
           _WRITERS + "annotation_formats:write_doccano", counts="utf16",
           writes='`text` + `label: [[start, end, "LABEL"]]` in UTF-16 units; several '
                  "annotators also in `annotators`; notes in `notes: [[start, end, "
                  '"LABEL", "annotator", "note"]]`',
           read_back_by="this project's doccano reader"),
    Writer("prodigy", "Prodigy JSONL", ".jsonl", TEXT,
           _WRITERS + "annotation_formats:write_prodigy", codepoint_only=True,
           writes="`text`, `tokens`, `spans` with `token_start`/`token_end` (and a span's "
                  "`note`), `_annotator_id`",
           read_back_by="this project's Prodigy reader"),
    Writer("labelstudio", "Label Studio JSON", ".json", TEXT,
           _WRITERS + "annotation_formats:write_labelstudio", counts="utf16",
           writes="tasks with one annotation per annotator (`completed_by.email`), offsets "
                  "in UTF-16 units; a note as a `textarea` result with its span's `id`",
           read_back_by="this project's Label Studio reader"),
    Writer("brat", "brat standoff (a folder)", "", FOLDER, _WRITERS + "brat:write_brat",
           ("labels",), codepoint_only=True,
           writes="a new folder: `.txt` + `.ann` per document, `annotation.conf`",
           read_back_by="this project's brat reader",
           preview="One .txt and one .ann file per document, and annotation.conf with the "
                   "label set."),
    Writer("conll", "CoNLL BIO", ".conll", TEXT, _WRITERS + "conll:write_conll",
           ("labels", "conll_mode"), codepoint_only=True, counts=None,
           writes="CoNLL-2003 BIO; overlaps by label order (spans that lose are counted and "
                  "reported) or `--conll-mode columns`, one column per label; a span that "
                  "cuts a word takes the whole word, and notes have no place (both counted)",
           read_back_by="seqeval"),
    Writer("csv", "CSV, one row per span", ".csv", TEXT, _WRITERS + "csv_spans:write_csv_spans",
           writes="one row per span (a row for a document without spans); cells that could "
                  "run as spreadsheet formulas are escaped",
           read_back_by="`csv`"),
    Writer("spacy", "spaCy DocBin (.spacy)", ".spacy", BINARY,
           _WRITERS + "spacy_docbin:write_spacy", ("language",), codepoint_only=True,
           extra="spacy",
           writes='a `DocBin` tokenised by a blank `--language` pipeline: every span in '
                  '`doc.spans["sc"]`, those that do not overlap also in `doc.ents`, '
                  "annotators in `doc.user_data`",
           read_back_by="spaCy",
           preview='A spaCy DocBin: every span in doc.spans["sc"], those that do not '
                   "overlap also in doc.ents; annotators in doc.user_data."),
    Writer("parquet", "Parquet, with a dataset card", ".parquet", BINARY,
           _WRITERS + "parquet:write_parquet", extra="parquet",
           writes="one row per document, spans as a list of structs; a dataset card "
                  "beside it (`NAME.README.md`, or `README.md` in a split folder)",
           read_back_by="pyarrow, Hugging Face `datasets`",
           preview="One row per document (id, title, text, meta, status, spans as a list of "
                   "structs), with a dataset card README beside it."),
)

READER_BY_KEY = {reader.key: reader for reader in READERS}
WRITER_BY_KEY = {writer.key: writer for writer in WRITERS}


def reader_keys() -> tuple[str, ...]:
    """The `annotator import --format` choices."""
    return tuple(READER_BY_KEY)


def writer_keys() -> tuple[str, ...]:
    """The `annotator export --format` choices."""
    return tuple(WRITER_BY_KEY)


def reader_for(kind: str) -> Reader:
    """The reader of a format key or of what a file was detected as ("json": any shape)."""
    found = READER_BY_KEY.get(kind) or next(
        (reader for reader in READERS if reader.detected_as == kind), None)
    if found is None:
        raise KeyError(kind)
    return found


def detected_by_suffix() -> dict[str, str]:
    """Suffix -> what a file with it is read as."""
    return {suffix: reader.detected_as for reader in READERS
            for suffix in (*reader.extensions, *reader.more_extensions)}


def import_suffixes() -> frozenset[str]:
    """Every suffix an import reads, archives included."""
    return frozenset(detected_by_suffix()) | frozenset(ARCHIVES)


def file_dialog_filter() -> str:
    """The filter of File → Import files…: the suffixes readers are known by, and archives."""
    named = dict.fromkeys((*(s for r in READERS for s in r.extensions), *ARCHIVES))
    return (f"Reviews and annotations ({' '.join('*' + suffix for suffix in named)});;"
            "All files (*)")


def export_table() -> str:
    """The README's table of export formats, one row per writer."""
    rows = ["| `--format` | Writes | Read back in the tests by |", "|---|---|---|"]
    for writer in WRITERS:
        needs = f'; needs `pip install "annotator[{writer.extra}]"`' if writer.extra else ""
        rows.append(f"| `{writer.key}` | {writer.writes}{needs} | {writer.read_back_by} |")
    return "\n".join(rows) + "\n"
