"""The `annotator` command as a user types it."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from annotator import __version__
from annotator.cli import main


@pytest.fixture
def samples(run, open_workspace):
    """The sample reviews in the command's database, as a first launch of the window leaves
    them."""
    ws = open_workspace(run.db)
    ws.seed_samples()
    ws.close()


@pytest.fixture
def run(tmp_path):
    db = tmp_path / "cli.db"

    def invoke(*args, db_path=db):
        result = CliRunner().invoke(main, ["--db", str(db_path), *map(str, args)])
        return result
    invoke.db = db
    return invoke


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_import_then_export_then_stats(run, inbox, tmp_path):
    (inbox / "a.txt").write_text("The Quiet Harbour\n\nToo long by half.")
    result = run("import", inbox, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["documents"] == 1
    out = tmp_path / "out.jsonl"
    result = run("export", "--format", "jsonl", "-o", out)
    assert result.exit_code == 0 and "wrote 1 documents" in result.output
    assert json.loads(out.read_text())["title"] == "The Quiet Harbour"
    stats = json.loads(run("stats", "--json").output)
    assert stats["documents"] == 1 and stats["spans"] == 0


def test_import_reports_bad_files_and_exits_1(run, inbox):
    (inbox / "good.txt").write_text("Good.")
    (inbox / "bad.jsonl").write_text('{"text": "x"}\n{oops\n')
    result = run("import", inbox)
    assert result.exit_code == 1
    assert "bad.jsonl, line 2: not valid JSON" in result.output
    assert "imported 1 documents" in result.output


def test_import_prints_a_table_per_file_and_takes_reading_options(run, inbox,
                                                                     open_workspace):
    (inbox / "web.jsonl").write_text(json.dumps(
        {"text": "Loved it 😍 but the twist…", "label": [[12, 26, "spoiler"]]}) + "\n")
    (inbox / "reviews.csv").write_text("film,body\nDust Bowl,A patient western.\n")
    result = run("import", inbox, "--offsets", "utf16", "--text-column", "body",
                 "--annotator", "ines")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["status", "documents", "spans", "duplicates", "file"]
    assert lines[1].split()[:3] == ["imported", "1", "0"] and lines[1].endswith("reviews.csv")
    assert lines[2].split()[:3] == ["imported", "1", "1"] and lines[2].endswith("web.jsonl")
    assert "new annotators: ines" in result.output
    ws = open_workspace(run.db)
    [span] = [s for d in ws.document_ids() for s in ws.spans(d)]
    assert span.text == "but the twist…"  # UTF-16 offsets 12-26, after the emoji
    assert ws.annotator(span.annotator_uuid).name == "ines"


def test_import_with_a_forced_format_and_an_unknown_one(run, inbox):
    (inbox / "page.data").write_text("Not JSON at all, just a note on Iron Meadow.")
    assert run("import", inbox / "page.data", "--format", "text").exit_code == 0
    result = run("import", inbox / "page.data", "--format", "yaml")
    assert result.exit_code == 2 and "yaml" in result.output


def test_agreement_on_the_samples_as_json_table_and_html_report(run, samples, tmp_path):
    result = run("agreement", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["scope"]["annotators"] == ["mira", "tomasz"]
    assert data["scope"]["documents_compared"] == 5 and data["scope"]["labelled_only"]
    assert [row["label"] for row in data["labels"]] == [
        "spoiler", "praise", "criticism", "plot-hole"]
    for row in [data["overall"], *data["labels"]]:
        assert -1 <= row["unitizing_alpha"] <= 1 and 0 <= row["f1_overlap"] <= 1
    assert len(data["documents"]) == 5
    report = tmp_path / "report.html"
    text = run("agreement", "--labels", "spoiler,praise", "--measure", "kappa",
               "--per-document", "--report", report).output
    lines = text.splitlines()
    assert lines[0].startswith("5 documents") and "alpha" in lines[1]
    assert any(line.split()[:1] == ["spoiler"] for line in lines)
    assert not any(line.split()[:1] == ["plot-hole"] for line in lines)
    assert "Cohen's kappa (characters), pairwise:" in text and "worst first" in text
    html = report.read_text()
    assert html.startswith("<!doctype html>") and "<svg" in html and "http" not in html.split(
        "<svg")[0].split("<style>")[0]
    assert "mira vs tomasz" in html


def test_agreement_scope_errors_are_plain_messages(run, samples):
    result = run("agreement", "--annotators", "mira")
    assert result.exit_code == 1 and "at least two annotators" in result.output
    result = run("agreement", "--annotators", "mira,zed")
    assert "no annotator named zed" in result.output and "Traceback" not in result.output


def test_a_foreign_database_file_is_a_clear_error(run, tmp_path):
    bad = tmp_path / "photo.db"
    bad.write_bytes(b"\x89PNG not a database")
    result = run("stats", db_path=bad)
    assert result.exit_code == 1
    assert "is not an SQLite database" in result.output and "Traceback" not in result.output
    assert bad.read_bytes() == b"\x89PNG not a database"


def test_db_from_environment(tmp_path, inbox, monkeypatch):
    (inbox / "a.txt").write_text("Env review.")
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "env.db"))
    assert CliRunner().invoke(main, ["import", str(inbox)]).exit_code == 0
    assert (tmp_path / "env.db").exists()


def test_gui_without_a_display_explains_what_to_do(tmp_path):
    env = {"PATH": "", "HOME": str(tmp_path)}  # no DISPLAY, WAYLAND_DISPLAY, QT_QPA_PLATFORM
    proc = subprocess.run([sys.executable, "-m", "annotator", "--db", str(tmp_path / "g.db")],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 1
    assert "xvfb-run" in proc.stderr and "QT_QPA_PLATFORM=offscreen" in proc.stderr


def test_a_database_path_that_cannot_be_created_is_a_clear_error(run, tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    result = run("stats", db_path=blocker / "sub" / "a.db")
    assert result.exit_code == 1 and "cannot open the database" in result.output
    assert "Traceback" not in result.output


def test_export_with_a_split_and_a_consensus_from_the_command_line(run, samples, tmp_path):
    out = tmp_path / "data"
    result = run("export", "--format", "conll", "-o", out, "--split", "60/20/20", "--seed",
                 "4", "--consensus", "2", "--consensus-match", "overlap")
    assert result.exit_code == 0, result.output
    assert "splits: train 6, dev 2, test 2" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["dev.conll", "test.conll", "train.conll"]
    assert "B-" in (out / "train.conll").read_text()
    bad = run("export", "--format", "csv", "-o", tmp_path / "x", "--split", "eighty")
    assert bad.exit_code == 2 and "shares like 80/10/10" in bad.output


def test_search_prints_the_best_matches_with_a_snippet_or_json(run, inbox):
    (inbox / "a.txt").write_text("Harbour Lights\nThe ending at the harbour is quiet.",
                                 encoding="utf-8")
    (inbox / "b.txt").write_text("Café Noir\nA quiet harbourmaster.", encoding="utf-8")
    assert run("import", inbox).exit_code == 0
    result = run("search", "harb*")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Harbour Lights" in lines[0] and "[harbour]" in lines[1]
    assert "Café Noir" in lines[2] and "[harbourmaster]" in lines[3]
    result = run("search", "cafe quiet", "--json", "--limit", "1")
    assert json.loads(result.output) == [
        {"id": 2, "title": "Café Noir", "snippet": "[Café] Noir A [quiet] harbourmaster."}]
    assert run("search", "werewolf").output == "No document matches werewolf.\n"
    result = run("search", '"(*')
    assert result.exit_code == 1 and "no word to search for" in result.output
    assert "Traceback" not in result.output


def test_search_narrowed_by_label_annotator_and_status(run, inbox, open_workspace):
    for i, text in enumerate(("Harbour Lights\nA quiet harbour.", "Quiet Storm\nA quiet sea.",
                              "Quiet Street\nA quiet town.")):
        (inbox / f"{i}.txt").write_text(text, encoding="utf-8")
    assert run("import", inbox).exit_code == 0
    ws = open_workspace(run.db)
    praise = next(label for label in ws.labels() if label.name == "praise")
    ws.add_span(1, praise.uuid, 0, 7)  # the current person begins document 1
    me = ws.me.name
    ws.close()

    def titles(*args):
        result = run("search", "quiet", "--json", *args)
        assert result.exit_code == 0, result.output
        return sorted(hit["title"] for hit in json.loads(result.output))

    assert titles("--label", "praise") == ["Harbour Lights"]
    assert titles("--label", "spoiler") == []
    assert titles("--annotator", me) == ["Harbour Lights"]
    assert titles("--status", "in progress") == ["Harbour Lights"]
    assert titles("--status", "new") == ["Quiet Storm", "Quiet Street"]
    assert titles("--annotator", me, "--status", "new") == ["Quiet Storm", "Quiet Street"]
    result = run("search", "quiet", "--label", "nonesuch")
    assert result.exit_code == 2 and "no label named 'nonesuch'" in result.output


def test_search_finds_notes_and_filters_by_note_and_disagreement_alone(run, inbox,
                                                                        open_workspace):
    for i, text in enumerate(("Harbour Lights\nA quiet harbour.", "Quiet Storm\nA quiet sea.",
                              "Quiet Street\nA quiet town.")):
        (inbox / f"{i}.txt").write_text(text, encoding="utf-8")
    assert run("import", inbox).exit_code == 0
    ws = open_workspace(run.db)
    praise = next(label for label in ws.labels() if label.name == "praise")
    ws.switch_to("mira")
    ws.add_span(1, praise.uuid, 0, 7, note="Zeppelin-sized twist")
    ws.add_span(2, praise.uuid, 0, 5)
    ws.switch_to("tomasz")
    ws.add_span(2, praise.uuid, 0, 11)  # not mira's span: a disagreement
    ws.close()

    result = run("search", "zeppelin")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].strip() == "note: [Zeppelin]-sized twist"
    result = run("search", "--has-note", "--json")  # filters alone, no words
    assert [hit["title"] for hit in json.loads(result.output)] == ["Harbour Lights"]
    result = run("search", "quiet", "--disagreement", "--json")
    assert [hit["title"] for hit in json.loads(result.output)] == ["Quiet Storm"]
    result = run("search", "--disagreement", "--annotator", "mira", "--json")
    assert [hit["title"] for hit in json.loads(result.output)] == ["Quiet Storm"]
    assert run("search", "--has-note", "--label", "spoiler").output == (
        "No document passes those filters.\n")
    result = run("search")
    assert result.exit_code == 2 and "give words to search for, or a filter" in result.output
