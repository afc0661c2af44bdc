"""Annotators' packages (issue 16): the lead makes one file per annotator with their
assigned documents, the label set, the guidelines and who they are; opened anywhere, it
works as that annotator, shows "12 of 40 done", and refuses what only the lead may do."""

import json
import sqlite3
from dataclasses import replace

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.domain.errors import DatabaseReadOnly, EditRefused, StoreError
from annotator.domain.model import GOLD_UUID, Status
from annotator.store import bundles as bundles_module
from annotator.store import database

TEXTS = [f"Review {i}\nThe ending of story {i} made me cry, and the twist was earned."
         for i in range(12)]


@pytest.fixture
def team(reviews, fresh_db):
    """A lead's database: 12 reviews shared by mira, tomasz and ada (a quarter to
    everyone), guidelines in their second version, a label described."""
    reviews(*TEXTS)
    fresh_db.assign(["mira", "tomasz", "ada"], seed=3, overlap=0.25)
    fresh_db.set_guidelines("# Spoilers\nMark what gives the plot away.")
    fresh_db.set_guidelines("# Spoilers\nMark what gives the plot away, endings above all.")
    spoiler = fresh_db.labels()[0]
    fresh_db.set_label_description(spoiler.uuid, "Gives away the plot")
    return fresh_db


def names_of(ws):
    return {a.name: a for a in ws.annotators()}


def test_a_package_holds_only_the_annotators_documents_labels_guidelines_and_identity(
        team, tmp_path, open_workspace):
    mira = names_of(team)["mira"]
    mine = team.assignments()[mira.uuid]
    team.switch_to("mira")  # mira began at the lead's: her span and status travel with her
    first = mine[0]
    text = team.document(first).text
    team.add_span(first, team.labels()[0].uuid, text.index("the twist"),
                  text.index("the twist") + len("the twist"))
    team.set_status(first, Status.DONE)
    team.switch_to("tomasz")
    team.add_span(first, team.labels()[1].uuid, 0, 6)  # tomasz's, if he has it: not hers

    report = team.create_bundle("mira", tmp_path / "mira.annot")
    assert report.info.documents == len(mine) and report.spans == 1 and report.statuses == 1
    assert report.info.guidelines_version == 2

    package = open_workspace(tmp_path / "mira.annot", tmp_path / "someone-else.json")
    lead_docs = {team.document(d).uuid: team.document(d) for d in mine}
    held = [package.document(d) for d in package.document_ids()]
    assert sorted(d.uuid for d in held) == sorted(lead_docs)  # only hers, the same ids
    for doc in held:
        lead = lead_docs[doc.uuid]
        assert (doc.title, doc.text, doc.content_hash, doc.meta) == (
            lead.title, lead.text, lead.content_hash, lead.meta)
    assert package.labels() == team.labels()  # same uuids, names, colours, descriptions, order
    assert package.labels()[0].description == "Gives away the plot"
    assert package.me == mira and package.bundle.annotator_uuid == mira.uuid
    assert {a.uuid for a in package.annotators()} == {mira.uuid, GOLD_UUID}
    assert package.guidelines() == team.guidelines() and package.guidelines()[0] == 2
    [span] = [s for d in package.document_ids() for s in package.spans(d)]
    assert span.annotator_uuid == mira.uuid and span.text == "the twist"
    assert package.bundle_progress() == (1, len(mine))
    assert package.search("cry") and len(package.search("cry")) == len(mine)  # indexed

    setting = json.loads(sqlite3.connect(tmp_path / "mira.annot").execute(
        "SELECT value FROM settings WHERE key = 'bundle'").fetchone()[0])
    assert setting == {"format": 1, "annotator_uuid": mira.uuid, "annotator_name": "mira",
                       "made_at": setting["made_at"],
                       "source_database_uuid": team.database_uuid,
                       "guidelines_version": 2, "documents": len(mine)}
    assert setting["made_at"].endswith("Z")
    assert package.database_uuid != team.database_uuid  # a database of its own
    assert package.change_log() == []  # its log begins with the annotator's work


def test_working_in_a_package_is_the_annotators_work_and_counts_progress(
        team, tmp_path, open_workspace):
    team.create_bundle("ada", tmp_path / "ada.annot")
    package = open_workspace(tmp_path / "ada.annot")
    ada = package.me
    assert ada.name == "ada" and package.session.person == ada
    done, total = package.bundle_progress()
    assert (done, total) == (0, package.count_documents())
    doc = package.document_ids()[0]
    package.add_span(doc, package.labels()[0].uuid, 0, 6)
    package.set_status(doc, Status.DONE)
    assert package.bundle_progress() == (1, total)
    assert {e["who"] for e in package.change_log()} == {ada.uuid}
    with pytest.raises(EditRefused, match="This is ada's annotation package"):
        package.switch_to("mira")
    with pytest.raises(EditRefused, match="ada's annotation package"):
        package.adjudicate()


def test_a_package_refuses_what_only_the_lead_may_do(team, tmp_path, open_workspace):
    team.create_bundle("mira", tmp_path / "mira.annot")
    package = open_workspace(tmp_path / "mira.annot")
    plain = ("This is mira's annotation package: its documents and labels come from the "
             "project lead.")
    before = package.count_documents()
    for refused in (lambda: package.delete_documents(package.document_ids()[:1]),
                    lambda: package.edit_labels(package.labels()[:2]),
                    lambda: package.set_label_description(package.labels()[0].uuid, "x"),
                    lambda: package.set_guidelines("my own rules"),
                    lambda: package.assign(["mira"], seed=1, overlap=1.0),
                    lambda: package.create_bundle("mira", tmp_path / "again.annot")):
        with pytest.raises(EditRefused) as e:
            refused()
        assert str(e.value).startswith(plain)
    package.seed_samples()  # the window does this on every start: no samples in a package
    (tmp_path / "new.txt").write_text("A review the lead never sent\nWith its own words.")
    report = package.import_paths([tmp_path / "new.txt"])
    assert report.total("documents") == 0 and report.total("not_held") == 1
    assert report.files[0].status == "skipped"
    assert "1 record(s) skipped: their texts are not in this package" in report.files[0].notes[0]
    assert package.count_documents() == before
    assert [lb.name for lb in package.labels()] == [lb.name for lb in team.labels()]


def test_annotations_import_into_a_package_as_its_annotators_spans_and_no_documents(
        team, tmp_path, inbox):
    team.create_bundle("tomasz", tmp_path / "tomasz.annot")
    conn = sqlite3.connect(tmp_path / "tomasz.annot")
    texts = [r[0] for r in conn.execute("SELECT text FROM documents ORDER BY id")]
    conn.close()
    lines = [{"text": t, "annotations": [{"start": t.index("the twist"),
                                          "end": t.index("the twist") + 9,
                                          "label": "spoiler", "annotator": "whoever"}],
              "status": {"whoever": "done"}} for t in texts[:2]]
    lines.append({"text": "Not a text of this package.",
                  "annotations": [{"start": 0, "end": 3, "label": "spoiler",
                                   "annotator": "whoever"}]})
    spans = inbox / "spans.jsonl"
    spans.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")

    result = CliRunner().invoke(main, ["--db", str(tmp_path / "tomasz.annot"), "import",
                                       str(spans), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["documents"] == 0 and data["merged_spans"] == 2 and data["not_held"] == 1
    assert data["new_annotators"] == [] and data["new_labels"] == []
    conn = sqlite3.connect(tmp_path / "tomasz.annot")
    tomasz = names_of(team)["tomasz"].uuid
    assert conn.execute("SELECT DISTINCT annotator_uuid FROM annotations").fetchall() == [
        (tomasz,)]
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == len(texts)
    assert conn.execute("SELECT count(*) FROM document_status WHERE status = 'done' AND "
                        "annotator_uuid = ?", (tomasz,)).fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM annotators").fetchone()[0] == 2  # and gold
    conn.close()

    spans.write_text(json.dumps({"text": texts[0], "annotations": [
        {"start": 0, "end": 6, "label": "a label of my own", "annotator": "x"}]}),
        encoding="utf-8")
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "tomasz.annot"), "import",
                                       str(spans)])
    assert result.exit_code == 1
    assert "the label “a label of my own” is not in this package's label set" in result.output


def test_a_package_opens_by_its_path_alone(team, tmp_path):
    team.create_bundle("mira", tmp_path / "mira.annot")
    result = CliRunner().invoke(main, [str(tmp_path / "mira.annot"), "stats", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["database"] == str(tmp_path / "mira.annot")
    assert [row["name"] for row in data["progress"]] == ["mira"]


def test_bundle_on_the_command_line_one_or_everyone(team, tmp_path):
    db = team.path
    runner = CliRunner()
    made = runner.invoke(main, ["--db", db, "bundle", "--for", "mira", "-o",
                                str(tmp_path / "mira.annot")])
    assert made.exit_code == 0, made.output
    assert "mira's" in made.output and "guidelines version 2" in made.output
    everyone = runner.invoke(main, ["--db", db, "bundle", "--all", "-o",
                                    str(tmp_path / "out"), "--json"])
    assert everyone.exit_code == 0, everyone.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "ada.annot", "mira.annot", "tomasz.annot"]
    assert sum(r["documents"] for r in json.loads(everyone.output)) == 12 + 2 * 3


@pytest.mark.parametrize("args, message", [
    (["--for", "nobody"], "there is no annotator named 'nobody'"),
    (["--for", "gold"], "gold is the adjudicated set"),
    (["--for", "lead"], "lead has no documents assigned"),
    ([], "either --for NAME or --all"),
])
def test_bundle_refuses_bad_input_and_writes_nothing(team, tmp_path, args, message):
    team.switch_to("lead")
    result = CliRunner().invoke(main, ["--db", team.path, "bundle", *args, "-o",
                                       str(tmp_path / "x.annot")])
    assert result.exit_code != 0 and message in result.output
    assert not (tmp_path / "x.annot").exists()


def test_a_package_file_that_exists_is_kept_unless_forced(team, tmp_path):
    target = tmp_path / "mira.annot"
    target.write_bytes(b"someone's file")
    with pytest.raises(StoreError, match="already exists; .*--force"):
        team.create_bundle("mira", target)
    assert target.read_bytes() == b"someone's file"
    team.create_bundle("mira", target, force=True)
    assert target.read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(StoreError, match="over the database it is made from"):
        team.create_bundle("mira", team.path, force=True)


def test_a_package_that_fails_half_way_leaves_nothing(team, tmp_path, monkeypatch):
    def broken(*args):
        raise StoreError("the disk is full")
    monkeypatch.setattr(bundles_module, "_fill", broken)
    with pytest.raises(StoreError, match="the disk is full"):
        team.create_bundle("mira", tmp_path / "out" / "mira.annot")
    assert list((tmp_path / "out").iterdir()) == []  # no half package, no partial file


def test_a_package_opened_read_only_is_still_a_package(team, tmp_path, open_workspace,
                                                       monkeypatch):
    team.create_bundle("mira", tmp_path / "mira.annot")
    monkeypatch.setattr(database, "writable", lambda path: False)
    package = open_workspace(tmp_path / "mira.annot")
    assert package.read_only and package.me.name == "mira"
    assert package.bundle_progress() == (0, package.count_documents())
    with pytest.raises(DatabaseReadOnly):
        package.set_status(package.document_ids()[0], Status.DONE)
    with pytest.raises(EditRefused, match="mira's annotation package"):
        package.delete_documents(package.document_ids()[:1])


def test_a_damaged_bundle_setting_is_said_plainly(team, tmp_path, open_workspace):
    team.create_bundle("mira", tmp_path / "mira.annot")
    conn = sqlite3.connect(tmp_path / "mira.annot")
    conn.execute("UPDATE settings SET value = '{\"format\": 1}' WHERE key = 'bundle'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="says it is an annotator's package"):
        open_workspace(tmp_path / "mira.annot")


def test_guidelines_are_versioned_and_logged(fresh_db):
    assert fresh_db.guidelines() is None
    change = fresh_db.set_guidelines("Mark spoilers.")
    assert change.guidelines_changed and fresh_db.guidelines() == (1, "Mark spoilers.")
    assert fresh_db.set_guidelines("Mark spoilers.") is None  # the same text: no version
    fresh_db.set_guidelines("Mark spoilers and praise.")
    assert fresh_db.guidelines() == (2, "Mark spoilers and praise.")
    logged = [e for e in fresh_db.change_log() if e["entity"] == "guidelines"]
    assert [e["data"]["version"] for e in logged] == [1, 2]


def test_a_label_description_is_an_undoable_edit(fresh_db):
    spoiler = fresh_db.labels()[0]
    fresh_db.set_label_description(spoiler.uuid, "  Gives the plot away ")
    assert fresh_db.labels()[0] == replace(spoiler, description="Gives the plot away")
    assert fresh_db.set_label_description(spoiler.uuid, "Gives the plot away") is None
    fresh_db.undo()
    assert fresh_db.labels()[0] == spoiler


def test_someone_elses_spans_imported_into_a_package_become_new_spans_that_merge_back(
        team, tmp_path, inbox):
    """The project's export holds mira's spans with their ids; imported into tomasz's
    package they are his now, so they get ids of their own: merged back, they are added as
    his, and mira's stay hers (same ids would have matched hers and been lost)."""
    texts = {team.document(d).text: d for d in team.document_ids()}
    team.switch_to("mira")
    spoiler = team.labels()[0]
    package_path = tmp_path / "tomasz.annot"
    team.create_bundle("tomasz", package_path)
    conn = sqlite3.connect(package_path)
    held = [r[0] for r in conn.execute("SELECT text FROM documents ORDER BY id")]
    conn.close()
    for text in held[:2]:
        team.add_span(texts[text], spoiler.uuid, text.index("the twist"),
                      text.index("the twist") + 9)
    exported = inbox / "project.jsonl"
    result = CliRunner().invoke(main, ["--db", team.path, "export", "--format", "jsonl",
                                       "-o", str(exported)])
    assert result.exit_code == 0, result.output
    mira_ids = {s.uuid for d in team.document_ids() for s in team.spans(d)
                if s.annotator_uuid == names_of(team)["mira"].uuid}
    assert len(mira_ids) == 2

    result = CliRunner().invoke(main, ["--db", str(package_path), "import", str(exported),
                                       "--json"])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(package_path)
    taken = {r[0] for r in conn.execute("SELECT uuid FROM annotations")}
    conn.close()
    assert len(taken) == 2 and not taken & mira_ids

    report = team.merge([package_path], as_person=False)
    assert report.total("spans_added") == 2 and not report.conflicts
    people = names_of(team)
    mine = [s for d in team.document_ids() for s in team.spans(d)]
    assert sum(s.annotator_uuid == people["tomasz"].uuid for s in mine) == 2
    assert {s.uuid for s in mine if s.annotator_uuid == people["mira"].uuid} == mira_ids
