"""Suggestions through the workspace, without Qt: accepted ones become the annotator's own
spans (one undoable step, logged as from their recommender), rejected ones are never
proposed again at that place, and open ones count for nothing: not in exports, agreement,
stats or packages."""

import json

import pytest

from annotator.domain.errors import EditRefused
from annotator.domain.model import Label, Status
from annotator.domain.suggestions import Proposal, SuggestionStatus
from annotator.services.agreement import Scope
from annotator.services.suggesting import figures
from annotator.store.errors import StoreConflict
from annotator.store.replay import replay, stored
from annotator.workspace import Workspace
from annotator.workspace.user_state import UserState

TEXT = ("Marchetti is superb. In the end the keeper turns out to be her father. "
        "The plot makes no sense at all. Marchetti is superb again in the finale.")


def at(text: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(text, start + 1)
    return start, start + len(text)


@pytest.fixture
def ws(tmp_path):
    (tmp_path / "r.txt").write_text(TEXT, encoding="utf-8")
    workspace = Workspace.open(tmp_path / "w.db", UserState(tmp_path / "me.json"))
    workspace.import_paths([tmp_path / "r.txt"])
    yield workspace
    workspace.close()


def label(ws: Workspace, name: str) -> Label:
    return next(lb for lb in ws.labels() if lb.name == name)


def propose(ws: Workspace, *places: tuple[str, str, int], recommender: str = "seen") -> int:
    """Proposals of (label name, text, nth occurrence) in the one document, for me."""
    doc = ws.document_ids()[0]
    found = [Proposal(doc, label(ws, name).uuid, *at(text, nth), 0.8, recommender, why="x")
             for name, text, nth in places]
    with ws.store.transaction():
        return ws.store.suggestions.propose(ws.me.uuid, [doc], found)


def test_accepting_a_suggestion_makes_it_my_span_in_one_undoable_step(ws):
    propose(ws, ("praise", "Marchetti is superb", 1))
    doc = ws.document_ids()[0]
    [suggestion] = ws.suggestions.of_document(doc)

    change = ws.suggestions.accept([suggestion.id])

    [span] = ws.spans(doc, ws.me.uuid)
    assert (span.start, span.end, span.text) == (*at("Marchetti is superb", 1),
                                                 "Marchetti is superb")
    assert span.label_uuid == label(ws, "praise").uuid
    assert change.added == (span,) and change.suggestions_changed
    assert ws.suggestions.of_document(doc) == []
    assert ws.history.to_undo().text == "accepted suggestion from seen before: praise span"
    entry = [e for e in ws.change_log() if e["entity"] == "suggestion"][-1]
    assert entry["action"] == "accept" and entry["data"]["span_uuid"] == span.uuid
    assert entry["data"]["recommender"] == "seen"

    ws.undo()
    assert ws.spans(doc, ws.me.uuid) == []
    [back] = ws.suggestions.of_document(doc)
    assert back.id == suggestion.id and back.status is SuggestionStatus.OPEN
    ws.redo()
    assert [s.text for s in ws.spans(doc, ws.me.uuid)] == ["Marchetti is superb"]
    assert replay(ws.store.conn) == stored(ws.store.conn)  # the log still accounts for all


def test_a_rejected_place_is_never_proposed_again_until_the_rejection_is_undone(ws):
    propose(ws, ("spoiler", "turns out to be her father", 0))
    doc = ws.document_ids()[0]
    [suggestion] = ws.suggestions.of_document(doc)
    ws.suggestions.reject([suggestion.id])
    assert ws.suggestions.of_document(doc) == []

    assert propose(ws, ("spoiler", "turns out to be her father", 0)) == 0
    assert ws.suggestions.of_document(doc) == []
    # the same words under another label are another place
    assert propose(ws, ("plot-hole", "turns out to be her father", 0)) == 1

    ws.undo()  # the rejection
    assert sorted(s.label_uuid for s in ws.suggestions.of_document(doc)) == sorted([
        label(ws, "spoiler").uuid, label(ws, "plot-hole").uuid])


def test_accept_all_takes_every_open_suggestion_once_as_one_step(ws):
    propose(ws, ("praise", "Marchetti is superb", 0), ("praise", "Marchetti is superb", 1),
            ("plot-hole", "The plot makes no sense at all", 0))
    doc = ws.document_ids()[0]
    # a weaker proposal of the same label overlapping an earlier one is left out
    with ws.store.transaction():
        ws.store.suggestions.propose(ws.me.uuid, [], [Proposal(
            doc, label(ws, "praise").uuid, *at("is superb", 0), 0.3, "cues")])
    assert len(ws.suggestions.of_document(doc)) == 4

    ws.suggestions.accept_all(doc)

    assert sorted(s.text for s in ws.spans(doc, ws.me.uuid)) == [
        "Marchetti is superb", "Marchetti is superb", "The plot makes no sense at all"]
    ws.undo()
    assert ws.spans(doc, ws.me.uuid) == [] and len(ws.suggestions.of_document(doc)) == 4
    assert ws.status(doc).value == "new"  # the first span had begun it; undone, new again


def test_a_span_made_by_hand_hides_the_suggestion_it_covers(ws):
    propose(ws, ("praise", "Marchetti is superb", 0))
    doc = ws.document_ids()[0]
    ws.add_span(doc, label(ws, "praise").uuid, *at("superb", 0))
    assert ws.suggestions.of_document(doc) == []


def test_suggestions_are_decided_only_by_whom_they_were_made_to(ws):
    propose(ws, ("praise", "Marchetti is superb", 0))
    doc = ws.document_ids()[0]
    [suggestion] = ws.suggestions.of_document(doc)
    ws.switch_to("bob")
    assert ws.suggestions.of_document(doc) == []
    with pytest.raises(EditRefused, match="another annotator"):
        ws.suggestions.accept([suggestion.id])
    with pytest.raises(EditRefused, match="no longer open"):
        ws.suggestions.reject([123456])


def test_open_suggestions_count_for_nothing_until_accepted(ws, tmp_path):
    propose(ws, ("praise", "Marchetti is superb", 0), ("spoiler", "In the end", 0))
    doc = ws.document_ids()[0]
    assert ws.stats()["spans"] == 0
    out = tmp_path / "out.jsonl"
    ws.export("jsonl", out)
    [record] = [json.loads(line) for line in out.read_text().splitlines()]
    assert record.get("spans", record.get("label", [])) in ([], None)

    ws.suggestions.accept([ws.suggestions.of_document(doc)[0].id])
    ws.export("jsonl", out)
    [record] = [json.loads(line) for line in out.read_text().splitlines()]
    assert "Marchetti is superb" in json.dumps(record)
    assert ws.stats()["spans"] == 1


def test_packages_carry_the_cues_but_not_the_suggestions(ws, tmp_path):
    spoiler = label(ws, "spoiler")
    ws.edit_labels([lb if lb.uuid != spoiler.uuid else
                    Label(lb.uuid, lb.name, lb.colour, lb.shortcut, lb.description,
                          lb.position, "turns out\nre:\\bdies?\\b\n# a comment")
                    for lb in ws.labels()])
    propose(ws, ("praise", "Marchetti is superb", 0))
    ws.assign(["ann"], seed=1, per_document=1)
    ws.create_bundle("ann", tmp_path / "ann.annot")

    package = Workspace.open(tmp_path / "ann.annot", UserState(tmp_path / "ann.json"))
    try:
        cues = {lb.name: lb.cue_lines for lb in package.labels()}
        assert cues["spoiler"] == ("turns out", "re:\\bdies?\\b")
        assert package.store.conn.execute("SELECT count(*) FROM suggestions").fetchone()[0] == 0
    finally:
        package.close()


def test_cues_are_undone_with_the_label_set_and_replayed_from_the_log(ws):
    praise = label(ws, "praise")
    ws.edit_labels([lb if lb.uuid != praise.uuid else
                    Label(lb.uuid, lb.name, lb.colour, lb.shortcut, lb.description,
                          lb.position, "superb\nstunning") for lb in ws.labels()])
    assert label(ws, "praise").cue_lines == ("superb", "stunning")
    assert replay(ws.store.conn) == stored(ws.store.conn)
    ws.undo()
    assert label(ws, "praise").cues == ""


def test_the_threshold_and_recommenders_chosen_are_this_persons_own(ws, tmp_path):
    assert ws.suggestions.min_precision == 0.5
    assert ws.suggestions.recommenders == ("seen", "cues", "learned")
    ws.suggestions.set_min_precision(0.7)
    ws.suggestions.set_recommenders(["cues"])
    again = Workspace.open(ws.path, UserState(tmp_path / "me.json"))
    other = Workspace.open(ws.path, UserState(tmp_path / "someone-else.json"))
    try:
        assert (again.suggestions.min_precision, again.suggestions.recommenders) == (
            0.7, ("cues",))
        assert other.suggestions.min_precision == 0.5
    finally:
        again.close()
        other.close()
    with pytest.raises(EditRefused):
        ws.suggestions.set_min_precision(1.5)
    with pytest.raises(EditRefused, match="no recommender called magic"):
        ws.suggestions.set_recommenders(["magic"])


def test_agreement_is_the_same_with_open_suggestions_as_without(ws):
    doc = ws.document_ids()[0]
    praise = label(ws, "praise").uuid
    for name in ("ann", "ben"):
        ws.switch_to(name)
        ws.add_span(doc, praise, *at("Marchetti is superb", 0))
        ws.set_status(doc, Status.DONE)
    before = ws.agreement(Scope()).as_json()
    for name in ("ann", "ben"):  # suggestions that would change every figure if counted
        ws.switch_to(name)
        propose(ws, ("spoiler", "In the end", 0), ("plot-hole", "makes no sense", 0))
    after = ws.agreement(Scope()).as_json()
    assert after == before
    assert ws.disagreements(ws.spans(doc)) == []


# --- with the recommenders trained ----------------------------------------------------------

REVIEWS = [
    "The Paper Lantern (2024)\n\nA gentle drama. The twist ending is that the ferryman was "
    "dead all along. The score is lovely.",
    "Salt Roads (2023)\n\nSlow, then gripping. I will not say more than this: the twist "
    "ending changes everything. Long, though.",
    "Copper Sky (2025)\n\nThe cast is fine. Sadly the twist ending was obvious from the first "
    "scene. The music is forgettable.",
    "The Paper Lantern II (2026)\n\nThe sequel repeats THE TWIST ENDING word for word. "
    "The score is lovely again.",
]


@pytest.fixture
def reviews4(tmp_path):
    for i, text in enumerate(REVIEWS):
        (tmp_path / f"{i}.txt").write_text(text, encoding="utf-8")
    workspace = Workspace.open(tmp_path / "t.db", UserState(tmp_path / "me.json"))
    workspace.import_paths([tmp_path / f"{i}.txt" for i in range(len(REVIEWS))])
    yield workspace
    workspace.close()


def _label_twists(ws: Workspace, who: str) -> None:
    """`who` labels "the twist ending" a spoiler in the first three reviews, and is done."""
    ws.switch_to(who)
    spoiler = label(ws, "spoiler").uuid
    for doc_id, text in zip(ws.document_ids()[:3], REVIEWS[:3], strict=True):
        start = text.lower().index("the twist ending")
        ws.add_span(doc_id, spoiler, start, start + len("the twist ending"))
        ws.set_status(doc_id, Status.DONE)


def _seen_in_last(ws: Workspace) -> list[str]:
    last = ws.document_ids()[-1]
    ws.suggestions.train(recommenders=["seen"])
    ws.suggestions.refresh([last])
    text = ws.document(last).text
    return [text[s.start:s.end] for s in ws.suggestions.of_document(last)]


def test_seen_before_suggests_text_labelled_earlier_where_it_occurs_again(reviews4):
    ws = reviews4
    _label_twists(ws, "alice")
    assert _seen_in_last(ws) == ["THE TWIST ENDING"]
    [suggestion] = ws.suggestions.of_document(ws.document_ids()[-1])
    assert (suggestion.recommender, suggestion.label_uuid) == ("seen", label(ws, "spoiler").uuid)
    row = next(r for r in figures(ws.suggestions.training)
               if r["recommender"] == "seen" and r["label"] == "spoiler")
    assert row["precision"] == 1.0 and row["suggests"]


def test_in_blind_annotation_nobody_learns_a_colleagues_decisions(reviews4):
    ws = reviews4
    _label_twists(ws, "bob")
    ws.switch_to("alice")

    ws.set_blind_policy(True)
    assert _seen_in_last(ws) == []  # bob's spans are not alice's to learn from
    assert ws.suggestions.training.blind and ws.suggestions.training.spans == 0

    ws.set_blind_policy(False)
    assert _seen_in_last(ws) == ["THE TWIST ENDING"]
    assert ws.suggestions.training.spans == 3


def test_training_in_the_worker_process_learns_what_training_here_learns(reviews4):
    ws = reviews4
    _label_twists(ws, "alice")
    here = figures(ws.suggestions.train())
    elsewhere = ws.suggestions.train(elsewhere=True)
    assert figures(elsewhere) == here
    last = ws.document_ids()[-1]
    ws.suggestions.refresh([last])
    assert [s.recommender for s in ws.suggestions.of_document(last)] == ["seen"]


def test_a_cancelled_training_in_the_worker_keeps_what_was_known(reviews4):
    from annotator.recommenders import Cancelled
    from annotator.workspace import Job

    class Stop(Job):
        def cancelled(self) -> bool:
            return True

    ws = reviews4
    _label_twists(ws, "alice")
    known = ws.suggestions.train()
    with pytest.raises(Cancelled):
        ws.suggestions.train(Stop(), elsewhere=True)
    assert ws.suggestions.training is known


def test_a_place_proposed_again_keeps_its_suggestion_and_the_others_go(ws):
    propose(ws, ("praise", "Marchetti is superb", 0), ("spoiler", "In the end", 0))
    doc = ws.document_ids()[0]
    praise = label(ws, "praise").uuid
    kept = next(s for s in ws.suggestions.of_document(doc) if s.label_uuid == praise)
    assert propose(ws, ("praise", "Marchetti is superb", 0), recommender="learned") == 1
    [again] = ws.suggestions.of_document(doc)
    assert again.id == kept.id and again.recommender == "learned"


def test_only_documents_marked_done_are_learned_from(reviews4):
    """In a document still in progress, what is not marked yet is not known to be no span:
    learning from it would teach that its own open suggestions are wrong."""
    ws = reviews4
    _label_twists(ws, "alice")
    first = ws.document_ids()[0]
    ws.set_status(first, Status.IN_PROGRESS)
    training = ws.suggestions.train(recommenders=["seen"])
    assert (training.documents, training.spans) == (2, 2)
    ws.set_status(first, Status.DONE)
    assert ws.suggestions.train(recommenders=["seen"]).documents == 3


def test_an_undone_decision_redone_after_a_refresh_never_decides_another_suggestion(ws):
    """Undo a rejection, let a refresh replace the open suggestions, redo: the redo must
    not reject whatever now has the old id."""
    propose(ws, ("spoiler", "In the end", 0))
    doc = ws.document_ids()[0]
    [first] = ws.suggestions.of_document(doc)
    ws.suggestions.reject([first.id])
    ws.undo()
    propose(ws, ("criticism", "The plot makes no sense at all", 0))  # a fresh proposal
    [fresh] = ws.suggestions.of_document(doc)
    assert fresh.id != first.id  # ids are never reused
    with pytest.raises(StoreConflict):
        ws.redo()
    [still] = ws.suggestions.of_document(doc)
    assert still.id == fresh.id and still.status is SuggestionStatus.OPEN


def test_a_deleted_labels_rejections_come_back_with_it(ws):
    propose(ws, ("spoiler", "In the end", 0))
    doc = ws.document_ids()[0]
    [suggestion] = ws.suggestions.of_document(doc)
    ws.suggestions.reject([suggestion.id])
    spoiler = label(ws, "spoiler")
    ws.edit_labels([lb for lb in ws.labels() if lb.uuid != spoiler.uuid])
    assert ws.suggestions.outcomes() == {}
    ws.undo()
    assert ws.suggestions.outcomes() == {("seen", spoiler.uuid): {"rejected": 1}}
    assert propose(ws, ("spoiler", "In the end", 0)) == 0  # still not proposed again


def test_a_training_from_before_blind_annotation_was_switched_on_is_not_used(reviews4):
    ws = reviews4
    ws.set_blind_policy(False)
    _label_twists(ws, "alice")
    ws.suggestions.train(recommenders=["seen"])
    assert ws.suggestions.trained_for_me
    ws.set_blind_policy(True)
    assert not ws.suggestions.trained_for_me


def test_accepting_where_i_have_marked_the_place_since_is_refused(ws):
    propose(ws, ("praise", "Marchetti is superb", 0))
    doc = ws.document_ids()[0]
    [suggestion] = ws.suggestions.of_document(doc)
    ws.add_span(doc, label(ws, "praise").uuid, *at("superb", 0))
    with pytest.raises(EditRefused, match="already"):
        ws.suggestions.accept([suggestion.id])
    assert len(ws.spans(doc, ws.me.uuid)) == 1
