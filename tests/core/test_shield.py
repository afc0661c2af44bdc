"""The spoiler shield hides merged spoiler ranges and keeps the review's paragraphs."""

from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.model import Span
from annotator.domain.shield import (
    breaks_around,
    hidden_ranges,
    reading_parts,
    spoiler_free_text,
)


def span(start: int, end: int, text: str = "") -> Span:
    return Span(f"s{start}-{end}", 1, "mira", "spoiler", start, end, text[start:end])


def span_of(text: str, words: str) -> Span:
    start = text.index(words)
    return span(start, start + len(words), text)


def test_overlapping_nested_and_touching_spans_hide_one_range_each():
    spans = [span(10, 20), span(12, 15), span(18, 25), span(25, 30), span(40, 45), span(3, 3)]
    assert hidden_ranges(spans) == [(10, 30), (40, 45)]  # the empty span hides nothing


def test_two_annotators_marking_the_same_spoiler_hide_it_once():
    text = "It ends with the keeper alive. Great."
    twice = [span_of(text, "the keeper alive"), span_of(text, "the keeper alive")]
    assert spoiler_free_text(text, twice) == "It ends with [spoiler]. Great."


def test_reading_parts_mark_what_is_hidden_in_order():
    text = "Good cast. The butler did it. Slow middle."
    assert reading_parts(text, [span_of(text, "The butler did it.")]) == [
        ("Good cast. ", False), ("The butler did it.", True), (" Slow middle.", False)]


def test_offsets_after_an_emoji_are_code_points():
    text = "Great 😂 film. The twist: 👵🏽 is the killer. Go see it."
    killer = span_of(text, "👵🏽 is the killer")
    assert killer.start == text.index("👵")  # one code point per emoji, as Python counts
    parts = reading_parts(text, [killer])
    assert parts[1] == ("👵🏽 is the killer", True)
    assert spoiler_free_text(text, [killer]) == "Great 😂 film. The twist: [spoiler]. Go see it."


def test_no_spans_leave_the_text_unchanged():
    text = "A quiet film.\n\nNothing to hide."
    assert spoiler_free_text(text, []) == text
    assert reading_parts(text, []) == [(text, False)]
    assert reading_parts("", []) == []


def test_placeholder_once_per_merged_range():
    text = "A: the dog dies and the cat lives. B: the ship sinks."
    spans = [span_of(text, "the dog dies"), span_of(text, "dies and the cat lives"),
             span_of(text, "the ship sinks")]
    assert spoiler_free_text(text, spans, placeholder="█") == "A: █. B: █."


def test_a_spoiler_across_paragraphs_keeps_one_paragraph_break():
    text = "The end: he was alive\n\nall along. And the dog\n\nis fine. Verdict: 8/10."
    hidden = span_of(text, "he was alive\n\nall along. And the dog\n\nis fine.")
    assert spoiler_free_text(text, [hidden]) == "The end: [spoiler]\n\n Verdict: 8/10."


def test_a_hidden_whole_paragraph_stays_a_paragraph_of_its_own():
    text = "Before.\n\nThe twist is that she is the ghost.\n\nAfter."
    for words in ["The twist is that she is the ghost.", "\n\nThe twist is that she is the ghost.",
                  "The twist is that she is the ghost.\n\n",
                  "\n\nThe twist is that she is the ghost.\n\n"]:
        assert spoiler_free_text(text, [span_of(text, words)]) == "Before.\n\n[spoiler]\n\nAfter."


def test_a_spoiler_ending_its_paragraph_keeps_the_break_after_it():
    text = "Ending: the twins swap places.\nNext line."
    hidden = span_of(text, "the twins swap places.\n")
    assert spoiler_free_text(text, [hidden]) == "Ending: [spoiler]\nNext line."


def test_a_line_break_stays_a_line_break():
    text = "One: she\nlives. Two."
    assert spoiler_free_text(text, [span_of(text, "she\nlives.")]) == "One: [spoiler]\n Two."


def test_spans_past_the_end_of_the_text_hide_only_what_is_there():
    assert reading_parts("abc", [span(1, 10)]) == [("a", False), ("bc", True)]


texts = st.text(alphabet=st.sampled_from("ab é😂\n\t.字"), max_size=60)


@st.composite
def text_and_spans(draw):
    text = draw(texts)
    n = len(text)
    spans = []
    for _ in range(draw(st.integers(0, 5))):
        start = draw(st.integers(0, n))
        end = draw(st.integers(start, n))
        spans.append(span(start, end, text))
    return text, spans


@given(text_and_spans())
def test_reading_parts_join_back_to_the_text_and_alternate(case):
    text, spans = case
    parts = reading_parts(text, spans)
    assert "".join(piece for piece, _ in parts) == text
    assert all(piece for piece, _ in parts)
    assert all(a[1] != b[1] for a, b in zip(parts, parts[1:], strict=False))


@given(text_and_spans())
def test_hidden_ranges_cover_exactly_the_spans_positions(case):
    text, spans = case
    ranges = hidden_ranges(spans)
    covered = {i for r in ranges for i in range(*r)}
    assert covered == {i for s in spans for i in range(s.start, s.end)}
    # Sorted, and apart: a gap of at least one visible character between ranges.
    assert all(a[1] < b[0] for a, b in zip(ranges, ranges[1:], strict=False))


@given(text_and_spans())
def test_spoiler_free_text_keeps_every_visible_character_and_no_hidden_one(case):
    text, spans = case
    free = spoiler_free_text(text, spans, placeholder="▒")
    parts = reading_parts(text, spans)
    assert free.count("▒") == sum(hidden for _, hidden in parts)
    visible = "".join(piece for piece, hidden in parts if not hidden)
    # Only whitespace of hidden pieces survives (the kept line breaks), never their words.
    assert "".join(free.replace("▒", "").split()) == "".join(visible.split())
    # Visible text keeps its order: it is a subsequence of the spoiler-free text.
    rest = iter(free)
    assert all(ch in rest for ch in visible)


@given(st.text(alphabet=st.sampled_from("ab \n\t"), min_size=1, max_size=30))
def test_a_hidden_piece_keeps_a_line_break_exactly_when_it_had_one(hidden):
    before, after = breaks_around(hidden)
    assert ("\n" in before + after) == ("\n" in hidden)
    assert not (before + after).strip()  # whitespace only
