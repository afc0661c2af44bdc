"""CoNLL BIO and CSV exports: what a tagger or a spreadsheet gets from annotated reviews."""

import csv
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.io.records import DocumentRecord, SpanRecord
from annotator.io.writers.conll import write_conll
from annotator.io.writers.csv_spans import HEADER, write_csv_spans

TOKEN = re.compile(r"\w+|[^\w\s]")
REVIEW = ("Loved it 😂. The 映画 looks great, but the twist ruins the ending: "
          "Anna was dead all along!\nNot recommended.")
LABELS = ["spoiler", "plot hole"]


def span(label: str, piece: str, annotator: str = "ana", text: str = REVIEW,
         note: str | None = None) -> SpanRecord:
    start = text.index(piece)
    return SpanRecord(annotator, label, start, start + len(piece), piece, note)


def review(*spans: SpanRecord, text: str = REVIEW, id: str = "r1") -> DocumentRecord:
    return DocumentRecord(text, "Harbour Lights", id, spans=list(spans))


def conll(records, labels=LABELS, mode="priority"):
    out = io.StringIO()
    stats = write_conll(records, out, labels, mode)
    return out.getvalue(), stats


def read_conll(data: str) -> list[list[list[list[str]]]]:
    """A small CoNLL reader: documents, each a list of sentences of rows (columns)."""
    documents: list = []
    sentence: list = []
    for line in data.split("\n"):
        if not line.strip():
            if sentence:
                documents[-1].append(sentence)
            sentence = []
        elif line.split(" ")[0] == "-DOCSTART-":
            assert not sentence
            documents.append([])
        else:
            sentence.append(line.split(" "))
    assert not sentence, "the file ends with a blank line"
    return documents


def bio_entities(tags: list[str]) -> list[tuple[str, int, int]]:
    """Strict BIO: (type, first token, token after the last); an I- must continue a B-."""
    entities: list[list] = []
    for i, tag in enumerate(tags):
        if tag.startswith("B-"):
            entities.append([tag[2:], i, i + 1])
        elif tag.startswith("I-"):
            assert entities and entities[-1][0] == tag[2:] and entities[-1][2] == i, tags
            entities[-1][2] = i + 1
        else:
            assert tag == "O", tag
    return [tuple(e) for e in entities]


def entities_of(data: str, column: int) -> list[list[tuple[str, int, int]]]:
    """Per document, the entities of one tag column, by token index in the document."""
    found = []
    for document in read_conll(data):
        rows = [row for sentence in document for row in sentence]
        found.append(bio_entities([row[column] for row in rows]))
    return found


def as_offsets(text: str, entities) -> set[tuple[str, int, int]]:
    tokens = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
    return {(label, tokens[first][0], tokens[stop - 1][1]) for label, first, stop in entities}


def offsets(*spans: SpanRecord) -> set[tuple[str, int, int]]:
    return {(s.label.replace(" ", "_"), s.start, s.end) for s in spans}


# CoNLL


def test_each_review_starts_with_docstart_and_has_one_token_a_line_in_four_columns():
    data, stats = conll([review(), review(text="Dull.", id="r2")])
    assert data.startswith("-DOCSTART- -X- -X- O\n\n")
    assert data.count("-DOCSTART- -X- -X- O\n\n") == 2
    first, second = read_conll(data)
    rows = [row for sentence in first for row in sentence]
    assert all(len(row) == 4 and row[1:3] == ["-X-", "_"] for row in rows)
    assert [row[0] for row in rows] == TOKEN.findall(REVIEW)
    assert "😂" in [row[0] for row in rows] and "映画" in [row[0] for row in rows]
    assert [[row[0] for row in s] for s in second] == [["Dull", "."]]
    assert (stats.documents, stats.spans, stats.not_written) == (2, 0, {})


def test_sentences_end_at_a_full_stop_bang_or_question_before_a_space_and_at_newlines():
    data, _ = conll([review()])
    [document] = read_conll(data)
    assert [" ".join(row[0] for row in sentence) for sentence in document] == [
        "Loved it 😂 .",
        "The 映画 looks great , but the twist ruins the ending : Anna was dead all along !",
        "Not recommended .",
    ]


def test_a_review_without_words_is_a_docstart_alone():
    data, stats = conll([review(text="   \n")])
    assert data == "-DOCSTART- -X- -X- O\n\n" and stats.documents == 1


def test_overlapping_spans_of_two_labels_keep_the_earlier_label_and_count_the_other():
    spoiler = span("spoiler", "Anna was dead all along")
    hole = span("plot hole", "the twist ruins the ending: Anna")
    data, stats = conll([review(hole, spoiler)])
    assert as_offsets(REVIEW, entities_of(data, 3)[0]) == offsets(spoiler)
    assert stats.spans == 1
    assert stats.not_written == {"overlaps a span of a higher-priority label": 1}

    data, stats = conll([review(hole, spoiler)], labels=["plot hole", "spoiler"])
    assert as_offsets(REVIEW, entities_of(data, 3)[0]) == offsets(hole)
    assert stats.not_written == {"overlaps a span of a higher-priority label": 1}


def test_columns_mode_keeps_overlapping_spans_of_different_labels_in_their_own_columns():
    spoiler = span("spoiler", "Anna was dead all along")
    hole = span("plot hole", "the twist ruins the ending: Anna", annotator="ben")
    data, stats = conll([review(spoiler, hole)], mode="columns")
    assert data.startswith("-DOCSTART- O O\n\n")
    assert all(len(row) == 3 for s in read_conll(data)[0] for row in s)
    assert as_offsets(REVIEW, entities_of(data, 1)[0]) == offsets(spoiler)
    assert as_offsets(REVIEW, entities_of(data, 2)[0]) == offsets(hole)
    assert "Anna B-spoiler I-plot_hole\n" in data
    assert (stats.spans, stats.not_written) == (2, {})


@pytest.mark.parametrize("mode", ["priority", "columns"])
def test_of_two_overlapping_spans_of_one_label_the_later_is_counted(mode):
    # two annotators marked the same spoiler a little differently
    whole = span("spoiler", "the twist ruins the ending")
    part = span("spoiler", "ruins the ending: Anna", annotator="ben")
    data, stats = conll([review(part, whole)], mode=mode)
    column = 3 if mode == "priority" else 1
    assert as_offsets(REVIEW, entities_of(data, column)[0]) == offsets(whole)
    assert stats.spans == 1
    assert stats.not_written == {"overlaps a span of the same label": 1}


def test_adjacent_spans_of_one_label_stay_two_entities():
    first, second = span("spoiler", "the twist"), span("spoiler", "ruins the ending")
    data, stats = conll([review(first, second)])
    assert "twist -X- _ I-spoiler\nruins -X- _ B-spoiler\n" in data
    assert as_offsets(REVIEW, entities_of(data, 3)[0]) == offsets(first, second)
    assert stats.spans == 2


@pytest.mark.parametrize("mode", ["priority", "columns"])
def test_bio_tags_parse_back_into_the_same_token_spans(mode):
    spans = [span("spoiler", "Anna was dead all along"), span("spoiler", "😂"),
             span("plot hole", "映画"), span("plot hole", "Not recommended.")]
    text = "Second review?! Yes. 映画 and 😂 again."
    other = [span("spoiler", "映画 and 😂", text=text), span("plot hole", "Yes", text=text)]
    data, stats = conll([review(*spans), review(*other, text=text, id="r2")], mode=mode)
    expected = [offsets(*spans), offsets(*other)]
    found = [set(), set()]
    for column in [3] if mode == "priority" else [1, 2]:
        for i, (t, entities) in enumerate(zip([REVIEW, text], entities_of(data, column),
                                              strict=True)):
            found[i] |= as_offsets(t, entities)
    assert found == expected
    assert (stats.documents, stats.spans, stats.not_written) == (2, 6, {})


def test_a_span_whose_edges_fall_inside_words_covers_the_whole_words_and_is_not_counted():
    start = REVIEW.index("twist") + 2
    ragged = SpanRecord("ana", "spoiler", start, REVIEW.index("ending") + 3, None)
    data, stats = conll([review(ragged)])
    assert as_offsets(REVIEW, entities_of(data, 3)[0]) == {
        ("spoiler", REVIEW.index("twist"), REVIEW.index("ending") + len("ending"))}
    assert (stats.spans, stats.not_written) == (1, {})


def test_a_spoiler_across_two_sentences_keeps_them_together_so_the_entity_is_whole():
    spoiler = span("spoiler", "dead all along!\nNot")
    data, stats = conll([review(spoiler)])
    [document] = read_conll(data)
    assert len(document) == 2
    assert as_offsets(REVIEW, entities_of(data, 3)[0]) == offsets(spoiler)
    assert stats.spans == 1


def test_spans_that_cannot_be_written_are_counted_with_the_reason():
    data, stats = conll([review(
        span("praise", "looks great"),
        SpanRecord("ana", "spoiler", 5, 500),
        SpanRecord("ana", "spoiler", 7, 7),
        span("spoiler", " "),
        span("spoiler", "Anna"),
    )])
    assert stats.spans == 1
    assert stats.not_written == {"label not exported": 1, "offsets outside the text": 2,
                                 "covers no token": 1}
    assert "praise" not in data


def test_bad_modes_and_labels_that_would_give_the_same_tag_are_refused():
    with pytest.raises(ValueError, match="mode"):
        conll([review()], mode="nested")
    with pytest.raises(ValueError, match="spaces become _"):
        conll([review()], labels=["plot hole", "plot_hole"])


@pytest.mark.parametrize("mode", ["priority", "columns"])
def test_seqeval_reads_the_same_entities(mode):
    sequence_labeling = pytest.importorskip("seqeval.metrics.sequence_labeling")
    spans = [span("spoiler", "Anna was dead all along"), span("plot hole", "the twist"),
             span("plot hole", "映画 looks"), span("spoiler", "😂")]
    data, _ = conll([review(*spans)], mode=mode)
    columns = [3] if mode == "priority" else [1, 2]
    for column in columns:
        [document] = read_conll(data)
        tags = [[row[column] for row in sentence] for sentence in document]
        ours = entities_of(data, column)[0]
        theirs = sequence_labeling.get_entities(tags)  # sentences joined, O between
        offset, by_token = 0, []
        for sentence in tags:  # seqeval's positions count the O it puts between sentences
            by_token.extend(range(offset, offset + len(sentence)))
            offset += len(sentence) + 1
        assert [(t, by_token.index(a), by_token.index(b) + 1) for t, a, b in theirs] == ours


TEXT = st.text(st.sampled_from("ab映画😂 .!?,\n-é"), max_size=40)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), text=TEXT, mode=st.sampled_from(["priority", "columns"]))
def test_every_span_is_written_or_counted_and_the_bio_is_valid(data, text, mode):
    spans = []
    for _ in range(data.draw(st.integers(0, 6))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
        label = data.draw(st.sampled_from(["spoiler", "plot hole", "praise"]))
        spans.append(SpanRecord("ana", label, start, end, text[start:end]))
    output, stats = conll([DocumentRecord(text, spans=spans)], mode=mode)
    assert stats.spans + sum(stats.not_written.values()) == len(spans)
    [document] = read_conll(output)
    rows = [row for sentence in document for row in sentence]
    assert [row[0] for row in rows] == TOKEN.findall(text)
    columns = [3] if mode == "priority" else [1, 2]
    written = {e for c in columns for e in as_offsets(text, bio_entities([r[c] for r in rows]))}
    assert len(written) == stats.spans
    tokens = [(m.start(), m.end()) for m in TOKEN.finditer(text)]

    def grown(s: SpanRecord) -> tuple[str, int, int] | None:
        covered = [(a, b) for a, b in tokens if b > s.start and a < s.end]
        return (s.label.replace(" ", "_"), covered[0][0], covered[-1][1]) if covered else None

    assert written <= {grown(s) for s in spans}  # each entity is a span grown to whole tokens


# CSV


def csv_rows(records) -> tuple[list[list[str]], object]:
    out = io.StringIO()
    stats = write_csv_spans(records, out)
    return list(csv.reader(io.StringIO(out.getvalue()))), stats


def test_one_row_a_span_and_one_row_for_a_review_without_spans():
    spoiler = span("spoiler", "Anna was dead all along", note="big twist")
    emoji = span("plot hole", "😂", annotator="ben")
    negative = DocumentRecord("A quiet, pleasant 映画.", "Quiet", "r2")
    rows, stats = csv_rows([review(spoiler, emoji), negative])
    assert rows == [
        HEADER,
        ["r1", "Harbour Lights", "ana", "spoiler", str(spoiler.start), str(spoiler.end),
         "Anna was dead all along", "big twist"],
        ["r1", "Harbour Lights", "ben", "plot hole", str(emoji.start), str(emoji.end), "😂", ""],
        ["r2", "Quiet", "", "", "", "", "", ""],
    ]
    assert REVIEW[spoiler.start:spoiler.end] == rows[1][6]
    assert (stats.documents, stats.spans, stats.not_written) == (2, 2, {})


def test_cells_a_spreadsheet_would_run_as_formulas_start_with_an_apostrophe():
    text = "-5 stars. +1 from me. @everyone see it. =SUM(A1)"
    record = DocumentRecord(text, '=HYPERLINK("http://evil.example","click")', "=1+1", spans=[
        span("spoiler", "-5 stars.", text=text, note="@admin check"),
        span("praise", "+1 from me.", annotator="\tbob", text=text),
        span("praise", "=SUM(A1)", annotator="\rcarl", text=text),
        span("praise", "see it", text=text, note="fine - really"),
    ])
    rows, _ = csv_rows([record])
    assert rows[1][:2] == ["'=1+1", '\'=HYPERLINK("http://evil.example","click")']
    assert [row[6] for row in rows[1:]] == ["'-5 stars.", "'+1 from me.", "'=SUM(A1)", "see it"]
    assert [row[7] for row in rows[1:]] == ["'@admin check", "", "", "fine - really"]
    assert [row[2] for row in rows[1:]] == ["ana", "'\tbob", "'\rcarl", "ana"]


@pytest.mark.parametrize("cell", [
    " =1+1", "\n=1+1", "\u00a0=1+1", "\ufeff@SUM(A1)", "＝1+1", "  ＋cmd", "\u3000－2",
    "\r\n@x", " \t=HYPERLINK(\"x\")"])
def test_formula_triggers_after_white_space_or_in_full_width_are_escaped_too(cell):
    record = DocumentRecord("A review.", cell, "r1")
    rows, _ = csv_rows([record])
    assert rows[1][1] == "'" + cell  # the spreadsheet shows it as text, not a formula


def test_text_with_newlines_and_quotes_stays_in_one_cell():
    text = 'First line of the "twist",\nsecond line.\nThird.'
    record = DocumentRecord(text, "Multi", "r3",
                            spans=[span("spoiler", 'the "twist",\nsecond line', text=text)])
    out = io.StringIO()
    write_csv_spans([record], out)
    assert out.getvalue().count("\r") == 0
    [header, row] = list(csv.reader(io.StringIO(out.getvalue())))
    assert row[6] == 'the "twist",\nsecond line' and len(row) == len(header)


CELL = st.text(st.characters(blacklist_categories=["Cs"]), max_size=12)


@settings(max_examples=200, deadline=None)
@given(title=CELL, annotator=CELL, label=CELL, note=st.none() | CELL, piece=CELL)
def test_every_cell_reads_back_as_written_with_formulas_escaped(title, annotator, label, note,
                                                              piece):
    text = "Review: " + piece
    record = DocumentRecord(text, title, "r1", spans=[
        SpanRecord(annotator, label, 8, len(text), piece, note)])
    rows, _ = csv_rows([record])
    [row] = rows[1:]

    def escaped(cell: str) -> str:
        first = cell.lstrip(" \t\r\n\u00a0\ufeff\u200b\u3000\u2000\u2001\u2002\u2003"
                            "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f")[:1]
        risky = cell[:1] in ("\t", "\r") or first in ("=", "+", "-", "@", "＝", "＋", "－", "＠")
        return "'" + cell if risky else cell

    assert row == [escaped(c) for c in ["r1", title, annotator, label, "8", str(len(text)),
                                         piece, note or ""]]
