"""What a user types in a search box, made into an FTS5 query that cannot fail to parse.

Words must all match; "a phrase" matches those words in a row; a word ending in * matches
as a prefix (harb* finds harbour); OR and NOT (capitals, between two terms) combine. Every
word and phrase goes to FTS5 as a quoted string, so nothing else a user types is syntax:
colons, parentheses, hyphens, a stray quote or a lone * are punctuation, which the index
leaves out of words just as it did when it read the texts. The query's terms are read by
domain.search, which also finds where they are in a text (for the document pane).
"""

from __future__ import annotations

from annotator.domain.search import Term, query_terms, wanted_terms

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


def _term(item: Term | str) -> str:
    return _quoted(item.text) + (" *" if item.prefix else "") if isinstance(item, Term) \
        else item


def match_expression(query: str, every_word_a_prefix: bool = False) -> str:
    """The FTS5 MATCH expression for `query`; "" when it holds no word to look for.

    every_word_a_prefix: each word (and a phrase's last word) matches as a prefix, as for
    results while typing ("harb" already finds harbour)."""
    return " ".join(_term(item) for item in query_terms(query, every_word_a_prefix))


def wanted_expression(query: str, every_word_a_prefix: bool = False) -> str:
    """An FTS5 expression matching any of the query's wanted terms (not those after NOT):
    where a snippet can show some of what was found."""
    return " OR ".join(_term(t) for t in wanted_terms(query, every_word_a_prefix))


def matching_documents(query: str, every_word_a_prefix: bool = False) -> tuple[str, list]:
    """SQL selecting the ids (column `id`) of the documents `query` matches, with its
    arguments; ("", []) when it holds no word to look for.

    A document is its title, text and span notes: a one-term query matches in either
    index; with more terms, a document without notes is matched by the text index alone
    (FTS5 combines the terms itself, quickest), and one with notes term by term, each
    term in its text or its notes, the terms combined by SQL (INTERSECT for AND, EXCEPT
    for NOT, UNION for OR): "harbour twist" finds a review saying harbour whose note says
    twist. A phrase stays within one of them."""
    items = query_terms(query, every_word_a_prefix)
    if not items:
        return "", []
    expression = " ".join(_term(item) for item in items)
    if len(items) == 1:
        return (f"SELECT rowid AS id FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ? "
                f"UNION SELECT rowid FROM {NOTES_TABLE} WHERE {NOTES_TABLE} MATCH ?",
                [expression, expression])
    # "+rowid": a plain rowid IN (...) on an FTS5 table is handed to it as one lookup per
    # listed id, each matching the whole query again (3 minutes at 100,000 reviews).
    noted = f"SELECT rowid FROM {NOTES_TABLE}"
    term_sql = (f"SELECT id FROM (SELECT rowid AS id FROM {SEARCH_TABLE} WHERE "
                f"{SEARCH_TABLE} MATCH ? AND +rowid IN ({noted}) UNION SELECT rowid FROM "
                f"{NOTES_TABLE} WHERE {NOTES_TABLE} MATCH ?)")
    sql = (f"SELECT rowid AS id FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ? "
           f"AND +rowid NOT IN ({noted})")
    args: list = [expression]
    group: list[str] = []
    negated = False
    for item in [*items, "OR"]:  # FTS5's precedence: NOT, then AND, then OR
        if item == "OR":
            sql += f" UNION SELECT id FROM ({' '.join(group)})"
            group = []
        elif item == "NOT":
            negated = True
        elif isinstance(item, Term):
            if group:
                group.append("EXCEPT" if negated else "INTERSECT")
            group.append(term_sql)
            args += [_term(item)] * 2
            negated = False
    return sql, args
