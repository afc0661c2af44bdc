"""brat standoff: a review's .txt and its .ann become one document with labelled spans."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.io.readers.brat import read_brat
from annotator.io.records import ReadError, ReadErrors, ReadOptions

REVIEW = ("Harbour Lights\n"
          "The keeper's daughter is the ghost all along.\n"
          "Lovely photography, clumsy plot.\n")


def at(text: str, piece: str) -> str:
    """brat offsets of `piece` in `text`: 'start end'."""
    start = text.index(piece)
    return f"{start} {start + len(piece)}"


def spans_of(docs):
    [doc] = docs
    return [(s.label, doc.text[s.start:s.end], s.text, s.note, s.annotator) for s in doc.spans]


def errors_of(call) -> list[str]:
    with pytest.raises(ReadErrors) as caught:
        call()
    return [str(e) for e in caught.value.errors]


def test_text_bound_annotations_become_spans_with_their_labels_as_written():
    ann = (f"T1\tSpoiler {at(REVIEW, 'the ghost all along')}\tthe ghost all along\n"
           f"T2\tPlot-hole {at(REVIEW, 'clumsy plot')}\tclumsy plot\n"
           f"T3\tPraise_visual {at(REVIEW, 'Lovely photography')}\tLovely photography\n")
    docs = read_brat(REVIEW.encode(), ann.encode(), "reviews/harbour.txt")
    assert docs[0].title == "Harbour Lights" and docs[0].text == REVIEW
    assert spans_of(docs) == [
        ("Spoiler", "the ghost all along", "the ghost all along", None, "brat"),
        ("Plot-hole", "clumsy plot", "clumsy plot", None, "brat"),
        ("Praise_visual", "Lovely photography", "Lovely photography", None, "brat"),
    ]
    assert docs.notes == []


def test_offsets_count_emoji_as_one_and_crlf_as_two_and_land_on_the_stored_text():
    raw = "Night Ferry 🚢🌊\r\nThe captain 🧭 was dead from the start.\r\nSkip it.\r\n"
    ann = (f"T1\tSpoiler {at(raw, 'was dead from the start')}\twas dead from the start\n"
           f"T2\tVerdict {at(raw, 'Skip it')}\tSkip it\n")
    docs = read_brat(raw.encode(), ann.encode(), "ferry.txt")
    assert docs[0].text == raw.replace("\r\n", "\n")
    assert [(s.label, s.start, s.end) for s in docs[0].spans] == [
        ("Spoiler", 29, 52), ("Verdict", 54, 61)]
    assert [t for _, t, *_ in spans_of(docs)] == ["was dead from the start", "Skip it"]


def test_utf16_offsets_when_asked():
    raw = "Comet 🌠 review: the twist is fine."
    start = len(raw[:raw.index("the twist")].encode("utf-16-le")) // 2
    ann = f"T1\tSpoiler {start} {start + 9}\tthe twist\n"
    docs = read_brat(raw.encode(), ann.encode(), "comet.txt", ReadOptions(offsets="utf16"))
    assert [t for _, t, *_ in spans_of(docs)] == ["the twist"]


def test_a_discontinuous_annotation_becomes_one_span_per_fragment_and_is_noted():
    raw = "Glass Orchard\r\nThe sister\r\nis the thief.\r\n"
    first, second = at(raw, "The sister"), at(raw, "is the thief")
    ann = (f"T4\tSpoiler {first};{second}\tThe sister is the thief\n"
           f"T5\tTitle {at(raw, 'Glass')};{at(raw, 'Orchard')}\tGlass Orchard\n")
    docs = read_brat(raw.encode(), ann.encode(), "orchard.txt")
    assert [(label, text) for label, text, *_ in spans_of(docs)] == [
        ("Spoiler", "The sister"), ("Spoiler", "is the thief"),
        ("Title", "Glass"), ("Title", "Orchard")]
    assert docs.notes == ["T4, T5 each cover several separate pieces of text; each piece "
                          "became a span of its own"]


def test_each_fragment_is_checked_against_its_own_part_of_the_text():
    raw = "Glass Orchard\nThe sister is the thief.\n"
    ann = f"T4\tSpoiler {at(raw, 'sister')};{at(raw, 'thief')}\tsister thiff\n"
    assert errors_of(lambda: read_brat(raw.encode(), ann.encode(), "orchard.txt")) == [
        "orchard.txt, line 1, field 'text': in orchard.ann: T4: span 32-37 text 'thiff' "
        "does not match the document, which has 'thief' there"]
    ann = f"T4\tSpoiler {at(raw, 'sister')};{at(raw, 'thief')}\tsister thief and more\n"
    assert errors_of(lambda: read_brat(raw.encode(), ann.encode(), "orchard.txt")) == [
        "orchard.txt, line 1, field 'text': in orchard.ann: T4: the text "
        "'sister thief and more' is longer than what the offsets cover"]


def test_annotator_notes_become_span_notes_joined_by_new_lines():
    ann = (f"#1\tAnnotatorNotes T1\tbig reveal, hide it\n"
           f"T1\tSpoiler {at(REVIEW, 'the ghost')}\tthe ghost\n"
           f"#2\tAnnotatorNotes T1\tsecond reader agrees\n"
           f"T2\tPraise {at(REVIEW, 'Lovely')}\tLovely\n")
    docs = read_brat(REVIEW.encode(), ann.encode(), "harbour.txt")
    assert [note for *_, note, _ in spans_of(docs)] == [
        "big reveal, hide it\nsecond reader agrees", None]


def test_other_annotations_are_counted_in_a_note_not_imported():
    ann = (f"T1\tSpoiler {at(REVIEW, 'the ghost')}\tthe ghost\n"
           f"T2\tCharacter {at(REVIEW, 'daughter')}\tdaughter\n"
           "\n"
           "R1\tIs Arg1:T2 Arg2:T1\n"
           "R2\tIs Arg1:T1 Arg2:T2\n"
           "E1\tReveal:T1 Who:T2\n"
           "A1\tCertain T1\n"
           "M2\tNegated T2\n"
           "N1\tReference T2 Wiki:Q1\tdaughter\n"
           "*\tAlias T1 T2\n"
           "#1\tAnnotatorNotes R1\tthe relation is a guess\n")
    docs = read_brat(REVIEW.encode(), ann.encode(), "harbour.txt")
    assert len(docs[0].spans) == 2
    assert docs.notes == ["not imported, as Annotator has no place for them: 2 relations, "
                          "1 event, 2 attributes, 1 normalisation, 1 equivalence, "
                          "1 note on an annotation not imported"]


def test_the_annotator_is_brat_unless_named():
    ann = f"T1\tSpoiler {at(REVIEW, 'the ghost')}\tthe ghost\n"
    docs = read_brat(REVIEW.encode(), ann.encode(), "a.txt", ReadOptions(annotator="ines"))
    assert docs[0].spans[0].annotator == "ines"


def test_a_text_without_annotations_is_a_document_with_no_spans():
    for ann in (None, b"", b"\n\n"):
        docs = read_brat(REVIEW.encode(), ann, "harbour.txt")
        assert docs[0].text == REVIEW and docs[0].spans == [] and docs.notes == []


def test_a_cp1252_text_is_read_and_its_encoding_kept():
    raw = "Café Noir\r\nThe waiter did it – obviously.\r\n"
    ann = f"T1\tSpoiler {at(raw, 'The waiter did it')}\tThe waiter did it\n"
    docs = read_brat(raw.encode("cp1252"), ann.encode(), "noir.txt")
    assert docs[0].meta == {"encoding": "cp1252"}
    assert [t for _, t, *_ in spans_of(docs)] == ["The waiter did it"]


def test_every_problem_in_the_ann_is_listed_by_line_and_part_and_nothing_is_read():
    ann = (f"T1\tSpoiler {at(REVIEW, 'the ghost')}\tthe ghost\n"   # line 1: fine
           "T2\tSpoiler 10 x\tghost\n"                             # line 2
           "T3\tSpoiler 500 510\tghost\n"                          # line 3
           "T4\tSpoiler 0 7\tHarbor\n"                             # line 4
           "T1\tPraise 0 7\tHarbour\n"                             # line 5
           "T5 Spoiler 0 7 Harbour\n"                              # line 6
           "T6\t 0 7\tHarbour\n"                                   # line 7
           "#1\tAnnotatorNotes T9\tlost note\n"                    # line 8
           "#2\tAnnotatorNotes\n"                                  # line 9
           "hello there\n")                                        # line 10
    assert errors_of(lambda: read_brat(REVIEW.encode(), ann.encode(), "h.txt")) == [
        "h.txt, line 2, field 'offsets': in h.ann: T2: offsets '10 x' are not 'start end' "
        "or 'start end;start end'",
        "h.txt, line 3, field 'offsets': in h.ann: T3: span 500-510 lies outside the text "
        "(length 94)",
        "h.txt, line 4, field 'text': in h.ann: T4: span 0-7 text 'Harbor' does not match "
        "the document, which has 'Harbour' there",
        "h.txt, line 5, field 'id': in h.ann: T1 is given twice",
        "h.txt, line 6, field 'id': in h.ann: expected 'T1<tab>Label start end<tab>text' "
        "with tabs, got 'T5 Spoiler 0 7 Harbour'",
        "h.txt, line 7, field 'label': in h.ann: T6 has no label",
        "h.txt, line 8, field 'target': in h.ann: a note is about T9, which is not in the "
        "file",
        "h.txt, line 9, field 'target': in h.ann: expected '#1<tab>AnnotatorNotes "
        "T1<tab>note' with tabs, got '#2\\tAnnotatorNotes'",
        "h.txt, line 10, field 'id': in h.ann: not a brat annotation: each line starts with "
        "an id such as T1, #1, R1, E1, A1, N1 or *",
    ]


def test_an_unreadable_ann_or_text_is_an_error_naming_the_file():
    with pytest.raises(ReadError, match=r"h.txt: in h.ann: looks like a binary file"):
        read_brat(REVIEW.encode(), b"\x00\x01\x02" * 50, "h.txt")
    with pytest.raises(ReadError, match="h.txt: the file is empty"):
        read_brat(b"", b"T1\tX 0 1\tH\n", "h.txt")


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300), st.one_of(st.none(), st.binary(max_size=300)))
def test_any_bytes_give_a_document_or_read_errors(text_data, ann_data):
    try:
        read_brat(text_data, ann_data, "fuzz.txt")
    except (ReadError, ReadErrors):
        pass


@settings(max_examples=300)
@given(st.text(alphabet="ab 😀\r\n\t\u2028;#T0123456789", min_size=1, max_size=60),
       st.text(alphabet="ab 😀\r\n\t;#TRA*0123456789", max_size=80))
def test_any_ann_like_lines_give_a_document_or_read_errors(text, ann):
    try:
        read_brat(text.encode(), ann.encode(), "fuzz.txt")
    except (ReadError, ReadErrors):
        pass


@st.composite
def text_with_spans(draw):
    """A text and spans as brat writes them: never over a line break, so the .ann line
    holds the span's text."""
    text = draw(st.text(alphabet="ab 😀é\r\n\u2028", min_size=1, max_size=40))
    cuts = draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))),
                         max_size=6))
    cuts = [(min(a, b), max(a, b)) for a, b in cuts]
    return text, [(a, b) for a, b in cuts if a < b and not {"\r", "\n"} & set(text[a:b])]


@given(text_with_spans())
def test_spans_brat_could_write_always_land_on_their_text(case):
    raw, cuts = case
    ann = "\n".join(f"T{n}\tLabel {a} {b}\t{raw[a:b]}" for n, (a, b) in enumerate(cuts, 1))
    try:
        docs = read_brat(raw.encode(), ann.encode(), "p.txt")
    except ReadError:
        assert not raw.strip()  # a text of white space only
        return
    doc = docs[0]
    assert doc.text == raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    assert [doc.text[s.start:s.end] for s in doc.spans] == [
        raw[a:b].replace("\u2028", "\n") for a, b in cuts]


def test_a_text_with_a_byte_order_mark_keeps_brats_offsets():
    text = "Night Orchard\nThe twist lands."
    start = text.index("The twist") + 1  # brat counts the byte order mark as a character
    ann = f"T1\tSpoiler {start} {start + len('The twist')}\tThe twist\n"
    [doc] = read_brat(b"\xef\xbb\xbf" + text.encode(), ann.encode(), "orchard.txt")
    assert doc.text == text
    assert spans_of([doc]) == [("Spoiler", "The twist", "The twist", None, "brat")]
