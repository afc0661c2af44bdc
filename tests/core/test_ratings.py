"""A review's stated rating is found as written and read on a 0–1 scale; look-alikes are not."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.ratings import GRADE_VALUES, detect_rating, normalise_rating


@pytest.mark.parametrize("text, raw, value", [
    ("All told I'd give it 7 out of 10.", "7 out of 10", 0.7),
    ("A flawed but moving film. 7/10", "7/10", 0.7),
    ("Sharp, funny, too long: 8.5/10.", "8.5/10", 0.85),
    ("The battery alone earns it 3.5/5", "3.5/5", 0.7),
    ("I give it 3.5 / 5 and no more.", "3.5 / 5", 0.7),
    ("Easily 4 stars.", "4 stars", 0.8),
    ("A four-hander that works: 4 out of 5 stars", "4 out of 5 stars", 0.8),
    ("Ebert-style: 3 out of 4 stars.", "3 out of 4 stars", 0.75),
    ("An 85/100 from me.", "85/100", 0.85),
    ("Scores 72 out of 100 overall.", "72 out of 100", 0.72),
    ("A lovely film ★★★½", "★★★½", 0.7),
    ("Our verdict ★★★☆☆ for a middling sequel", "★★★☆☆", 0.6),
    ("Rating: ★★★½☆", "★★★½☆", 0.7),
    ("Ten-star scale ★★★★★★★☆☆☆", "★★★★★★★☆☆☆", 0.7),
    ("Grade: B+", "B+", 0.75),
    ("Rating: A-", "A-", 0.8333),
    ("Verdict: C", "C", 0.4167),
    ("Grade: B– (typeset dash)", "B–", 0.5833),
    ("Clumsy, but it grows on you.\n\nB+\n", "B+", 0.75),
    ("Rating: 4/5", "4/5", 0.8),
    ("Score: 10/10", "10/10", 1.0),
    ("Rating: ★", "★", 0.2),
    ("Zero: 0/10", "0/10", 0.0),
])
def test_ratings_as_reviews_write_them(text, raw, value):
    assert detect_rating(text) == (raw, value)


@pytest.mark.parametrize("text", [
    "Support is open 24/7, which is nice.",
    "A film about 9/11 and its aftermath.",
    "Only 1/2 of the cast can act.",
    "About 4/5 of the audience left early.",
    "Released on 12/05/2024 in most markets.",
    "Seen on 5/10/2024 at the festival.",
    "It drags for 5/10 minutes in the middle.",
    "3 out of 4 friends hated it.",
    "3 out of 5 friends hated it.",
    "9 out of 10 people will love it.",
    "Screening on 10/10 at 9 in the big hall.",
    "Tickets for 10/10 at 9pm sold out.",
    "11/10, would watch again.",
    "Six stars: 6/5 is no rating, nor is 6 stars.",
    "It made my Top 10 of the year.",
    "The two stars, and the 2 stars of the film, are wonderful.",
    "Part 4/5 of the series is the weakest.",
    "Verdict: A must-see for fans.",
    "Vitamin C, grade A beef and a plan B.",
    "★ Editor's pick",
    "The runtime is 1½ hours.",
    "★★★★★★★ without empty stars is off the scale",
    "",
])
def test_look_alikes_are_not_ratings(text):
    assert detect_rating(text) is None


def test_a_labelled_rating_wins_over_a_later_one_in_passing():
    text = ("Last year's entry got 5/10 from me.\n\nScore: 8/10\n\n"
            "Even at 6/10 the sequel would be worth it.")
    assert detect_rating(text) == ("8/10", 0.8)


def test_a_rating_alone_on_its_line_wins_over_one_in_a_sentence():
    text = "My verdict:\n\n★★★★☆\n\nFriends said it was 2/5 at best, but they are wrong."
    assert detect_rating(text) == ("★★★★☆", 0.8)


def test_without_label_or_own_line_the_last_rating_is_the_verdict():
    text = "The original was a 6/10. This one, at a solid 8/10, is better."
    assert detect_rating(text) == ("8/10", 0.8)


def test_out_of_five_stars_is_one_rating_not_also_five_stars():
    assert detect_rating("4 out of 5 stars. Recommended.") == ("4 out of 5 stars", 0.8)


def test_letter_grades_run_evenly_from_f_to_a_plus():
    order = ["F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+"]
    values = [GRADE_VALUES[g] for g in order]
    assert values[0] == 0.0 and values[-1] == 1.0 and GRADE_VALUES["C+"] == 0.5
    assert values == sorted(values) and len(set(values)) == len(values)


@pytest.mark.parametrize("cell, value", [
    ("4", 0.8), ("5", 1.0), ("0", 0.0), ("7", 0.7), ("8.5", 0.85), ("85", 0.85),
    ("100", 1.0), (" 4 ", 0.8), ("3,5", 0.7), ("85%", 0.85),
    ("4/5", 0.8), ("8.5/10", 0.85), ("14/20", 0.7), ("3/4", 0.75),
    ("B+", 0.75), ("b+", 0.75), ("A", 0.9167), ("F", 0.0),
    ("★★★★", 0.8), ("★★★½", 0.7), ("4 stars", 0.8), ("4 out of 5", 0.8),
])
def test_spreadsheet_ratings(cell, value):
    assert normalise_rating(cell) == value


@pytest.mark.parametrize("cell", [
    "", "  ", "101", "250", "-3", "6/5", "1,000", "great", "E", "4/0", "24/7 support",
    "12/05/2024",
])
def test_spreadsheet_cells_that_are_no_rating(cell):
    assert normalise_rating(cell) is None


@given(st.text(max_size=200))
def test_any_text_gives_none_or_a_value_from_its_own_text(text):
    found = detect_rating(text)
    if found is not None:
        raw, value = found
        assert raw and raw in text
        assert 0.0 <= value <= 1.0 and value == round(value, 4)


@given(st.text(max_size=40))
def test_any_cell_gives_none_or_a_value_on_the_scale(cell):
    value = normalise_rating(cell)
    assert value is None or 0.0 <= value <= 1.0


@pytest.mark.parametrize(("text", "found"), [
    ("Ebert gave it 3.5 stars out of 4.", ("3.5 stars out of 4", 0.875)),
    ("★★★ out of 4", ("★★★ out of 4", 0.75)),
    ("a 10/10 cast wasted on a bad script", None),
    ("A 5-star cast in a 2-star script", None),
    ("I'm 5/5 through the series", None),
    ("Date: 5/10", None),
    ("A 5-star film.", ("5-star", 1.0)),
])
def test_scales_given_with_stars_and_numbers_that_describe_something_else(text, found):
    assert detect_rating(text) == found
