"""What a user types in a search box, made into an FTS5 query that cannot fail to parse.

Words must all match; "a phrase" matches those words in a row; a word ending in * matches
as a prefix (harb* finds harbour); OR and NOT (capitals, between two terms) combine. Every
word and phrase goes to FTS5 as a quoted string, so nothing else a user types is syntax:
colons, parentheses, hyphens, a stray quote or a lone * are punctuation, which the index
leaves out of words just as it did when it read the texts.
"""

from __future__ import annotations

import re

# The table, its column order (title, text), and the tokenizer: migration 4 creates it.
SEARCH_TABLE = "documents_search"
TOKENIZER = "unicode61 remove_diacritics 2"
# A settings key present only inside a bulk add's transaction (never seen by another
# connection): while it is there the insert trigger stands aside, and the add indexes its
# rows in one statement. Row by row, FTS5 flushes its buffer at every row's statement
# savepoint: 100,000 reviews took 16 s to add instead of 2 s, plus 1.5 s to index.
INDEX_PAUSED = "search_index.paused"

_OPERATORS = {"OR", "NOT", "AND"}
# A phrase (its closing quote may be missing: still being typed), or a run of non-space.
_TOKEN = re.compile(r'"([^"]*)"?|([^\s"]+)')


def _has_word(text: str) -> bool:
    """Whether the index would find a word in `text` (letters or digits, as unicode61)."""
    return any(c.isalnum() for c in text)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def match_expression(query: str, every_word_a_prefix: bool = False) -> str:
    """The FTS5 MATCH expression for `query`; "" when it holds no word to look for.

    every_word_a_prefix: each word (and a phrase's last word) matches as a prefix, as for
    results while typing ("harb" already finds harbour)."""
    terms: list[str] = []
    for match in _TOKEN.finditer(query):
        phrase, word = match.group(1), match.group(2)
        if word in _OPERATORS:
            terms.append(word)
            continue
        text = phrase if phrase is not None else word
        prefix = every_word_a_prefix or (word is not None and word.endswith("*"))
        if word is not None:
            text = word.strip("*")
        if not _has_word(text):
            continue
        terms.append(_quoted(text) + (" *" if prefix else ""))
    # An operator needs a term on either side: one at either end, or after another, is
    # dropped (it may be half typed) rather than left to fail as FTS5 syntax.
    kept: list[str] = []
    for term in terms:
        if term in _OPERATORS and (not kept or kept[-1] in _OPERATORS):
            continue
        kept.append(term)
    while kept and kept[-1] in _OPERATORS:
        kept.pop()
    return " ".join(kept)
