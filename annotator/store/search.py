"""What a user types in a search box, made into an FTS5 query that cannot fail to parse.

Words must all match; "a phrase" matches those words in a row; a word ending in * matches
as a prefix (harb* finds harbour); OR and NOT (capitals, between two terms) combine. Every
word and phrase goes to FTS5 as a quoted string, so nothing else a user types is syntax:
colons, parentheses, hyphens, a stray quote or a lone * are punctuation, which the index
leaves out of words just as it did when it read the texts. The query's terms are read by
domain.search, which also finds where they are in a text (for the document pane).
"""

from __future__ import annotations

from annotator.domain.search import Term, query_terms

# The table, its column order (title, text), and the tokenizer: migration 4 creates it.
SEARCH_TABLE = "documents_search"
TOKENIZER = "unicode61 remove_diacritics 2"
# Span notes, one row per document (rowid: the document's id) holding all its spans' notes:
# migration 5 creates it, triggers on annotations keep it in step.
NOTES_TABLE = "notes_search"


def notes_of(document: str) -> str:
    """SQL that indexes again the notes of one document (`document`: an SQL expression)."""
    return (f"DELETE FROM {NOTES_TABLE} WHERE rowid = {document}; "
            f"INSERT INTO {NOTES_TABLE} (rowid, notes) SELECT {document}, notes FROM "
            "(SELECT group_concat(note, char(10)) AS notes FROM annotations "
            f"WHERE document_id = {document} AND note IS NOT NULL) WHERE notes IS NOT NULL;")


# A span added with a note: its document's notes indexed again. A bulk add of spans drops
# it for its own transaction and indexes the documents it touched in one statement: an
# insert trigger costs every row (even one its WHEN turns away) about 6 microseconds,
# which made importing 100,000 spans 25% slower.
NOTES_INSERT_TRIGGER = (
    f"CREATE TRIGGER {NOTES_TABLE}_insert AFTER INSERT ON annotations "
    f"WHEN new.note IS NOT NULL BEGIN {notes_of('new.document_id')} END")

# Every FTS5 table (their shadow tables hold FTS5's own binary records).
SEARCH_TABLES = (SEARCH_TABLE, NOTES_TABLE)
# A settings key present only inside a bulk add's transaction (never seen by another
# connection): while it is there the insert triggers stand aside, and the add indexes its
# rows in one statement. Row by row, FTS5 flushes its buffer at every row's statement
# savepoint: 100,000 reviews took 16 s to add instead of 2 s, plus 1.5 s to index.
INDEX_PAUSED = "search_index.paused"


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def match_expression(query: str, every_word_a_prefix: bool = False) -> str:
    """The FTS5 MATCH expression for `query`; "" when it holds no word to look for.

    every_word_a_prefix: each word (and a phrase's last word) matches as a prefix, as for
    results while typing ("harb" already finds harbour)."""
    return " ".join(_quoted(item.text) + (" *" if item.prefix else "")
                    if isinstance(item, Term) else item
                    for item in query_terms(query, every_word_a_prefix))
