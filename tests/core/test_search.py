"""Full-text search (issue 15): words, "a phrase", harb*, OR and NOT over titles and texts,
accents folded; the index follows every write; whatever is typed, a plain answer."""

import json
import sqlite3

import pytest

from annotator.domain.errors import AnnotatorError, SearchError, StoreConflict
from annotator.domain.model import Document, new_uuid
from annotator.domain.text import content_hash
from annotator.store.search import match_expression

HARBOUR = ("Harbour Lights\nThe ending at the harbour is quiet and devastating.",
           "Café Marchetti\nA naïve romance; the café scenes glow.",
           "Paper Crowns\nThe ending is loud. A quiet harbourmaster steals it.",
           "Grandma vs the Algorithm\nGrandma wins; nobody is quiet.")


def titles(ws, ids):
    return [ws.document(i).title for i in ids]


def found(ws, query):
    return sorted(titles(ws, ws.search(query)))


def test_every_word_must_match_and_a_phrase_matches_its_words_in_a_row(fresh_db, reviews):
    reviews(*HARBOUR)
    assert found(fresh_db, "quiet") == ["Grandma vs the Algorithm", "Harbour Lights",
                                        "Paper Crowns"]
    assert found(fresh_db, "QUIET ending") == ["Harbour Lights", "Paper Crowns"]
    assert found(fresh_db, '"the ending is"') == ["Paper Crowns"]
    assert found(fresh_db, '"ending quiet"') == []
    assert found(fresh_db, "harbour") == ["Harbour Lights"]  # a word, not a word's start


def test_a_star_makes_a_prefix_and_or_and_not_combine(fresh_db, reviews):
    reviews(*HARBOUR)
    assert found(fresh_db, "harb*") == ["Harbour Lights", "Paper Crowns"]
    assert found(fresh_db, "grandma OR glow") == ["Café Marchetti", "Grandma vs the Algorithm"]
    assert found(fresh_db, "quiet NOT harb*") == ["Grandma vs the Algorithm"]
    assert found(fresh_db, "quiet or") == []  # lower case: the word "or"


def test_accents_are_folded_both_ways(fresh_db, reviews):
    reviews(*HARBOUR, "Cafe Noir\nA naive cafe, plain letters.")
    both = ["Cafe Noir", "Café Marchetti"]
    assert found(fresh_db, "cafe") == both
    assert found(fresh_db, "café") == both
    assert found(fresh_db, "NAÏVE") == both


def test_a_title_match_ranks_first_and_a_limit_keeps_the_best(fresh_db, reviews):
    ids = reviews(*HARBOUR)
    assert fresh_db.search("harbour OR harbourmaster")[0] == ids["Harbour Lights"]
    assert len(fresh_db.search("quiet", limit=2)) == 2


def test_hits_carry_the_title_and_a_snippet_with_the_match_marked(fresh_db, reviews):
    ids = reviews(*HARBOUR)
    [hit] = fresh_db.search_hits('"the ending is"')
    assert (hit.id, hit.title) == (ids["Paper Crowns"], "Paper Crowns")
    assert "[The ending is] loud" in hit.snippet and "\n" not in hit.snippet


def test_renaming_and_deleting_keep_the_index_in_step(fresh_db, reviews):
    ids = reviews(*HARBOUR)
    fresh_db.rename_document(ids["Paper Crowns"], "Velvet Storm")
    assert found(fresh_db, "velvet") == ["Velvet Storm"]
    fresh_db.rename_document(ids["Paper Crowns"], "Iron Tide")
    assert found(fresh_db, "velvet") == []  # the old title is gone from the index
    assert found(fresh_db, "harbourmaster") == ["Iron Tide"]  # its text, still found
    fresh_db.undo()  # the rename undone: the title before it is found again
    assert found(fresh_db, "velvet") == ["Velvet Storm"] and found(fresh_db, "iron") == []
    fresh_db.delete_documents([ids["Harbour Lights"]])
    assert found(fresh_db, "harb*") == ["Velvet Storm"]
    assert found(fresh_db, "devastating") == []


def _index_in_step(ws):
    """FTS5's own check of the index against the documents: raises when they differ."""
    ws.store.conn.execute("INSERT INTO documents_search (documents_search, rank) "
                          "VALUES ('integrity-check', 1)")


def test_the_index_matches_the_documents_after_every_write(fresh_db, reviews):
    ids = reviews(*HARBOUR)
    fresh_db.rename_document(ids["Café Marchetti"], "Café Roma")
    fresh_db.rename_document(ids["Harbour Lights"], "Harbour Nights")
    fresh_db.undo()
    praise = next(label for label in fresh_db.labels() if label.name == "praise")
    fresh_db.add_span(ids["Grandma vs the Algorithm"], praise.uuid, 0, 7)
    fresh_db.delete_documents([ids["Grandma vs the Algorithm"]])
    _index_in_step(fresh_db)


HOSTILE = ['"', '""', '"unclosed phrase', "*", "**", "harb**", "a*b", "title:harbour",
           "text:", "(quiet", "quiet)", "()", "-quiet", "quiet -", "well-known", "NOT",
           "OR", "AND", "quiet OR", "NOT quiet", "quiet NOT NOT ending", "OR OR OR",
           "NEAR(quiet ending)", "quiet + ending", "^quiet", "{title}: x", "a'b", "'",
           "\\", "%", "_", ";DROP TABLE documents;--", "\x00", "😂", "e\u0301", " ",
           "quiet AND", "AND quiet", '"quiet" *', "quiet*ending", "''", "x" * 5000]


@pytest.mark.parametrize("query", HOSTILE)
def test_nothing_typed_raises_a_database_error(fresh_db, reviews, query):
    """Whatever is typed: results, or a SearchError saying there is no word in it; never
    SQLite's own error. The list's filter answers everything with results."""
    reviews(*HARBOUR)
    for search in (fresh_db.search, fresh_db.search_hits):
        try:
            search(query)
        except SearchError as e:
            assert "no word to search for" in str(e)
        except (sqlite3.Error, AnnotatorError) as e:  # pragma: no cover - the failure
            pytest.fail(f"{query!r}: {type(e).__name__}: {e}")
    fresh_db.document_ids(query)
    fresh_db.document_ids(query, order="title")


def test_hostile_queries_find_what_their_words_say(fresh_db, reviews):
    reviews(*HARBOUR)
    assert found(fresh_db, "(quiet") == found(fresh_db, "quiet")
    assert found(fresh_db, "NOT quiet") == found(fresh_db, "quiet")  # NOT needs a left side
    assert found(fresh_db, "title:harbour") == []  # no column syntax: the words title harbour
    assert found(fresh_db, '"unclosed phrase') == []
    assert found(fresh_db, '"the ending') == ["Harbour Lights", "Paper Crowns"]
    with pytest.raises(SearchError, match="no word to search for"):
        fresh_db.search("* OR ()")


def test_every_user_word_is_quoted_for_fts5():
    assert match_expression("harb") == '"harb"'
    assert match_expression("harb", every_word_a_prefix=True) == '"harb" *'
    assert match_expression('say "hi" x"y') == '"say" "hi" "x" "y"'
    assert match_expression('"open') == '"open"'
    assert match_expression("a OR NOT b NOT") == '"a" OR "b"'
    assert match_expression("*  :  ()") == ""


def _document(title, text):
    return Document(None, new_uuid(), title, text, content_hash(text), "typed")


def test_rows_another_program_writes_are_indexed_by_the_triggers(fresh_db):
    conn = fresh_db.store.conn
    conn.execute("INSERT INTO documents (id, uuid, content_hash, title, text, created) "
                 "VALUES (7, 'u-7', 'h-7', 'Written Elsewhere', 'A lighthouse keeper.', 'now')")
    assert fresh_db.search("lighthouse") == [7]
    conn.execute("UPDATE documents SET title = 'Renamed Elsewhere' WHERE id = 7")
    assert fresh_db.search("renamed") == [7] and fresh_db.search("written") == []
    conn.execute("DELETE FROM documents WHERE id = 7")
    assert fresh_db.search("lighthouse") == []
    _index_in_step(fresh_db)


def test_a_bulk_add_that_fails_leaves_the_index_in_step_and_the_triggers_on(fresh_db):
    documents = fresh_db.store.documents
    documents.add([_document("Tide", "A tide of words.")], None)
    with pytest.raises(StoreConflict):  # the same text again: all or nothing
        documents.add([_document("Moon", "A moon of words."),
                       _document("Tide again", "A tide of words.")], None)
    assert fresh_db.search("moon") == []
    with fresh_db.store.transaction():  # a caller that carries on after the failure
        with pytest.raises(StoreConflict):
            documents.add([_document("Moon", "A moon of words."),
                           _document("Tide again", "A tide of words.")], None)
    assert titles(fresh_db, fresh_db.search("moon")) == ["Moon"]  # the row it kept
    assert fresh_db.store.conn.execute(
        "SELECT count(*) FROM settings WHERE key = 'search_index.paused'").fetchone()[0] == 0
    fresh_db.store.conn.execute(  # the insert trigger is on again
        "INSERT INTO documents (uuid, content_hash, title, text, created) "
        "VALUES ('u-x', 'h-x', 'Star', 'A star.', 'now')")
    assert titles(fresh_db, fresh_db.search("star")) == ["Star"]
    _index_in_step(fresh_db)


def test_a_file_an_import_rolls_back_leaves_nothing_in_the_index(fresh_db, inbox):
    lines = [f'{{"text": "Lighthouse review {i}."}}' for i in range(300)]
    lines[297] = "{not json"
    (inbox / "bad.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (inbox / "ok.txt").write_text("A lighthouse keeper.", encoding="utf-8")
    report = fresh_db.import_paths([inbox])
    assert len(report.failed) == 1
    assert titles(fresh_db, fresh_db.search("lighthouse")) == ["A lighthouse keeper."]
    _index_in_step(fresh_db)


def test_a_folder_imported_in_one_go_is_all_found_and_a_file_rolled_back_midway_is_not(
        fresh_db, inbox):
    """The files of one commit are indexed together at its end: a large record file
    written batch by batch and then rolled back at a bad record near its end leaves
    nothing in the index, the small files in the same commit are all found, and deleting
    some keeps the index in step."""
    lines = [json.dumps({"text": f"Lighthouse log {i}. " + "calm sea " * 250})
             for i in range(1200)]
    lines[1100] = "{not json"
    (inbox / "a-log.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for i in range(40):
        (inbox / f"b-{i:02}.txt").write_text(f"Harbour review {i}\nThe ending is quiet.",
                                             encoding="utf-8")
    report = fresh_db.import_paths([inbox])
    [failed] = report.failed
    assert failed.path.endswith("a-log.jsonl") and failed.errors[0].line == 1101
    assert fresh_db.search("lighthouse") == [] and fresh_db.search("calm") == []
    harbour = fresh_db.search("harbour")
    assert sorted(titles(fresh_db, harbour)) == sorted(f"Harbour review {i}" for i in range(40))
    _index_in_step(fresh_db)
    fresh_db.delete_documents(harbour[:5])
    assert len(fresh_db.search('"the ending is quiet"')) == 35
    _index_in_step(fresh_db)
    assert fresh_db.store.conn.execute(  # the insert trigger is on again
        "SELECT count(*) FROM settings WHERE key = 'search_index.paused'").fetchone()[0] == 0


def test_an_added_document_is_logged_as_json_says(fresh_db):
    """The change log's entry for an added document, written out by hand for speed, is
    the JSON of its id, title, source path and content hash, whatever the title holds."""
    title = 'A "quoted" title\\ with\ttabs, é, 😂 and \x01'
    doc = Document(None, new_uuid(), title, "Some text.", content_hash("Some text."),
                   'C:\\reviews\\"odd".txt')
    [doc_id] = fresh_db.store.documents.add([doc], None)
    [entry] = [e for e in fresh_db.store.log.entries(doc.uuid) if e["action"] == "add"]
    assert entry["data"] == {"id": doc_id, "title": title,
                             "source_path": 'C:\\reviews\\"odd".txt',
                             "content_hash": content_hash("Some text.")}
