"""Offsets are code points in stored text; Qt's UTF-16 positions are converted in one place."""

from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.offsets import OffsetMap
from annotator.domain.text import normalise_text, normalise_with_offsets, title_from_text


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def test_emoji_counts_once_in_python_and_twice_in_qt():
    text = "Great 😂 film 👵🏽 really"
    offsets = OffsetMap(text)
    film = text.index("film")
    assert offsets.to_utf16(film) == film + 1  # one astral character before it
    really = text.index("really")
    assert offsets.to_utf16(really) == really + 3  # 😂, 👵, 🏽 are astral
    assert offsets.to_codepoint(offsets.to_utf16(really)) == really
    assert offsets.utf16_length == utf16_len(text)


def test_cjk_and_combining_marks_are_one_unit_each_in_both():
    text = "映画は素晴らしい. Cafe\u0301 Sigri\u0301ður"
    offsets = OffsetMap(text)
    for i in range(len(text) + 1):
        assert offsets.to_utf16(i) == i
        assert offsets.to_codepoint(i) == i


def test_position_inside_a_surrogate_pair_rounds_down_to_the_character():
    text = "a😂b"
    offsets = OffsetMap(text)
    assert offsets.to_codepoint(2) == 1  # between the halves of 😂
    assert offsets.to_codepoint(3) == 2


@given(st.text())
def test_conversion_matches_utf16_encoding_everywhere(text):
    offsets = OffsetMap(text)
    for i in range(len(text) + 1):
        u = offsets.to_utf16(i)
        assert u == utf16_len(text[:i])
        assert offsets.to_codepoint(u) == i


def test_newlines_are_normalised_and_offsets_follow():
    raw = "\ufeffTitle\r\nFirst line\rsecond\u2028third\r\n"
    text, remap = normalise_with_offsets(raw)
    assert text == "Title\nFirst line\nsecond\nthird\n"
    start = raw.index("second")
    assert text[remap(start):remap(start + len("second"))] == "second"
    start = raw.index("third")
    assert text[remap(start):remap(start) + 5] == "third"
    assert normalise_text("a\r\n\r\nb") == "a\n\nb"


def test_title_is_first_non_empty_line_shortened_at_a_word():
    assert title_from_text("\n\n  # The Quiet Harbour \nbody", "file") == "The Quiet Harbour"
    assert title_from_text("   \n", "file-name") == "file-name"
    long = "word " * 40
    title = title_from_text(long, "x")
    assert len(title) <= 81 and title.endswith("…") and not title.startswith(" ")
