"""Scraped text is tidied once: no trailing spaces, one blank line at most, no repeats."""

from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.text import clean_text


def paragraphs(text: str) -> list[str]:
    """Blocks apart by blank lines (lines of only spaces are blank), each stripped."""
    blocks, lines = [], []
    for line in [*text.split("\n"), ""]:
        if line.strip():
            lines.append(line.rstrip())
        elif lines:
            blocks.append("\n".join(lines).strip())
            lines = []
    return blocks


def test_trailing_spaces_and_runs_of_blank_lines_go():
    raw = "\n\n  First line   \nsecond line\t\n\n\n \n\t\nNext paragraph. \n\n"
    assert clean_text(raw) == "  First line\nsecond line\n\nNext paragraph."


def test_a_paragraph_repeated_word_for_word_is_kept_once_where_it_first_came():
    raw = ("“A triumph.”\n\nThe film opens at sea.\n\n  “A triumph.”  \n\n"
           "It ends on land.\n\n“A triumph.”")
    assert clean_text(raw) == "“A triumph.”\n\nThe film opens at sea.\n\nIt ends on land."


def test_similar_paragraphs_and_repeated_lines_inside_one_stay():
    raw = "Great.\nGreat.\n\nGreat!\n\ngreat."
    assert clean_text(raw) == raw


def test_empty_and_blank_text_become_empty():
    assert clean_text("") == ""
    assert clean_text(" \n\t\n  ") == ""


_SCRAPED = st.lists(
    st.one_of(st.sampled_from(["", " ", "\t", "Same paragraph.", "Same paragraph.  ", "x"]),
              st.text(st.characters(blacklist_characters="\r\u2028\u2029"), max_size=20)),
    max_size=30).map("\n".join)


@given(_SCRAPED)
def test_cleaning_twice_changes_nothing_and_loses_only_repeats(raw):
    cleaned = clean_text(raw)
    assert clean_text(cleaned) == cleaned
    assert cleaned == cleaned.strip("\n")
    assert "\n\n\n" not in cleaned
    assert all(line == line.rstrip() for line in cleaned.split("\n"))
    kept = paragraphs(cleaned)
    assert len(kept) == len(set(kept))
    assert set(kept) == set(paragraphs(raw))
