"""Where a search's words are in a text (domain.search.hit_ranges), found as the FTS5 index
finds them: words by their letters, any case, Latin accents and combining marks ignored;
a prefix shows its whole word, a phrase shows whole; offsets in code points."""

import sqlite3
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain.search import (
    Term,
    count_hits,
    hit_ranges,
    last_hit_before,
    query_terms,
    wanted_terms,
)
from annotator.store.search import TOKENIZER, match_expression


def shown(text, query, prefix=False):
    return [text[a:b] for a, b in hit_ranges(text, query, prefix)]


def test_words_any_case_accents_and_combining_marks_folded():
    text = "Le CAFÉ, a cafe\u0301 and a café; cafés. İstanbul naïve"
    assert shown(text, "cafe") == ["CAFÉ", "cafe\u0301", "café"]
    assert shown(text, "café") == ["CAFÉ", "cafe\u0301", "café"]
    assert shown(text, "istanbul NAIVE") == ["İstanbul", "naïve"]


def test_a_prefix_shows_its_whole_word_and_a_phrase_shows_whole():
    text = "The harbour; harbourmaster Harb. The ending is - the   ending IS loud."
    assert shown(text, "harb*") == ["harbour", "harbourmaster", "Harb"]
    assert shown(text, "harb") == ["Harb"]
    assert shown(text, "harb", prefix=True) == ["harbour", "harbourmaster", "Harb"]
    assert shown(text, '"the ending is"') == ["The ending is", "the   ending IS"]
    assert shown(text, '"ending is" ending') == ["ending is", "ending IS"]  # longest wins


def test_not_and_operators_are_not_shown_and_or_shows_both():
    text = "quiet harbour, loud sea"
    assert shown(text, "quiet NOT loud") == ["quiet"]
    assert shown(text, "quiet OR sea") == ["quiet", "sea"]
    assert shown(text, "AND OR NOT") == [] and shown(text, '"(*') == []
    assert wanted_terms("a NOT b c") == [Term("a"), Term("c")]
    assert query_terms("NOT a OR") == [Term("a")]


def test_offsets_are_code_points_with_emoji_before_a_hit():
    text = "😂👍🏽 then the harbour"
    [(start, end)] = hit_ranges(text, "harbour")
    assert (start, end) == (text.index("harbour"), len(text))
    assert text[start:end] == "harbour"


def test_cjk_runs_are_one_word_as_in_the_index():
    text = "灯籠の湯 and 灯籠"
    assert shown(text, "灯籠") == ["灯籠"]  # the run 灯籠の湯 is one word
    assert shown(text, "灯籠*") == ["灯籠の湯", "灯籠"]


def test_most_caps_the_hits_and_a_megabyte_is_quick():
    text = "the quiet harbour at dawn. " * 40_000  # ~1 MB
    began = time.perf_counter()
    hits = hit_ranges(text, "harb", every_word_a_prefix=True)
    elapsed = time.perf_counter() - began
    assert len(hits) == 40_000 and elapsed < 1.0, elapsed
    assert len(hit_ranges(text, "quiet", most=100)) == 100


WORDS = ["café", "cafe", "CAFE\u0301", "naïve", "naive", "Harbour", "harbourmaster",
         "the", "ending", "Straße", "strasse", "😂", "灯籠", "don't", "e-mail", "Ǆemal"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12),
       st.sampled_from(WORDS), st.booleans())
def test_a_text_has_hits_exactly_when_the_index_matches_it(words, query, prefix):
    """The index is the judge: for one word or a two-word phrase, hit_ranges finds
    something in a text exactly when FTS5 matches that text."""
    text = " ".join(words)
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{TOKENIZER}')")
    conn.execute("INSERT INTO t (rowid, x) VALUES (1, ?)", (text,))
    for q in (query, f'"{query} {words[0]}"'):
        expression = match_expression(q, every_word_a_prefix=prefix)
        if not expression:
            continue
        matched = bool(conn.execute("SELECT 1 FROM t WHERE t MATCH ?", (expression,))
                       .fetchall())
        assert bool(hit_ranges(text, q, prefix)) == matched, (text, q, prefix)


@pytest.mark.parametrize("query", ['"', "*", "AND", "OR OR", "(", "x" * 5000, "\x00"])
def test_anything_typed_gives_hits_or_none_never_an_error(query):
    hit_ranges("some text AND more", query, every_word_a_prefix=True)


def test_counting_and_looking_back_for_hits():
    text = "harbour. " * 1000 + "quiet " * 5000 + "the harbour end"
    assert count_hits(text, "harbour") == 1001
    assert count_hits(text, "harbour", before=9 * 500) == 500
    last = text.rindex("harbour")
    assert last_hit_before(text, "harbour") == last
    assert last_hit_before(text, "harbour", position=last) == 9 * 999  # far back
    assert last_hit_before(text, "harbour", position=3) == 0
    assert last_hit_before(text, "harbour", position=0) is None
    assert last_hit_before(text, "harb", position=len(text)) is None  # a word, not a prefix
    assert last_hit_before(text, "arbour") is None  # no hit starts inside a word
    assert hit_ranges(text, "harbour", start=last - 2) == [(last, last + 7)]
