"""Span notes are searched with titles and texts, and the list's filters (label, annotator,
status, has a note, disagreement) narrow a search or stand alone (issue 15)."""

import json

import pytest

from annotator.domain.errors import SearchError
from annotator.domain.model import GOLD, DocumentFilter, Status

REVIEWS = ("Harbour Lights\nThe ending at the harbour is quiet and devastating.",
           "Café Marchetti\nA naïve romance; the café scenes glow.",
           "Paper Crowns\nThe ending is loud. A quiet harbourmaster steals it.")


def label(ws, name):
    return next(item.uuid for item in ws.labels() if item.name == name)


def titles(ws, ids):
    return sorted(ws.document(i).title for i in ids)


def _notes_in_step(ws):
    """The notes index holds exactly each document's notes (FTS5's own check, and ours)."""
    conn = ws.store.conn
    conn.execute("INSERT INTO notes_search (notes_search, rank) VALUES ('integrity-check', 1)")
    indexed = dict(conn.execute("SELECT rowid, notes FROM notes_search"))
    wanted = {doc: sorted(notes.split("\n")) for doc, notes in conn.execute(
        "SELECT document_id, group_concat(note, char(10)) FROM annotations "
        "WHERE note IS NOT NULL GROUP BY document_id")}
    assert {doc: sorted(notes.split("\n")) for doc, notes in indexed.items()} == wanted


def test_a_word_only_in_a_note_finds_its_document_everywhere(fresh_db, reviews):
    ids = reviews(*REVIEWS)
    fresh_db.switch_to("mira")
    doc = ids["Paper Crowns"]
    fresh_db.add_span(doc, label(fresh_db, "spoiler"), 0, 5, note="Zeppelin twist, naïvely")
    assert fresh_db.search("zeppelin") == [doc]
    assert fresh_db.document_ids("zepp") == [doc]  # the list: each word a prefix
    assert fresh_db.document_ids("naively") == [doc]  # accents folded in notes too
    assert fresh_db.document_ids('"zeppelin twist"') == [doc]
    assert fresh_db.document_ids("zeppelin OR glow") == [ids["Café Marchetti"], doc]
    assert fresh_db.document_ids("zeppelin NOT twist") == []
    [hit] = fresh_db.search_hits("zeppelin")
    assert hit.id == doc and hit.snippet.startswith("note: [Zeppelin] twist")
    _notes_in_step(fresh_db)


def test_notes_follow_every_edit_undo_and_redo(fresh_db, reviews):
    ids = reviews(*REVIEWS)
    doc = ids["Harbour Lights"]
    change = fresh_db.add_span(doc, label(fresh_db, "praise"), 0, 7, note="lighthouse")
    [span] = change.added
    fresh_db.add_span(doc, label(fresh_db, "spoiler"), 8, 14, note="kelp")
    assert fresh_db.search("lighthouse") == [doc] == fresh_db.search("kelp")
    fresh_db.set_note(span.uuid, "foghorn")  # edited
    assert fresh_db.search("lighthouse") == [] and fresh_db.search("foghorn") == [doc]
    assert fresh_db.search("kelp") == [doc]  # the other note stays
    fresh_db.undo()
    assert fresh_db.search("lighthouse") == [doc] and fresh_db.search("foghorn") == []
    fresh_db.redo()
    assert fresh_db.search("foghorn") == [doc]
    fresh_db.set_note(span.uuid, "  ")  # removed
    assert fresh_db.search("foghorn") == []
    fresh_db.undo()
    assert fresh_db.search("foghorn") == [doc]
    fresh_db.delete_spans([span.uuid])  # its span deleted
    assert fresh_db.search("foghorn") == [] and fresh_db.search("kelp") == [doc]
    fresh_db.undo()
    assert fresh_db.search("foghorn") == [doc]
    _notes_in_step(fresh_db)
    fresh_db.delete_documents([doc])
    assert fresh_db.search("foghorn") == [] == fresh_db.search("kelp")
    _notes_in_step(fresh_db)


def test_imported_notes_are_indexed_in_one_statement(fresh_db, inbox):
    lines = [{"text": f"Review {i} of the harbour.", "annotations": [
        {"annotator": "ada", "label": "praise", "start": 0, "end": 6,
         "note": f"marker{i} café"},
        {"annotator": "bo", "label": "praise", "start": 0, "end": 6,
         "note": f"second{i}"}]} for i in range(120)]
    (inbox / "notes.jsonl").write_text("\n".join(json.dumps(x) for x in lines))
    fresh_db.import_paths([inbox / "notes.jsonl"])
    assert len(fresh_db.document_ids("cafe")) == 120
    assert titles(fresh_db, fresh_db.search("marker7")) == ["Review 7 of the harbour."]
    assert len(fresh_db.search("second7 OR second8")) == 2
    _notes_in_step(fresh_db)
    assert fresh_db.store.conn.execute(
        "SELECT count(*) FROM settings WHERE key = 'search_index.paused'").fetchone()[0] == 0


def test_a_failed_bulk_add_of_spans_leaves_the_notes_index_in_step(fresh_db, reviews):
    ids = reviews(*REVIEWS)
    doc = ids["Harbour Lights"]
    change = fresh_db.add_span(doc, label(fresh_db, "praise"), 0, 7, note="lighthouse")
    [span] = change.added
    from dataclasses import replace

    from annotator.domain.errors import StoreError
    from annotator.domain.model import new_uuid
    spans = [replace(span, uuid=new_uuid(), note=f"bulk{i}") for i in range(60)]
    with pytest.raises(StoreError):
        fresh_db.store.spans.add([*spans, span], None)  # the last: a uuid stored already
    assert fresh_db.search("bulk3") == []
    _notes_in_step(fresh_db)


# --- filters ------------------------------------------------------------------------------

@pytest.fixture
def team(fresh_db, reviews):
    """Three reviews: mira and tomasz agree on Harbour Lights, disagree on Paper Crowns;
    only mira worked on Café Marchetti (a note there), and gold adjudicated Paper Crowns."""
    ws = fresh_db
    ids = reviews(*REVIEWS)
    harbour, cafe, crowns = ids["Harbour Lights"], ids["Café Marchetti"], ids["Paper Crowns"]
    praise, spoiler = label(ws, "praise"), label(ws, "spoiler")
    for name in ("mira", "tomasz"):
        ws.switch_to(name)
        ws.add_span(harbour, praise, 0, 7)
    ws.switch_to("mira")
    ws.add_span(crowns, spoiler, 0, 5)
    ws.add_span(cafe, praise, 0, 4, note="lovely")
    ws.set_status(cafe, Status.DONE)
    ws.switch_to("tomasz")
    ws.add_span(crowns, praise, 0, 5)
    ws.switch_to("gold")
    ws.add_span(harbour, spoiler, 8, 14)  # gold's spans are no opinion: no disagreement
    return ws, ids


def test_each_filter_narrows_the_list(team):
    ws, ids = team
    mira = ws.annotator_by_name("mira").uuid
    tomasz = ws.annotator_by_name("tomasz").uuid

    def listed(**fields):
        return titles(ws, ws.document_ids(narrow=DocumentFilter(**fields)))
    assert listed(label_uuid=label(ws, "spoiler")) == ["Harbour Lights", "Paper Crowns"]
    assert listed(annotator_uuid=tomasz) == ["Harbour Lights", "Paper Crowns"]
    assert listed(label_uuid=label(ws, "praise"), annotator_uuid=mira) == [
        "Café Marchetti", "Harbour Lights"]
    assert listed(has_note=True) == ["Café Marchetti"]
    assert listed(disagreement=True) == ["Paper Crowns"]
    assert listed(status=Status.DONE, status_of=mira) == ["Café Marchetti"]
    assert listed(status=Status.IN_PROGRESS, status_of=tomasz) == ["Harbour Lights",
                                                                   "Paper Crowns"]
    assert listed(status=Status.NEW, status_of=tomasz) == ["Café Marchetti"]
    assert listed(status=Status.NEW) == []  # someone began every one
    assert listed() == titles(ws, ids.values())


def test_filters_combine_with_the_words_and_the_order(team):
    ws, ids = team
    tomasz = ws.annotator_by_name("tomasz").uuid
    narrow = DocumentFilter(annotator_uuid=tomasz)
    assert titles(ws, ws.document_ids("quiet", narrow=narrow)) == ["Harbour Lights",
                                                                    "Paper Crowns"]
    assert titles(ws, ws.document_ids("loud", narrow=narrow)) == ["Paper Crowns"]
    assert ws.document_ids("glow", narrow=narrow) == []
    assert ws.document_ids("lovely", narrow=DocumentFilter(has_note=True)) == [
        ids["Café Marchetti"]]
    by_title = ws.document_ids("", "title", True, tomasz, narrow=narrow)
    assert titles(ws, by_title) == ["Harbour Lights", "Paper Crowns"]
    assert by_title == [ids["Paper Crowns"], ids["Harbour Lights"]]
    assert ws.document_ids("%", narrow=narrow) == []  # the scan for punctuation, narrowed


def test_the_disagreement_filter_is_the_f8_rule(team):
    """A document is listed exactly when the workspace finds disagreements in its spans."""
    ws, ids = team
    ws.switch_to("mira")
    for doc in ids.values():
        spans = [s for s in ws.spans(doc) if s.annotator_uuid != GOLD.uuid]
        people = {s.annotator_uuid for s in spans}
        by_rule = len(people) >= 2 and bool(ws.disagreements(spans))
        listed = doc in ws.document_ids(narrow=DocumentFilter(disagreement=True))
        assert listed == by_rule, ws.document(doc).title


def test_search_hits_take_a_filter_and_may_have_no_words(team):
    ws, ids = team
    narrow = DocumentFilter(has_note=True)
    [hit] = ws.search_hits("", narrow=narrow)
    assert hit.id == ids["Café Marchetti"] and hit.snippet.startswith("Café Marchetti A naïve")
    assert ws.search_hits("quiet", narrow=narrow) == []
    with pytest.raises(SearchError, match="no word to search for"):
        ws.search_hits("")  # no words and no filter: nothing asked


def test_notes_another_program_writes_are_indexed_and_a_bulk_add_leaves_the_trigger(
        fresh_db, reviews):
    ids = reviews(*REVIEWS)
    doc = ids["Harbour Lights"]
    change = fresh_db.add_span(doc, label(fresh_db, "praise"), 0, 7)
    [span] = change.added
    from dataclasses import replace

    from annotator.domain.errors import StoreError
    from annotator.domain.model import new_uuid
    with pytest.raises(StoreError):  # a bulk add that fails: its transaction undone
        fresh_db.store.spans.add([*[replace(span, uuid=new_uuid()) for _ in range(60)],
                                  span], None)
    fresh_db.store.spans.add([replace(span, uuid=new_uuid(), note=f"bulk{i}")
                              for i in range(60)], None)
    assert fresh_db.search("bulk59") == [doc]
    conn = fresh_db.store.conn
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                        "AND name = 'notes_search_insert'").fetchone()[0] == 1
    conn.execute(  # another program's row
        "INSERT INTO annotations (uuid, document_id, annotator_uuid, label_uuid, start, "
        '"end", note, created, modified) VALUES (?, ?, ?, ?, 0, 7, ?, ?, ?)',
        (new_uuid(), ids["Paper Crowns"], span.annotator_uuid, span.label_uuid,
         "elsewhere", span.created, span.created))
    assert fresh_db.search("elsewhere") == [ids["Paper Crowns"]]
    conn.execute("UPDATE annotations SET note = 'moved' WHERE note = 'elsewhere'")
    assert fresh_db.search("elsewhere") == [] and fresh_db.search("moved") == [
        ids["Paper Crowns"]]
    _notes_in_step(fresh_db)


def test_words_split_between_the_text_and_a_note_match_together(fresh_db, reviews):
    """A document is its title, text and notes: "harbour zeppelin" finds a review saying
    harbour whose note says zeppelin; NOT looks at both."""
    ids = reviews(*REVIEWS)
    doc = ids["Harbour Lights"]
    fresh_db.add_span(doc, label(fresh_db, "praise"), 0, 7, note="zeppelin twist")
    assert fresh_db.document_ids("harbour zepp") == [doc]  # the list, as typed
    assert fresh_db.search("harbour zeppelin") == [doc]
    assert fresh_db.search("quiet AND zeppelin") == [doc]
    assert fresh_db.search("quiet NOT zeppelin") == [ids["Paper Crowns"]]  # not Harbour
    assert fresh_db.search("zeppelin NOT devastating") == []
    # AND before OR, as FTS5 reads it; found in the text first, ranked, then the rest
    assert fresh_db.search("glow OR zeppelin harbour") == [ids["Café Marchetti"], doc]
    assert fresh_db.search('"zeppelin harbour"') == []  # a phrase stays within one
    [hit] = fresh_db.search_hits("devastating zeppelin")
    assert hit.id == doc and hit.snippet == "note: [zeppelin] twist"
    [hit] = fresh_db.search_hits("devastating twist NOT glow")
    assert hit.snippet == "note: zeppelin [twist]"
    assert fresh_db.search_hits("quiet", narrow=DocumentFilter(has_note=True))[0].id == doc
    assert [h.id for h in fresh_db.search_hits("quiet zeppelin", limit=1)] == [doc]
