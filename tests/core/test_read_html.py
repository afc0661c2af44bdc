"""A saved review page becomes one document holding the review, and nothing around it."""

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.io.readers.html import read_html
from annotator.io.records import ReadError

ARTICLE = [
    "The Long Quiet opens on a lighthouse keeper who has not spoken in eleven years, and for "
    "its first forty minutes the film barely speaks either. Director Ana Ruiz trusts her "
    "images: the grey sea, the lamp turning, a kettle that never quite boils.",
    "When the stranger washes ashore the film changes key. The performances are restrained, "
    "almost too restrained, and the middle act drags as the two circle each other in silence.",
    "It is a slow, stubborn, beautiful film that will test some viewers and reward the patient "
    "ones. The ending, which I will not spoil, lands with real force.",
]

REVIEW_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>The Long Quiet review | Reel Notes</title>
<meta name="author" content="Maria Okafor">
<meta property="og:site_name" content="Reel Notes">
<meta property="article:published_time" content="2024-03-14">
</head><body>
<nav class="menu"><ul><li><a href="/">Home page</a></li><li><a href="/reviews">All our
reviews</a></li><li><a href="/about">About the team</a></li></ul></nav>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your browsing.
<button>Accept all cookies</button></div>
<article>
<h1>The Long Quiet</h1>
<p>{ARTICLE[0]}</p>
<p>{ARTICLE[1].replace("performances", "<b>performances</b>")}</p>
<p>{ARTICLE[2]}</p>
</article>
<section id="comments" class="comments"><h3>Reader comments</h3>
<div class="comment"><p>I walked out after an hour, so boring honestly, what a waste.</p></div>
<div class="comment"><p>Best film of the year, the storm scene gave me chills.</p></div>
</section>
<footer><p>Copyright 2024 Reel Notes. All rights reserved. Privacy policy.</p></footer>
</body></html>"""


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body><article>{body}</article></body></html>"


def test_a_review_page_keeps_the_article_and_drops_the_page_around_it():
    [doc] = read_html(REVIEW_PAGE.encode("utf-8"), "reviews/long-quiet.html")
    for paragraph in ARTICLE:
        assert paragraph in doc.text
    for boilerplate in ("Home page", "All our", "cookies", "Reader comments", "walked out",
                        "gave me chills", "Copyright", "Privacy"):
        assert boilerplate not in doc.text
    # Paragraphs apart by one blank line, and no markup of any kind.
    assert f"{ARTICLE[0]}\n\n{ARTICLE[1]}\n\n{ARTICLE[2]}" in doc.text
    assert "<" not in doc.text and "**" not in doc.text


def test_title_author_date_and_site_go_into_meta():
    [doc] = read_html(REVIEW_PAGE.encode("utf-8"), "reviews/long-quiet.html")
    assert doc.meta["author"] == "Maria Okafor"
    assert doc.meta["date"] == "2024-03-14"
    assert doc.meta["site"] == "Reel Notes"
    assert doc.title == doc.meta["title"]
    assert "Long Quiet" in doc.title
    assert "encoding" not in doc.meta  # plain UTF-8 is not worth a note


def test_a_page_without_a_title_is_named_by_its_first_line():
    html = "<html><body><div><p>A fine little thriller.</p><p>Go see it.</p></div></body></html>"
    [doc] = read_html(html.encode(), "saved/thriller.html")
    assert doc.title == "A fine little thriller."
    assert doc.text == "A fine little thriller.\n\nGo see it."


def test_lists_and_line_breaks_stay_on_their_own_lines_without_bullets():
    html = page("<p>The good and the bad, in short, for readers in a hurry.</p>"
                "<ul><li>Gorgeous photography</li><li>A <i>dreadful</i> score</li></ul>"
                "<p>First line of the last word<br>and its second line.</p>")
    [doc] = read_html(html.encode(), "r.html")
    assert "\n\nGorgeous photography\nA dreadful score\n\n" in doc.text
    assert "First line of the last word\nand its second line." in doc.text
    assert "- " not in doc.text and "*" not in doc.text


def test_a_spec_table_reads_as_rows_of_tab_separated_cells():
    html = page("<p>The specifications, as measured in our own lab over a week of use.</p>"
                "<table><tr><th>Battery</th><th>Weight</th></tr>"
                "<tr><td>10 h</td><td>1.2 kg</td></tr></table>")
    [doc] = read_html(html.encode(), "r.html")
    assert "\n\nBattery\tWeight\n10 h\t1.2 kg" in doc.text
    assert "|" not in doc.text


def test_repeated_paragraphs_are_left_for_the_importer_to_clean():
    quote = "<p>A triumph of quiet cinema.</p>"
    html = page(f"{quote}<p>The film opens at sea and stays there for an hour.</p>{quote}")
    [doc] = read_html(html.encode(), "r.html")
    assert doc.text.count("A triumph of quiet cinema.") == 2


@pytest.mark.parametrize("declaration", ['<meta charset="windows-1252">',
                                         "<meta charset=windows-1252/>"])
def test_a_cp1252_page_declaring_its_charset_keeps_its_accents(declaration):
    html = page("<p>Jean-Pierre Jeunet’s Amélie is a café fable, naïve and déjà vu in the "
                "best sense: “charming” is the word — and it still is.</p>"
                "<p>The crème brûlée scene is perfect, and Tautou is luminous.</p>",
                head=f"{declaration}<title>Amélie, revisited</title>")
    [doc] = read_html(html.encode("cp1252"), "amelie.html")
    assert "Jeunet’s Amélie is a café fable, naïve and déjà vu" in doc.text
    assert "“charming” is the word — and" in doc.text
    assert "crème brûlée" in doc.text
    assert doc.title == "Amélie, revisited"
    assert doc.meta["encoding"] == "cp1252"


def test_the_declared_charset_wins_over_detection():
    # Byte A4 is € in ISO-8859-15 and ¤ in cp1252, which detection would prefer.
    html = page("<p>Tickets cost 12 € at the festival, which is a bargain for a film "
                "this good.</p><p>Go early; the queue is long.</p>",
                head='<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-15">')
    [doc] = read_html(html.encode("iso-8859-15"), "festival.html")
    assert "12 € at the festival" in doc.text
    assert doc.meta["encoding"] == "iso8859-15"


def test_a_wrong_or_unknown_charset_falls_back_to_detection():
    text = "<p>Amélie is a café fable, naïve and charming, and it is still lovely today.</p>"
    for head in ('<meta charset="utf-8">', '<meta charset="no-such-charset">'):
        [doc] = read_html(page(text, head).encode("cp1252"), "amelie.html")
        assert "Amélie is a café fable, naïve" in doc.text


def test_charset_mentioned_outside_a_declaration_is_no_declaration():
    # KOI8-R decodes any bytes, so were this taken as a declaration the UTF-8 would be garbled.
    text = "<p>Amélie is a café fable, naïve and charming, and it is still lovely today.</p>"
    head = '<meta name="description" content="charset=koi8-r"><meta data-charset="koi8-r">'
    [doc] = read_html(page(text, head).encode("utf-8"), "amelie.html")
    assert "Amélie is a café fable, naïve" in doc.text


@pytest.mark.parametrize("data", [
    b"<html><head><title>Nothing here</title></head><body></body></html>",
    b"<html><body><script>var reviews = [];</script><style>p {}</style></body></html>",
])
def test_a_page_without_review_text_is_refused(data):
    with pytest.raises(ReadError, match="no review text found in the page"):
        read_html(data, "empty.html")


def test_an_empty_file_is_refused():
    with pytest.raises(ReadError, match="empty"):
        read_html(b"", "empty.html")


def test_the_extractor_says_nothing_and_its_loggers_are_left_as_they_were(caplog):
    logger = logging.getLogger("trafilatura")
    before = logger.level
    with caplog.at_level(logging.DEBUG), pytest.raises(ReadError):
        read_html(b"<html><body></body></html>", "empty.html")
    assert not [r for r in caplog.records if r.name.startswith(("trafilatura", "htmldate"))]
    assert logger.level == before


_TAGS = st.sampled_from(["<html>", "<body>", "<p>", "</p>", "<article>", "<br>", "<meta ",
                         'charset="', "windows-1252", "utf-8", '">', "<ul><li>", "<!--",
                         "<?xml version='1.0' encoding='latin-1'?>", "<script>", "<table>"])
_HTMLISH = st.lists(st.one_of(_TAGS, st.text(max_size=30)), max_size=25).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=600), _HTMLISH.map(lambda s: s.encode("utf-8", "replace")),
                 _HTMLISH.map(lambda s: s.encode("cp1252", "replace"))))
def test_any_bytes_give_documents_or_a_read_error(data):
    try:
        records = read_html(data, "fuzz.html")
    except ReadError:
        return
    [doc] = records
    assert doc.text and doc.text == doc.text.strip()
    assert "\r" not in doc.text and "\n\n\n" not in doc.text
    assert doc.title
