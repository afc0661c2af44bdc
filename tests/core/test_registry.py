"""The format registry: one list of readers and one of writers, and everything else from it."""

import dataclasses
import inspect
import json
import subprocess
import sys

import pytest

from annotator.cli import main
from annotator.io import registry
from annotator.io.records import FORMATS, ReadOptions
from annotator.io.registry import (
    BINARY,
    FOLDER,
    READERS,
    TEXT,
    WRITER_BY_KEY,
    WRITERS,
    reader_keys,
    writer_keys,
)
from annotator.io.sources import KNOWN
from annotator.services import exporting
from annotator.services.exporting import ExportError, ExportOptions

HEAVY = ("spacy", "pyarrow", "trafilatura", "numpy")


def test_the_registry_and_every_format_function_load_without_the_heavy_libraries():
    script = (
        "import json, sys\n"
        "from annotator.io import registry\n"
        f"heavy = {HEAVY!r}\n"
        "loaded = lambda: sorted(m for m in heavy if m in sys.modules)\n"
        "first = loaded()\n"
        "functions = [f.function() for f in (*registry.READERS, *registry.WRITERS)]\n"
        "print(json.dumps({'registry': first, 'functions': loaded(),\n"
        "                  'callable': all(map(callable, functions))}))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert json.loads(result.stdout) == {"registry": [], "functions": [], "callable": True}


@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: w.key)
def test_every_writer_takes_records_its_target_and_the_arguments_it_names(writer):
    assert writer.kind in (TEXT, BINARY, FOLDER)
    assert (writer.suffix == "") == (writer.kind == FOLDER)
    assert bool(writer.preview) == (writer.kind != TEXT)  # nothing to show as text
    fields = {f.name for f in dataclasses.fields(ExportOptions)}
    assert set(writer.options) <= fields
    inspect.signature(writer.function()).bind("records", "target", *writer.takes)


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.key)
def test_every_reader_takes_data_its_name_and_the_options(reader):
    assert set(reader.options) <= {f.name for f in dataclasses.fields(ReadOptions)}
    assert all(s.startswith(".") for s in (*reader.extensions, *reader.more_extensions))
    arguments = ("data", "companion", "name") if reader.with_companion else ("data", "name")
    inspect.signature(reader.function()).bind(*arguments, ReadOptions())


def test_keys_are_unique_and_the_old_names_come_from_the_registry():
    assert len(set(reader_keys())) == len(READERS) and len(set(writer_keys())) == len(WRITERS)
    assert FORMATS == reader_keys()
    assert exporting.FORMATS == writer_keys()


def test_the_command_line_offers_every_reader_and_every_writer():
    def choices(command: str) -> tuple[str, ...]:
        [option] = [p for p in main.commands[command].params if p.name == "fmt"]
        return tuple(option.type.choices)

    assert choices("import") == reader_keys()
    assert choices("export") == writer_keys()


def test_suffixes_select_the_readers_they_did_before():
    assert registry.detected_by_suffix() == {
        ".txt": "text", ".md": "text", ".text": "text",
        ".html": "html", ".htm": "html", ".xhtml": "html",
        ".json": "json", ".jsonl": "json", ".ndjson": "json",
        ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
        ".ann": "brat",
    }
    assert registry.reader_for("json").key == "native"  # any JSON shape: told by content
    assert registry.import_suffixes() == KNOWN  # io.sources still keeps its own list


def test_the_import_file_dialog_filter_names_the_readers_extensions_and_archives():
    assert registry.file_dialog_filter() == (
        "Reviews and annotations (*.txt *.md *.html *.htm *.json *.jsonl *.csv *.tsv "
        "*.ann *.zip);;All files (*)")


@pytest.fixture
def annotated(fresh_db, inbox):
    review = {"text": "The ending: the keeper was her father.", "annotations": [
        {"annotator": "ada", "label": "spoiler", "start": 12, "end": 38}]}
    (inbox / "r.jsonl").write_text(json.dumps(review) + "\n", encoding="utf-8")
    fresh_db.import_paths([inbox])
    return fresh_db


@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: w.key)
def test_every_writer_exports_through_the_registry(writer, annotated, tmp_path):
    if writer.extra:
        pytest.importorskip({"spacy": "spacy", "parquet": "pyarrow"}[writer.extra])
    out = tmp_path / f"out{writer.suffix}"
    report = annotated.export(writer.key, out)
    assert (report.documents, report.spans) == (1, 1)
    assert out.is_dir() if writer.kind == FOLDER else out.is_file()


@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: w.key)
def test_utf16_offsets_are_refused_only_by_writers_that_count_code_points(
        writer, annotated, tmp_path):
    options = ExportOptions(offsets="utf16")
    if not writer.codepoint_only:
        assert annotated.export_preview(writer.key, options)
        return
    with pytest.raises(ExportError, match="UTF-16 offsets are for jsonl, doccano, "):
        annotated.export(writer.key, tmp_path / f"out{writer.suffix}", options)


def test_a_missing_extra_is_named(annotated, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now fails
    assert WRITER_BY_KEY["parquet"].extra == "parquet"
    with pytest.raises(ExportError, match=r'annotator\[parquet\]'):
        annotated.export("parquet", tmp_path / "out.parquet")


def test_conll_mode_reaches_the_conll_writer(annotated, tmp_path):
    written = {}
    for mode in ("priority", "columns"):
        annotated.export("conll", tmp_path / f"{mode}.conll", ExportOptions(conll_mode=mode))
        written[mode] = (tmp_path / f"{mode}.conll").read_text(encoding="utf-8")
    assert written["priority"] != written["columns"]


def test_the_language_reaches_the_spacy_writer(annotated, tmp_path, monkeypatch):
    from annotator.io.writers import spacy_docbin

    asked = []
    monkeypatch.setattr(spacy_docbin, "write_spacy",
                        lambda records, path, lang: asked.append((len(list(records)), lang)))
    annotated.export("spacy", tmp_path / "out.spacy", ExportOptions(language="xx"))
    assert asked == [(1, "xx")]
