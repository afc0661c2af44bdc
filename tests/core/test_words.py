"""Selections snap to whole words; span edges move a word (or a character) at a time."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.words import move_edge, snap_to_words

TEXT = "The keeper wasn't her father. 映画は良い。 Sigríður's well-made finale 😂 works!"


def snapped(fragment_start: int, fragment_end: int) -> str:
    s, e = snap_to_words(TEXT, fragment_start, fragment_end)
    return TEXT[s:e]


@pytest.mark.parametrize(("fragment", "whole"), [
    ("eepe", "keeper"),
    ("he kee", "The keeper"),
    (" wasn", "wasn't"),          # leading space trimmed, apostrophe inside a word kept
    ("ríð", "Sigríður's"),
    ("ll-ma", "well-made"),
    ("画は", "画は"),              # no spaces in Japanese: characters are words
    ("works!", "works!"),         # punctuation that was selected stays
])
def test_a_partial_selection_grows_to_whole_words(fragment, whole):
    start = TEXT.index(fragment)
    assert snapped(start, start + len(fragment)) == whole


def test_a_selection_of_only_white_space_snaps_to_nothing():
    start = TEXT.index(" wasn")
    s, e = snap_to_words(TEXT, start, start + 1)
    assert s == e


def test_moving_the_end_edge_goes_word_by_word_past_emoji():
    start = TEXT.index("finale")
    span = (start, start + len("finale"))
    grown = move_edge(TEXT, *span, "end", 1)
    assert TEXT[grown[0]:grown[1]] == "finale 😂"
    grown = move_edge(TEXT, *grown, "end", 1)
    assert TEXT[grown[0]:grown[1]] == "finale 😂 works"
    shrunk = move_edge(TEXT, *grown, "end", -1)
    assert TEXT[shrunk[0]:shrunk[1]] == "finale 😂"


def test_moving_the_start_edge_and_refusing_to_empty_a_span():
    start = TEXT.index("keeper")
    span = (start, start + len("keeper wasn't"))
    earlier = move_edge(TEXT, *span, "start", -1)
    assert TEXT[earlier[0]:earlier[1]] == "The keeper wasn't"
    later = move_edge(TEXT, *span, "start", 1)
    assert TEXT[later[0]:later[1]] == "wasn't"
    assert move_edge(TEXT, *later, "start", 1) is None  # would leave nothing
    assert move_edge(TEXT, 0, 3, "start", -1) is None  # already at the start of the text


def test_exact_mode_moves_one_character_and_skips_spaces():
    start = TEXT.index("keeper")
    moved = move_edge(TEXT, start, start + 6, "end", 1, by_word=False)
    assert TEXT[moved[0]:moved[1]] == "keeper w"
    moved = move_edge(TEXT, start, start + 6, "end", -1, by_word=False)
    assert TEXT[moved[0]:moved[1]] == "keepe"


@given(st.text(alphabet="ab 'é-😂\n.", max_size=30), st.integers(0, 30), st.integers(0, 30),
       st.sampled_from(["start", "end"]), st.sampled_from([-1, 1]), st.booleans())
def test_edges_and_snapping_always_give_a_trimmed_range_inside_the_text(
        text, a, b, edge, step, by_word):
    a, b = sorted((min(a, len(text)), min(b, len(text))))
    s, e = snap_to_words(text, a, b)
    assert 0 <= s <= e <= len(text)
    if s < e:
        assert not text[s].isspace() and not text[e - 1].isspace()
        assert s <= max(a, s) and e >= min(b, e)
        moved = move_edge(text, s, e, edge, step, by_word)
        if moved is not None:
            ms, me = moved
            assert 0 <= ms < me <= len(text)
            assert not text[ms].isspace() and not text[me - 1].isspace()
            assert moved != (s, e)


# Each is one character on screen however many code points it takes; "ab" is two letters.
TOKENS = ["ab", "e\u0301", "👍🏽", "🇫🇷", "👨\u200d👩\u200d👧", "❤️", " ", "\n", ".", "é"]


@given(st.lists(st.sampled_from(TOKENS), max_size=12), st.integers(0, 60),
       st.integers(0, 60), st.sampled_from(["start", "end"]), st.sampled_from([-1, 1]),
       st.booleans())
def test_no_edge_ever_splits_an_emoji_a_flag_or_an_accented_letter(
        tokens, a, b, edge, step, by_word):
    text, inside = "", set()
    for token in tokens:
        if token != "ab":
            inside |= set(range(len(text) + 1, len(text) + len(token)))
        text += token
    a, b = sorted((min(a, len(text)), min(b, len(text))))
    s, e = snap_to_words(text, a, b)
    if s < e:
        assert s not in inside and e not in inside, (text, a, b, s, e)
        moved = move_edge(text, s, e, edge, step, by_word)
        if moved is not None:
            assert moved[0] not in inside and moved[1] not in inside, (text, s, e, moved)


@pytest.mark.parametrize(("text", "span", "edge", "step", "by_word", "expected"), [
    ("Great 👍🏽 fun", "Great 👍🏽 fun", "end", -1, True, "Great 👍🏽"),
    ("Go 🇫🇷🇩🇪 now", "Go 🇫🇷", "end", 1, False, "Go 🇫🇷🇩🇪"),
    ("Go 🇫🇷🇩🇪 now", "Go 🇫🇷🇩🇪", "end", -1, False, "Go 🇫🇷"),
    ("cafe\u0301 noir", "caf", "end", 1, False, "cafe\u0301"),
    ("cafe\u0301 noir", "cafe\u0301", "end", -1, False, "caf"),
])
def test_edges_move_over_whole_emoji_flags_and_accented_letters(text, span, edge, step,
                                                                by_word, expected):
    start = text.index(span)
    moved = move_edge(text, start, start + len(span), edge, step, by_word)
    assert text[moved[0]:moved[1]] == expected
