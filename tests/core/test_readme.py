"""The README's command lines and JSONL example work as written."""

import json
import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from annotator.cli import main
from annotator.io.readers.native_jsonl import read_native_jsonl
from annotator.io.registry import READERS, export_table, reader_keys

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_command_in_the_readme_exists_with_its_options():
    lines = re.findall(r"^annotator( [^#\n]*)?", README, flags=re.M)
    assert len(lines) >= 6
    for line in lines:
        words = [w for w in shlex.split(line.split("#")[0]) if not w.startswith("[")]
        words = [w.strip("[]") for w in words if w not in ("NAME]", "...")]
        command = words[:1] if words and not words[0].startswith("-") else []
        result = CliRunner().invoke(main, [*command, "--help"])
        assert result.exit_code == 0, (line, result.output)
        for option in (w for w in words if w.startswith("--")):
            assert option in result.output, (line, option)


def test_the_jsonl_example_has_the_fields_the_reader_takes():
    block = re.search(r"```json\n(.*?)```", README, flags=re.S).group(1)
    example = json.loads(block.replace("…", "x"))
    example["text"] = "x" * 30
    example["annotations"][0]["text"] = "x" * 15
    [doc] = read_native_jsonl(json.dumps(example).encode(), "README")
    assert doc.spans[0].label == "spoiler" and doc.status == {"ada": "done"}


def test_every_picture_in_the_readme_is_there():
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert len(pictures) >= 4
    root = Path(__file__).resolve().parents[2]
    assert [p for p in pictures if not (root / p).is_file()] == []


def test_the_export_table_is_the_registry_s_every_writer_once():
    # The table is rendered from annotator/io/registry.py: a new writer, or changed wording,
    # goes there, and the README gets export_table()'s output.
    assert export_table() in README


def test_the_import_section_names_every_reader_and_its_extensions():
    assert f"[--format {'|'.join(reader_keys())}]" in README
    table = README[README.index("| Files | Read as |"):]
    table = table[:table.index("\n\n")]
    missing = [(r.key, s) for r in READERS for s in r.extensions if f"{s}`" not in table]
    assert missing == []
