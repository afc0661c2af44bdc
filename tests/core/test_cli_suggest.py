"""`annotator suggest` as a user types it: the cross-validated figures, suggestions stored
for an annotator, and plain refusals."""

import json

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.domain.model import Status
from annotator.workspace import Workspace
from annotator.workspace.user_state import UserState

SENTENCES = ["It turns out the {} was a forgery all along.", "The score is superb.",
             "The middle act drags badly.", "Nothing here makes any difference to me."]


@pytest.fixture
def project(tmp_path):
    """Twelve reviews; ann labelled the first eight (spoiler, praise, criticism) and is done
    with them; ben has labelled nothing."""
    folder = tmp_path / "in"
    folder.mkdir()
    things = ["map", "violin", "diary", "radio", "key", "watch", "lamp", "ledger", "kite",
              "mask", "coin", "bell"]
    for i, thing in enumerate(things):
        body = " ".join(s.format(thing) for s in SENTENCES)
        (folder / f"{i:02}.txt").write_text(f"Review {i}\n\n{body}\n", encoding="utf-8")
    db = tmp_path / "team.db"
    ws = Workspace.open(db, UserState(tmp_path / "lead.json"))
    ws.import_paths([folder])
    ws.switch_to("ben")
    ws.switch_to("ann")
    labels = {lb.name: lb.uuid for lb in ws.labels()}
    for doc in ws.document_ids()[:8]:
        text = ws.document(doc).text
        for name, words in (("spoiler", "It turns out"), ("praise", "The score is superb"),
                            ("criticism", "The middle act drags badly")):
            start = text.index(words)
            end = text.index(".", start)
            ws.add_span(doc, labels[name], start, end)
        ws.set_status(doc, Status.DONE)
    ws.set_blind_policy(False)
    ws.close()
    return db


def run(db, *args):
    return CliRunner().invoke(main, ["--db", str(db), *map(str, args)])


def test_evaluate_prints_each_recommenders_figures_per_label(project):
    result = run(project, "suggest", "--evaluate", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["documents_learned_from"] == 8 and data["spans_learned_from"] == 24
    rows = {(r["recommender"], r["label"]): r for r in data["figures"]}
    learned = rows[("learned", "praise")]
    assert learned["examples"] == 24 // 3 and learned["precision"] == 1.0 and learned["suggests"]
    assert rows[("cues", "praise")]["why_silent"]  # no cues written
    assert not rows[("learned", "plot-hole")]["suggests"]  # no examples
    assert "open_suggestions" not in data  # evaluating stores nothing

    text = run(project, "suggest", "--evaluate").output
    assert "learned model" in text and "precision" in text and "no: " in text


def test_suggest_stores_open_suggestions_for_the_annotator_named(project, tmp_path):
    result = run(project, "suggest", "--annotator", "ben", "--recommenders", "learned",
                 "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["annotator"] == "ben" and data["documents"] == 12
    assert data["open_suggestions"] >= 12 * 3 - 6  # the learned model finds nearly all
    ws = Workspace.open(project, UserState(tmp_path / "ben.json"))
    try:
        ws.switch_to("ben")
        last = ws.document_ids()[-1]
        names = {lb.uuid: lb.name for lb in ws.labels()}
        found = {names[s.label_uuid] for s in ws.suggestions.of_document(last)}
        assert found == {"spoiler", "praise", "criticism"}
        assert ws.stats()["spans"] == 24  # suggestions are not spans
    finally:
        ws.close()


def test_suggest_refuses_plainly(project):
    result = run(project, "suggest", "--annotator", "nobody")
    assert result.exit_code == 1 and "no annotator called 'nobody'" in result.output
    result = run(project, "suggest", "--recommenders", "seen,magic")
    assert result.exit_code == 2 and "choose from seen, cues, learned" in result.output
    result = run(project, "suggest", "--min-precision", "2")
    assert result.exit_code == 2
    result = run(project, "suggest", "--docs", "zzzznotaword")
    assert result.exit_code == 1 and "no document matches" in result.output
