"""The README's "Beyond one machine" snippets, run as written: DuckDB's span counts per label
and the Hugging Face `datasets` filter, over a Parquet file exported by the command line."""

import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"


def snippet(language: str) -> str:
    """The README's code block in `language` under "Beyond one machine"."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Beyond one machine", 1)[1].split("\n## ", 1)[0]
    found = re.search(rf"```{language}\n(.*?)```", section, re.S)
    assert found, f"no {language} block in the README's section"
    return found.group(1)


@pytest.fixture
def exported(tmp_path, fresh_db, reviews, monkeypatch):
    """reviews.parquet in the current folder, from a database with two annotators' spans;
    and the (label, annotator) of every span in it."""
    ids = reviews("The Salt Orchard\nThe ending reveals the keeper was the brother all along.",
                  "Paper Lanterns\nA superb score and a cast that never puts a foot wrong.",
                  "Glass Harbour\nDull, and the twist at the harbour is spoiled by the poster.")
    labels = {label.name: label.uuid for label in fresh_db.labels()}
    made = Counter()
    for who, marks in (("mira", [("The Salt Orchard", "spoiler", 4, 10),
                                 ("Paper Lanterns", "praise", 2, 14),
                                 ("Glass Harbour", "criticism", 0, 4)]),
                       ("tomasz", [("The Salt Orchard", "spoiler", 15, 25),
                                   ("Glass Harbour", "spoiler", 14, 36)])):
        fresh_db.switch_to(who)
        for title, label, start, end in marks:
            fresh_db.add_span(ids[title], labels[label], start, end)
            made[label, who] += 1
    path = fresh_db.path
    fresh_db.close()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--db", str(path), "export", "--format", "parquet",
                                       "-o", "reviews.parquet"])
    assert result.exit_code == 0, result.output
    return made


def test_duckdb_counts_spans_per_label_straight_over_the_parquet_export(exported):
    import duckdb  # the dev extra's: a missing one fails here rather than skips

    rows = duckdb.connect().execute(snippet("sql")).fetchall()
    by_label = Counter()
    who: dict[str, set[str]] = {}
    for (label, annotator), n in exported.items():
        by_label[label] += n
        who.setdefault(label, set()).add(annotator)
    assert rows == sorted(((label, n, len(who[label])) for label, n in by_label.items()),
                          key=lambda row: (-row[1], row[0]))
    assert rows[0] == ("spoiler", 3, 2)


def test_the_readmes_datasets_snippet_finds_the_reviews_with_spoilers(exported, tmp_path,
                                                                    monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))
    scope: dict = {}
    exec(snippet("python"), scope)  # noqa: S102 - the README's own code, run as written
    assert scope["reviews"].num_rows == 3
    assert sorted(scope["spoilers"]["title"]) == ["Glass Harbour", "The Salt Orchard"]
