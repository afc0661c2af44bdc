"""Spreadsheets as CSV or TSV: one review per row, problems named by their line in the file."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.io.readers.tabular import read_csv, read_tsv
from annotator.io.records import MAX_ERRORS, ReadError, ReadErrors, ReadOptions


def errors_of(call) -> list[str]:
    with pytest.raises(ReadErrors) as caught:
        call()
    return [str(e) for e in caught.value.errors]


def test_each_row_is_a_review_titled_by_its_title_column_with_the_rest_as_meta():
    data = (b"Title,Text,Reviewer,Year\n"
            b"Paper Lanterns,A slow film that earns its ending.,mira,2019\n"
            b"Salt Road,Two hours of dust and one good scene.,,2021\n")
    docs = read_csv(data, "films.csv")
    assert [d.text for d in docs] == ["A slow film that earns its ending.",
                                      "Two hours of dust and one good scene."]
    assert [d.title for d in docs] == ["Paper Lanterns", "Salt Road"]
    assert docs[0].meta == {"Reviewer": "mira", "Year": "2019"}
    assert docs[1].meta == {"Year": "2021"}  # the empty reviewer cell is left out
    assert [d.line for d in docs] == [2, 3]
    assert docs.notes == []


def test_without_a_title_column_the_first_line_of_the_review_is_the_title():
    data = (b'review,headline\n'
            b'"Quietly brilliant\nThe lighthouse keeper steals every scene.",\n'
            b'"Too long, too loud.",Loud\n')
    docs = read_csv(data, "films.csv")
    assert [d.title for d in docs] == ["Quietly brilliant", "Loud"]
    assert docs[0].text == "Quietly brilliant\nThe lighthouse keeper steals every scene."


def test_a_rating_column_by_any_of_its_names_also_gives_meta_rating():
    data = b"text,Stars\nThe score alone is worth the ticket.,4/5\nNothing happens.,\n"
    docs = read_csv(data, "films.csv")
    assert docs[0].meta == {"Stars": "4/5", "rating": "4/5", "rating_normalised": 0.8}
    assert docs[1].meta == {}
    data = b"text,rating,score\nThe score alone is worth the ticket.,4,81\n"
    assert read_csv(data, "films.csv")[0].meta == {"rating": "4", "score": "81",
                                                   "rating_normalised": 0.8}


def test_the_text_column_is_found_by_name_or_by_its_long_values():
    long_one = "An odd, warm film about a bakery that only opens at night, and I loved it."
    data = (f'film,comments,year\nNight Bakery,"{long_one}",2020\n'
            "Dawn,Short but sweet enough for me.,2021\n")
    docs = read_csv(data.encode(), "films.csv")
    assert [d.text for d in docs] == [long_one, "Short but sweet enough for me."]
    assert docs[0].meta == {"film": "Night Bakery", "year": "2020"}
    chosen = read_csv(data.encode(), "films.csv", ReadOptions(text_column="FILM"))
    assert [d.text for d in chosen] == ["Night Bakery", "Dawn"]
    assert chosen[0].meta == {"comments": long_one, "year": "2020"}


def test_a_long_title_column_is_not_taken_for_the_reviews():
    title = "The Extraordinarily Long and Winding Tale of the Marmalade Heist of 1987"
    data = f"title,notes\n{title},Fine.\n".encode()
    with pytest.raises(ReadError) as caught:
        read_csv(data, "films.csv")
    assert "--text-column" in str(caught.value)


def test_naming_a_missing_text_column_lists_the_columns_there_are():
    data = b"text,stars\nGood.,3\n"
    with pytest.raises(ReadError) as caught:
        read_csv(data, "films.csv", ReadOptions(text_column="body"))
    message = str(caught.value)
    assert message.startswith("films.csv, line 1: has no column named 'body'")
    assert "'text', 'stars'" in message


def test_no_column_of_reviews_says_which_columns_were_found_and_what_to_pass():
    data = b"film,year\nDune,2021\nHeat,1995\n"
    with pytest.raises(ReadError) as caught:
        read_csv(data, "films.csv")
    message = str(caught.value)
    assert "'film', 'year'" in message and "--text-column" in message


def test_cp1252_export_from_excel():
    data = "text,stars\r\n\"Café scenes, naïve hero – “lovely”.\",5\r\n".encode("cp1252")
    docs = read_csv(data, "excel.csv")
    assert docs[0].text == "Café scenes, naïve hero – “lovely”."
    assert docs[0].meta == {"stars": "5", "rating": "5", "rating_normalised": 1.0}
    assert docs.notes == ["text encoding: cp1252"]


def test_utf16_tab_separated_export_from_excel():
    data = ("Name\tReview\tGrade\r\n"
            "Zoë\t\"Ólafur's score soars;\r\nthe plot\tdoes not.\"\tB+\r\n"
            "Kai\tThe ending 🎬 lands.\t\r\n").encode("utf-16")
    docs = read_tsv(data, "excel.tsv")
    assert [d.text for d in docs] == ["Ólafur's score soars;\nthe plot\tdoes not.",
                                      "The ending 🎬 lands."]
    assert [d.title for d in docs] == ["Zoë", "Kai"]
    assert docs[0].meta == {"Grade": "B+", "rating": "B+", "rating_normalised": 0.75}
    assert [d.line for d in docs] == [2, 4]


def test_old_mac_line_endings_count_as_lines():
    data = b"text,stars\rFine.,3\r\"\",2\r"
    assert errors_of(lambda: read_csv(data, "mac.csv")) == [
        "mac.csv, line 3, field 'text': the review text is empty"]


def test_semicolons_separate_columns_where_excel_uses_them():
    data = b"text;stars\nA tender, funny film.;4\n"
    docs = read_csv(data, "films.csv")
    assert docs[0].text == "A tender, funny film." and docs[0].meta["stars"] == "4"
    assert "semicolons" in docs.notes[0]


def test_errors_name_the_physical_line_after_multi_line_reviews_and_nothing_is_read():
    data = (b'text,stars\n'                                        # line 1
            b'"The first act drags.\n\nThe second flies.",4\n'    # lines 2-4
            b'\n'                                                  # line 5, skipped
            b'"   ",2\n'                                           # line 6: blank review
            b'Fine.,3,extra\n'                                     # line 7: a cell too many
            b'"Never closed,1\nMore,2\n')                          # line 8 onwards
    assert errors_of(lambda: read_csv(data, "films.csv")) == [
        "films.csv, line 6, field 'text': the review text is empty",
        "films.csv, line 7: has 3 cells but the header row names only 2 columns",
        'films.csv, line 8: a quoted cell that starts in this row is never closed '
        '(a missing ")',
    ]


def test_text_after_a_closing_quote_is_an_error_on_its_line():
    data = b'text,stars\nGood.,1\n"Quoted" then not,2\nAlso good.,3\n'
    assert errors_of(lambda: read_csv(data, "films.csv")) == [
        'films.csv, line 3: text follows a closing quote; a quote inside a quoted cell is '
        'written ""']


def test_a_nul_character_is_an_error_on_its_line():
    data = "text\tstars\r\nFine.\t1\r\nBro\x00ken.\t2\r\n".encode("utf-16")
    assert errors_of(lambda: read_tsv(data, "films.tsv")) == [
        "films.tsv, line 3: contains a NUL character, which is not text"]


def test_empty_rows_are_skipped_and_short_rows_have_empty_cells():
    data = b"text,stars,year\n,,\nGood.\n\nBetter.,5\n"
    docs = read_csv(data, "films.csv")
    assert [(d.text, d.meta) for d in docs] == [
        ("Good.", {}), ("Better.", {"stars": "5", "rating": "5", "rating_normalised": 1.0})]


def test_empty_and_repeated_header_names_are_made_unique_and_reported():
    data = b"text,,Year,year\nGood.,x,2001,2002\n"
    docs = read_csv(data, "films.csv")
    assert docs[0].meta == {"column 2": "x", "Year": "2001", "year (column 4)": "2002"}
    assert docs.notes == ["columns renamed to tell them apart: column 2 (no name) is "
                          "'column 2'; column 4 ('year' again) is 'year (column 4)'"]


def test_a_megabyte_review_fits():
    review = "Long. " * 200_000
    docs = read_csv(f'text\n"{review}"\n'.encode(), "long.csv")
    assert docs[0].text == review


def test_a_header_without_rows_or_no_header_at_all_is_an_error():
    with pytest.raises(ReadError, match="films.csv, line 1: has a header row but no rows"):
        read_csv(b"text,stars\n\n", "films.csv")
    with pytest.raises(ReadError, match="has no header row"):
        read_tsv("\t\r\n".encode("utf-16"), "films.tsv")
    with pytest.raises(ReadError, match="films.csv: the file is empty"):
        read_csv(b"", "films.csv")


def test_a_file_of_bad_rows_lists_at_most_max_errors():
    data = b"text,stars\n" + b'" ",1\n' * (MAX_ERRORS + 10)
    errors = errors_of(lambda: read_csv(data, "films.csv"))
    assert len(errors) == MAX_ERRORS
    assert errors[0] == "films.csv, line 2, field 'text': the review text is empty"


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.booleans())
def test_any_bytes_give_reviews_or_read_errors(data, tabs):
    try:
        (read_tsv if tabs else read_csv)(data, "fuzz")
    except (ReadError, ReadErrors):
        pass


@settings(max_examples=300)
@given(st.text(alphabet='ab é😀,;\t"\n\r\x00', max_size=80), st.booleans(),
       st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_any_spreadsheet_like_text_gives_reviews_or_read_errors(text, tabs, encoding):
    data = ("text,stars\n" + text).encode(encoding, "replace")
    try:
        docs = (read_tsv if tabs else read_csv)(data, "fuzz")
    except (ReadError, ReadErrors):
        return
    assert all(d.text.strip() and "\r" not in d.text for d in docs)


def test_a_rating_column_is_read_on_one_scale_for_the_whole_column():
    data = b"title,review,score\nA,Fine film.,5\nB,Better film.,6\nC,Poor film.,2\nD,Odd one.,B+\n"
    docs = read_csv(data, "imdb.csv")
    assert [d.meta["rating_normalised"] for d in docs] == [0.5, 0.6, 0.2, 0.75]
    assert [d.meta["rating"] for d in docs] == ["5", "6", "2", "B+"]
