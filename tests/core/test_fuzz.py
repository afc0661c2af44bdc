"""Fuzzing: every reader in the registry, the offset converters and archives, on mutated and
random input. A reader either refuses with a located ReadError or returns documents whose
spans line up with their text; nothing else (no traceback, no span off its text).

Brief in `make test`; `make fuzz` runs ANNOTATOR_FUZZ_EXAMPLES (e.g. 5,000) per target.
"""

import io
import json
import os
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.domain.offsets import UNITS, OffsetError, units
from annotator.io.records import ReadError, ReadErrors, ReadOptions
from annotator.io.registry import READERS
from annotator.io.sources import Limits, collect

EXAMPLES = int(os.environ.get("ANNOTATOR_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Seeds in each reader's shape, which the fuzzer mutates.
SEEDS = {
    "text": b"The Quiet Harbour\n\nA patient film. \xf0\x9f\x98\x82 Rating: 4/5\n",
    "html": b"<html><head><title>Orchard</title></head><body><article><p>A long and "
            b"careful review of a quiet film about orchards.</p></article></body></html>",
    "native": json.dumps({"text": "A fine film.", "annotations": [
        {"annotator": "ada", "label": "praise", "start": 2, "end": 6, "text": "fine"}]}
    ).encode(),
    "doccano": json.dumps({"text": "Wow 🤩 the finale", "label": [[7, 17, "praise"]]}).encode(),
    "prodigy": json.dumps({"text": "A fine film.", "answer": "accept", "spans": [
        {"start": 2, "end": 6, "label": "praise"}]}).encode(),
    "labelstudio": json.dumps([{"data": {"text": "A fine film."}, "annotations": [
        {"result": [{"type": "labels", "value": {"start": 2, "end": 6, "text": "fine",
                                                 "labels": ["praise"]}}]}]}]).encode(),
    "csv": b"title,review\nOrchard,A patient film\n",
    "tsv": b"title\treview\nOrchard\tA patient film\n",
    "brat": b"A fine film.",
}


def mutated(seed: bytes) -> st.SearchStrategy[bytes]:
    """The seed with bytes flipped, cut or inserted; or random bytes."""
    def mutate(data: bytes, at: int, junk: bytes, how: int) -> bytes:
        at = at % (len(data) + 1)
        if how == 0:
            return data[:at] + junk + data[at:]
        if how == 1:
            return data[:at] + data[at + len(junk):]
        return data[:at] + junk + data[at + len(junk):]
    return st.one_of(
        st.builds(mutate, st.just(seed), st.integers(0, 10_000), st.binary(max_size=8),
                  st.integers(0, 2)),
        st.binary(max_size=200))


def check(records) -> None:
    for record in records:
        assert isinstance(record.text, str)
        for span in record.spans:
            assert 0 <= span.start < span.end <= len(record.text)
            if span.text is not None:
                assert record.text[span.start:span.end] == span.text


@pytest.mark.parametrize("reader", READERS, ids=[r.key for r in READERS])
def test_every_reader_refuses_or_reads_cleanly(reader):
    seed = SEEDS.get(reader.key, SEEDS["text"])
    read = reader.function()

    @FUZZ
    @given(data=mutated(seed), unit=st.sampled_from(UNITS))
    def run(data, unit):
        options = ReadOptions(format=reader.key, offsets=unit)
        try:
            if reader.with_companion:
                result = read(data, b"T1\tpraise 2 6\tfine\n", "x.txt", options)
            else:
                result = read(data, "x", options)
        except (ReadError, ReadErrors):
            return
        check(result)
    run()


@FUZZ
@given(text=st.text(max_size=60), offset=st.integers(-3, 140), unit=st.sampled_from(UNITS))
def test_offsets_convert_back_and_forth_or_refuse(text, offset, unit):
    counted = units(text, unit)
    try:
        codepoint = counted.to_codepoint(offset)
    except OffsetError:
        return
    assert 0 <= codepoint <= len(text)
    assert counted.to_codepoint(counted.from_codepoint(codepoint)) == codepoint


@FUZZ
@given(names=st.lists(st.text(min_size=1, max_size=20), max_size=5),
       payloads=st.lists(st.binary(max_size=100), max_size=5), cut=st.integers(0, 400))
def test_archives_named_oddly_or_cut_short_are_refused_plainly(tmp_path_factory, names,
                                                               payloads, cut):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, payload in zip(names, payloads, strict=False):
            try:
                archive.writestr(name, payload)
            except (ValueError, OSError, IndexError):  # names zipfile cannot write ("\x00")
                pass
    data = buffer.getvalue()
    data = data[:cut] + data[cut + 7:] if cut < len(data) else data
    folder = tmp_path_factory.mktemp("zips")
    path = folder / "odd.zip"
    path.write_bytes(data)
    for source in collect([path], Limits()):
        if source.skipped or source.error:
            continue
        try:
            source.read()
        except ReadError:
            pass
