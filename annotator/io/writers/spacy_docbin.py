"""Writes a spaCy DocBin (.spacy): every span in the "sc" span group, the ones that do not
overlap also as doc.ents, for `spacy train` and spaCy's span categorizer."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from annotator.io.records import DocumentRecord, SpanRecord

from .stats import EXPANDED, WriteStats

SPAN_KEY = "sc"  # spaCy's default key for the span categorizer
NOT_ALIGNED = "cannot be aligned to tokens"
OUTSIDE = "offsets outside the text"
MISSING = 'the spaCy export needs spaCy: pip install "annotator[spacy]"'


def _in_order(spans: Iterable[SpanRecord]) -> list[SpanRecord]:
    return sorted(spans, key=lambda s: (s.start, s.end, s.label, s.annotator))


def write_spacy(records: Iterable[DocumentRecord], path: Path, lang: str = "en") -> WriteStats:
    """Write `records` to `path` as a DocBin, tokenized by `spacy.blank(lang)`; offsets must
    be code points (spaCy counts characters as Python does).

    A span whose edges fall inside a token takes the whole token (written, and counted in
    `adjusted`: its text in spaCy is then longer than the annotated text). A span that
    covers no token (white space only, or empty) is left out and counted. spaCy's spans
    carry no annotator, so `doc.user_data["annotators"]` holds `[start, end, label,
    annotator]` for each span of `doc.spans["sc"]`, in the same order, with the offsets as
    annotated. doc.ents holds the spans that do not overlap (longer ones first, as
    `spacy.util.filter_spans` picks); the rest are still in `doc.spans["sc"]`. user_data
    also keeps the document's id, title, meta, status and the notes of spans (`[start, end,
    label, annotator, note]`); spaCy reads these lists back as tuples.

    The DocBin is held in memory until it is written, as spaCy's own converters do.
    """
    try:
        import spacy
        from spacy.tokens import DocBin
        from spacy.util import filter_spans
    except ImportError as missing:
        raise ImportError(MISSING) from missing

    nlp = spacy.blank(lang)
    doc_bin = DocBin(store_user_data=True)
    stats = WriteStats()
    for record in records:
        # A blank pipeline has no parser or tagger whose memory grows with the text, so the
        # length limit only stands in the way of long reviews.
        nlp.max_length = max(nlp.max_length, len(record.text) + 1)
        doc = nlp.make_doc(record.text)
        spans, annotators, notes = [], [], []
        for span in _in_order(record.spans):
            if not 0 <= span.start <= span.end <= len(record.text):
                stats.not_written[OUTSIDE] += 1
                continue
            # An empty span would expand to the token around it: it covers none.
            made = (doc.char_span(span.start, span.end, label=span.label,
                                  alignment_mode="expand") if span.start < span.end else None)
            if made is None or len(made) == 0:
                stats.not_written[NOT_ALIGNED] += 1
                continue
            if (made.start_char, made.end_char) != (span.start, span.end):
                stats.adjusted[EXPANDED] += 1
            spans.append(made)
            annotators.append([span.start, span.end, span.label, span.annotator])
            if span.note:
                notes.append([span.start, span.end, span.label, span.annotator, span.note])
        doc.spans[SPAN_KEY] = spans
        doc.ents = filter_spans(spans)
        doc.user_data.update({"id": record.id, "title": record.title, "meta": record.meta,
                              "status": record.status, "annotators": annotators,
                              "notes": notes})
        doc_bin.add(doc)
        stats.documents += 1
        stats.spans += len(spans)
    doc_bin.to_disk(path)
    return stats
