"""Finding and ordering documents for the list: search in titles and texts, every sort order."""

import pytest
from people import label_uuid, person

from annotator.domain.model import Status


def titles(ws, ids):
    return [ws.document(i).title for i in ids]


def test_without_arguments_every_document_in_import_order(fresh_db, reviews):
    ids = reviews("Brazil\nGilliam.", "Alien\nScott.", "Casablanca\nCurtiz.")
    assert fresh_db.document_ids() == sorted(ids.values())


def test_search_finds_words_in_the_title_or_the_text_in_any_case(fresh_db, reviews):
    reviews("Heat\nA long night in Los Angeles.", "Alien\nIn space nobody hears you.",
            "Brazil\nA HEATED bureaucracy.", "Jaws\nA shark.")
    assert titles(fresh_db, fresh_db.document_ids("heat")) == ["Heat", "Brazil"]
    assert titles(fresh_db, fresh_db.document_ids("NOBODY hears")) == ["Alien"]
    assert fresh_db.document_ids("werewolf") == []
    assert len(fresh_db.document_ids("")) == 4


def test_the_filter_finds_words_by_their_start_and_punctuation_alone_as_it_is(fresh_db,
                                                                              reviews):
    """The list's filter searches the index word by word, each typed word a prefix
    (results while typing); punctuation separates words, as in the texts. A filter of
    punctuation alone has no word to look up, and is looked for as it is (a scan)."""
    reviews("Fresh\n100% fresh.", "Rotten\n1000 reasons to leave.",
            "Snake\nThe villain is called a_b.", "Plain\nThe villain is called axb.",
            "Paths\nSaved in C:\\films\\old.")
    assert titles(fresh_db, fresh_db.document_ids("100%")) == ["Fresh", "Rotten"]  # 100…
    assert titles(fresh_db, fresh_db.document_ids("%")) == ["Fresh"]
    assert titles(fresh_db, fresh_db.document_ids("a_b")) == ["Snake"]  # "a b": a phrase
    assert titles(fresh_db, fresh_db.document_ids("_")) == ["Snake"]
    assert titles(fresh_db, fresh_db.document_ids("c:\\films")) == ["Paths"]
    assert titles(fresh_db, fresh_db.document_ids("villa call")) == ["Snake", "Plain"]
    assert titles(fresh_db, fresh_db.document_ids('"villain is" axb')) == ["Plain"]
    assert titles(fresh_db, fresh_db.document_ids("fresh OR rotten")) == ["Fresh", "Rotten"]
    assert titles(fresh_db, fresh_db.document_ids("villain NOT snake")) == ["Plain"]


def test_order_by_title_ignores_case_and_reverses(fresh_db, reviews):
    reviews("banana\nB.", "Cherry\nC.", "apple\nA.", "Banana\nSecond banana.")
    assert titles(fresh_db, fresh_db.document_ids(order="title")) == [
        "apple", "banana", "Banana", "Cherry"]  # equal titles stay in import order
    assert titles(fresh_db, fresh_db.document_ids(order="title", descending=True)) == [
        "Cherry", "banana", "Banana", "apple"]


def test_order_by_my_status_new_then_in_progress_then_done(fresh_db, reviews):
    ids = reviews("Done one\nx.", "New one\nx.", "Half one\nx.", "Done two\nx.", "New two\nx.")
    me = fresh_db.me
    for title in ("Done one", "Done two"):
        fresh_db.set_status(ids[title], Status.DONE)
    fresh_db.set_status(ids["Half one"], Status.IN_PROGRESS)
    with person(fresh_db, "zoe") as zoe:
        zoe.set_status(ids["New one"], Status.DONE)  # not mine
    by_status = fresh_db.document_ids(order="status", annotator_uuid=me.uuid)
    assert titles(fresh_db, by_status) == ["New one", "New two", "Half one", "Done one",
                                           "Done two"]
    by_status = fresh_db.document_ids(order="status", descending=True, annotator_uuid=me.uuid)
    assert titles(fresh_db, by_status) == ["Done one", "Done two", "Half one", "New one",
                                           "New two"]


def test_order_by_my_span_count_and_by_one_labels_count(fresh_db, reviews):
    ids = reviews("Two praise\nGreat acting and great music.",
                  "None\nNothing to say here at all.",
                  "One spoiler\nThe butler did it, sadly.",
                  "Praise and spoiler\nGreat film; the butler did it.")
    me = fresh_db.me
    praise, spoiler = label_uuid(fresh_db, "praise"), label_uuid(fresh_db, "spoiler")
    fresh_db.add_span(ids["Two praise"], praise, 0, 5)
    fresh_db.add_span(ids["Two praise"], praise, 6, 11)
    fresh_db.add_span(ids["One spoiler"], spoiler, 0, 5)
    fresh_db.add_span(ids["Praise and spoiler"], praise, 0, 5)
    fresh_db.add_span(ids["Praise and spoiler"], spoiler, 6, 10)
    with person(fresh_db, "zoe") as zoe:
        for _ in range(3):  # zoe's spans count for zoe only
            zoe.add_span(ids["None"], praise, 0, 7)

    def order(how, descending=False, label=None):
        return titles(fresh_db, fresh_db.document_ids(order=how, descending=descending,
                                                      annotator_uuid=me.uuid, label_uuid=label))

    assert order("spans") == ["None", "One spoiler", "Two praise", "Praise and spoiler"]
    assert order("spans", descending=True) == [
        "Two praise", "Praise and spoiler", "One spoiler", "None"]
    assert order("label", label=praise) == [
        "None", "One spoiler", "Praise and spoiler", "Two praise"]
    assert order("label", descending=True, label=spoiler) == [
        "One spoiler", "Praise and spoiler", "Two praise", "None"]


def test_search_and_order_together(fresh_db, reviews):
    reviews("Zodiac\nA slow thriller.", "Alien\nNot a thriller.", "Amelie\nA comedy.")
    assert titles(fresh_db, fresh_db.document_ids("thriller", order="title")) == [
        "Alien", "Zodiac"]
    assert titles(fresh_db, fresh_db.document_ids("thriller", order="id", descending=True)) == [
        "Alien", "Zodiac"]


def test_orders_that_need_an_annotator_or_a_label_say_so(fresh_db, reviews):
    reviews("One\nx.")
    with pytest.raises(ValueError, match="annotator"):
        fresh_db.document_ids(order="spans")
    with pytest.raises(ValueError, match="label"):
        fresh_db.document_ids(order="label", annotator_uuid="someone")
    with pytest.raises(ValueError, match="unknown"):
        fresh_db.document_ids(order="length")


def test_summaries_count_my_spans_per_label(fresh_db, reviews):
    ids = reviews("Mixed\nGreat film; the butler did it.", "Empty\nNothing.")
    me = fresh_db.me
    praise, spoiler = label_uuid(fresh_db, "praise"), label_uuid(fresh_db, "spoiler")
    fresh_db.add_span(ids["Mixed"], praise, 0, 5)
    fresh_db.add_span(ids["Mixed"], spoiler, 6, 10)
    fresh_db.add_span(ids["Mixed"], spoiler, 12, 15)
    with person(fresh_db, "zoe") as zoe_at_work:
        zoe = zoe_at_work.me
        zoe_at_work.add_span(ids["Mixed"], praise, 0, 5)
    mixed, empty = fresh_db.document_summaries(me.uuid, [ids["Mixed"], ids["Empty"]])
    assert (mixed.title, mixed.status, mixed.span_count) == ("Mixed", Status.IN_PROGRESS, 3)
    assert mixed.label_counts == {praise: 1, spoiler: 2}
    assert (empty.span_count, empty.label_counts) == (0, {})
    [zoes] = fresh_db.document_summaries(zoe.uuid, [ids["Mixed"]])
    assert (zoes.span_count, zoes.label_counts) == (1, {praise: 1})
    assert fresh_db.document_summaries(me.uuid) == [mixed, empty]  # all documents at once
    assert len({mixed, empty}) == 2  # still hashable
