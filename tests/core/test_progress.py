"""Progress for the lead (issue 16): per annotator, what they were given, what they marked
done of it, their spans per label, the time they spent (from the change log, idle gaps
over 5 minutes left out) and when they last worked; `annotator stats --json` carries it."""

import json
import sqlite3

from click.testing import CliRunner

from annotator.cli import main
from annotator.domain.model import Status

TEXTS = [f"Review {i}\nThe twist of story {i} was earned." for i in range(6)]


def stamp_log(path, who, times):
    """Give one person's change-log entries these times, in order (as if made then)."""
    conn = sqlite3.connect(path)
    ids = [r[0] for r in conn.execute("SELECT id FROM change_log WHERE who = ? ORDER BY id",
                                      (who,))]
    assert len(ids) == len(times)
    conn.executemany("UPDATE change_log SET at = ? WHERE id = ?", zip(times, ids,
                                                                      strict=True))
    conn.commit()
    conn.close()


def test_each_annotator_gets_a_row_with_assigned_done_spans_and_time(reviews, fresh_db):
    reviews(*TEXTS)
    fresh_db.assign(["mira", "tomasz"], seed=2, per_document=1, as_person=False)
    mira = fresh_db.switch_to("mira")
    mine = fresh_db.assignments()[mira.uuid]
    spoiler, praise = fresh_db.labels()[:2]
    for doc in mine[:2]:
        text = fresh_db.document(doc).text
        fresh_db.add_span(doc, spoiler.uuid, text.index("twist"), text.index("twist") + 5)
        fresh_db.set_status(doc, Status.DONE)  # entries: span, status move, done ... x2
    fresh_db.add_span(mine[0], praise.uuid, 0, 6)
    done_elsewhere = next(d for d in fresh_db.document_ids() if d not in mine)
    fresh_db.set_status(done_elsewhere, Status.DONE)  # not hers to do: not counted
    entries = [e for e in fresh_db.change_log() if e["who"] == mira.uuid]
    # At work for a minute, away for an hour, two more minutes, then 30 s on the last.
    base = "2026-12-01T09:"
    times = ([f"{base}00:00.000Z", f"{base}00:30.000Z", f"{base}01:00.000Z"]
             + [f"2026-12-01T10:0{i}:00.000Z" for i in range(3)])
    times += [f"2026-12-01T10:02:{30 + 10 * i:02}.000Z" for i in range(len(entries) - 6)]
    stamp_log(fresh_db.path, mira.uuid, times[:len(entries)])

    rows = {row.annotator.name: row for row in fresh_db.progress()}
    assert {"mira", "tomasz"} <= set(rows)  # and whoever imported the reviews
    row = rows["mira"]
    assert row.assigned == len(mine) and row.done == 2
    assert row.spans == {"spoiler": 2, "praise": 1}
    extra = len(entries) - 6
    assert row.seconds == 60 + 120 + (30 + 10 * (extra - 1) if extra else 0)
    assert row.last_activity == times[len(entries) - 1]
    assert rows["tomasz"].assigned == 6 - len(mine) and rows["tomasz"].done == 0
    assert rows["tomasz"].seconds == 0 and rows["tomasz"].last_activity is None


def test_stats_json_keeps_its_keys_and_adds_progress(reviews, fresh_db):
    reviews(*TEXTS)
    fresh_db.assign(["mira", "tomasz"], seed=2, overlap=0.5, as_person=False)
    fresh_db.switch_to("mira")
    doc = fresh_db.assignments()[fresh_db.me.uuid][0]
    fresh_db.set_status(doc, Status.DONE)
    path = fresh_db.path
    fresh_db.close()
    result = CliRunner().invoke(main, ["--db", path, "stats", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"database", "documents", "spans", "labels", "annotators"} <= set(data)
    assert data["annotators"]["mira"]["status"] == {"done": 1}  # as before
    rows = {row["name"]: row for row in data["progress"]}
    assert rows["mira"]["assigned"] == len(fresh_db_assigned(path, "mira")) in (4, 5)
    assert rows["mira"]["done"] == 1 and set(rows["mira"]) == {
        "uuid", "name", "assigned", "done", "spans", "seconds", "last_activity"}
    text = CliRunner().invoke(main, ["--db", path, "stats"])
    assert "assigned work:" in text.output and "mira" in text.output


def fresh_db_assigned(path, name):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT document_id FROM assignments JOIN annotators ON uuid = "
                            "annotator_uuid WHERE name = ?", (name,)).fetchall()
    finally:
        conn.close()


def test_work_done_in_a_package_counts_in_the_leads_progress_once_merged(tmp_path):
    """Time spent offline is in the package's change log, not the project's: the merge
    carries its figures over, and merging the same package again does not count it twice."""
    from annotator.workspace import Workspace
    from annotator.workspace.user_state import UserState

    project = tmp_path / "project.db"
    lead = Workspace.open(project, UserState(tmp_path / "lead.json"))
    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(TEXTS):
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    lead.import_paths([folder], as_person=False)
    lead.assign(["mira"], seed=1, per_document=1, as_person=False)
    package = tmp_path / "mira.annot"
    lead.create_bundle("mira", package)

    mira = Workspace.open(package, UserState(tmp_path / "mira.json"))
    spoiler = mira.labels()[0]
    for doc in mira.document_ids()[:3]:
        mira.add_span(doc, spoiler.uuid, 0, 6)
    entries = [e for e in mira.change_log() if e["who"] == mira.me.uuid]
    n = len(entries)  # a span each, and the documents moved to "in progress"
    assert n >= 3
    mira_uuid = mira.me.uuid
    mira.close()
    # Every 30 s for a while, then one more entry after a break of most of an hour.
    times = [f"2026-12-02T14:{30 * i // 60:02}:{30 * i % 60:02}.000Z" for i in range(n - 1)]
    stamp_log(package, mira_uuid, [*times, "2026-12-02T15:00:00.000Z"])
    worked = 30 * (n - 2)

    before = {row.annotator.name: row for row in lead.progress()}["mira"]
    assert before.seconds == 0 and before.last_activity is None
    for _ in range(2):  # the second merge changes nothing, and counts nothing again
        lead.merge([package], as_person=False)
        row = {r.annotator.name: r for r in lead.progress()}["mira"]
        assert row.seconds == worked and row.last_activity == "2026-12-02T15:00:00.000Z"
        assert row.spans == {spoiler.name: 3}
    lead.close()
