"""Cohen's kappa and the character-level agreement service."""

import json
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.agreement import cohen_kappa
from annotator.domain.model import Status
from annotator.services.agreement import Scope, ScopeError


def compute(workspace, scope):
    return workspace.agreement(scope)


def test_worked_example_gives_kappa_0_4():
    # The two-rater, 50-item example in Wikipedia's "Cohen's kappa" article ("Simple
    # example"): both yes 20, A yes/B no 5, A no/B yes 10, both no 15 -> p_o 0.7, p_e 0.5.
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_cohen_1960_table_example():
    # Cohen (1960), Educational and Psychological Measurement 20(1), Table 1: proportions
    # over 200 items on three categories, p_o = 0.70 and p_e = 0.41 -> kappa = 0.492.
    cells = {("1", "1"): 88, ("1", "2"): 14, ("1", "3"): 18,
             ("2", "1"): 10, ("2", "2"): 40, ("2", "3"): 10,
             ("3", "1"): 2, ("3", "2"): 6, ("3", "3"): 12}
    a, b = [], []
    for (x, y), n in cells.items():
        a += [x] * n
        b += [y] * n
    assert cohen_kappa(a, b) == pytest.approx(0.4915, abs=1e-3)


def test_perfect_agreement_is_one_and_undefined_cases_say_why():
    assert cohen_kappa("aab", "aab") == 1.0
    with pytest.raises(ValueError, match="no variation"):
        cohen_kappa("aaaa", "aaaa")
    with pytest.raises(ValueError, match="at least one item"):
        cohen_kappa([], [])
    with pytest.raises(ValueError, match="different lengths"):
        cohen_kappa("ab", "a")


@given(st.lists(st.tuples(st.sampled_from("xyz"), st.sampled_from("xyz")), min_size=1))
def test_kappa_is_symmetric_and_at_most_one(pairs):
    a = [p[0] for p in pairs]
    b = [p[1] for p in pairs]
    try:
        k = cohen_kappa(a, b)
    except ValueError:
        return
    assert k <= 1.0 + 1e-12
    assert k == pytest.approx(cohen_kappa(b, a))


def test_random_codings_agree_near_chance():
    rng = random.Random(7)
    a = [rng.choice("pq") for _ in range(5000)]
    b = [rng.choice("pq") for _ in range(5000)]
    assert abs(cohen_kappa(a, b)) < 0.05


TEXT = "Loved the acting. The butler did it. Too long."


def two_annotators(store, inbox, ada_spans, ben_spans, done=True):
    """One review annotated by ada and ben (label, start, end), marked done by both; and
    a second review only ada touched."""
    (inbox / "a.txt").write_text(TEXT)
    (inbox / "b.txt").write_text("Only ada read this one.")
    store.import_paths([inbox])
    d1, d2 = store.document_ids()
    labels = {label.name: label.uuid for label in store.labels()}
    for who, spans in (("ada", ada_spans), ("ben", ben_spans)):
        store.switch_to(who)
        for name, start, end in spans:
            store.add_span(d1, labels[name], start, end)
        if done:
            store.set_status(d1, Status.DONE)
    store.switch_to("ada")
    store.add_span(d2, labels["praise"], 0, 4)
    return d1


def test_agreement_on_a_hand_checked_example(fresh_db, inbox):
    two_annotators(fresh_db, inbox,
                   [("praise", 0, 17), ("spoiler", 18, 36)],
                   [("praise", 0, 17), ("criticism", 37, 46)])
    report = compute(fresh_db, Scope())
    assert report.annotators == ["ada", "ben"] and len(report.documents) == 1
    assert report.characters == len(TEXT) and report.characters_compared == 17 + 18 + 9
    praise = next(f for f in report.per_label if f.label == "praise")
    assert praise.values["unitizing_alpha"] == 1.0
    assert praise.values["f1_exact"] == praise.values["f1_overlap"] == 1.0
    spoiler = next(f for f in report.per_label if f.label == "spoiler")
    assert spoiler.values["f1_exact"] == 0.0 and spoiler.spans == {"ada": 1, "ben": 0}
    plot_hole = next(f for f in report.per_label if f.label == "plot-hole")
    assert plot_hole.values["unitizing_alpha"] is None and "nobody" in plot_hole.why[
        "unitizing_alpha"]
    # Overall character kappa over the 44 labelled characters, checked by hand-built codes:
    a = ["praise"] * 17 + ["spoiler"] * 18 + ["none"] * 9
    b = ["praise"] * 17 + ["none"] * 18 + ["criticism"] * 9
    assert report.overall.values["kappa"] == pytest.approx(cohen_kappa(a, b))
    assert report.overall.disagreements == {"boundary": 0, "label": 0, "presence": 2}


def test_counting_every_character_instead_raises_character_agreement(fresh_db, inbox):
    two_annotators(fresh_db, inbox, [("praise", 0, 17), ("spoiler", 18, 36)],
                   [("praise", 0, 17)])
    labelled = compute(fresh_db, Scope(labelled_only=True)).overall.values["kappa"]
    everything = compute(fresh_db, Scope(labelled_only=False)).overall.values["kappa"]
    assert everything > labelled


@pytest.mark.parametrize(("ben", "kind"), [
    ([("praise", 0, 10)], "boundary"),
    ([("criticism", 0, 17)], "label"),
    ([], "presence"),
])
def test_disagreement_is_split_into_boundaries_labels_and_presence(fresh_db, inbox, ben, kind):
    two_annotators(fresh_db, inbox, [("praise", 0, 17)], ben)
    report = compute(fresh_db, Scope(documents="all"))
    counts = report.overall.disagreements
    assert counts[kind] == sum(counts.values()) > 0
    assert any(kind_words in line for line in report.reading for kind_words in
               {"boundary": ["boundaries"], "label": ["which label"],
                "presence": ["whether to mark"]}[kind])


def test_scopes_that_cannot_be_compared_say_why(fresh_db, inbox):
    two_annotators(fresh_db, inbox, [("praise", 0, 17)], [("praise", 0, 17)], done=False)
    with pytest.raises(ScopeError, match="no two annotators have both marked a document done"
                       ) as caught:
        compute(fresh_db, Scope())
    assert str(caught.value).endswith(  # the exact options that give figures
        "for a result (1 document): --annotators ada,ben --docs all")
    assert len(compute(fresh_db, Scope(documents="all")).documents) == 1
    with pytest.raises(ScopeError, match="no document is marked done by all of ada, ben"):
        compute(fresh_db, Scope(annotators=("ada", "ben")))
    with pytest.raises(ScopeError, match="at least two annotators"):
        compute(fresh_db, Scope(annotators=("ada",), documents="all"))
    with pytest.raises(ScopeError, match="no annotator named zed"):
        compute(fresh_db, Scope(annotators=("ada", "zed")))
    with pytest.raises(ScopeError, match="no label named twist"):
        compute(fresh_db, Scope(labels=("twist",), documents="all"))


def test_the_samples_give_plausible_agreement_and_documents_worst_first(fresh_db):
    fresh_db.seed_samples()
    report = compute(fresh_db, Scope())
    alpha = report.overall.values["unitizing_alpha"]
    assert 0.2 < alpha < 0.95  # two people who mostly agree, not identical, not random
    worst = [d.overall.values["unitizing_alpha"] for d in report.per_document]
    defined = [v for v in worst if v is not None]
    assert defined == sorted(defined)
    assert report.matrix("kappa")[0][1] == report.overall.pairs["kappa"][("mira", "tomasz")]


@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from(["x", "y"]),
                          st.integers(0, 60), st.integers(1, 20)), max_size=25))
def test_the_fast_unitizing_path_gives_the_same_alpha(raw):
    from annotator.agreement import disagreement_by_category, unitizing_alpha

    units = [(c, cat, s, min(s + n, 80)) for c, cat, s, n in raw if s < 80]
    per_category = {cat: [([u[2] for u in units if u[0] == c and u[1] == cat],
                           [u[3] for u in units if u[0] == c and u[1] == cat]) for c in "abc"]
                    for cat in ("x", "y")}
    found = disagreement_by_category(80, per_category)
    try:
        expected = unitizing_alpha(80, list("abc"), units)
    except ValueError:
        return
    observed = sum(d[0] for d in found.values())
    assert 1 - observed / sum(d[1] for d in found.values()) == pytest.approx(expected)


def test_many_labels_and_a_nul_in_a_text_still_give_figures(fresh_db, inbox):
    from annotator.domain.model import Label, new_uuid

    (inbox / "x.jsonl").write_text(json.dumps({"text": "Odd\u0000 bytes, fine film.",
                                               "annotations": []}))
    fresh_db.import_paths([inbox])
    [doc] = fresh_db.document_ids()
    assert fresh_db.store.documents.lengths([doc]) == {doc: len("Odd\u0000 bytes, fine film.")}
    fresh_db.edit_labels([*fresh_db.labels(), *(Label(new_uuid(), f"extra {i}", "#123456")
                                                 for i in range(20))])
    labels = fresh_db.labels()
    for who, label in (("ada", labels[-1]), ("ben", labels[-1]), ("ben", labels[-2])):
        fresh_db.switch_to(who)
        fresh_db.add_span(doc, label.uuid, 11, 15)
        fresh_db.set_status(doc, Status.DONE)
    report = compute(fresh_db, Scope(labels=(labels[-1].name, labels[-2].name,
                                             labels[-1].name.upper())))
    assert report.labels == [labels[-1].name, labels[-2].name]  # named twice: once
    assert report.overall.values["kappa"] is not None  # label sets up to 2**23: recoded


def test_by_default_agreement_compares_those_who_share_work_not_whoever_is_at_work(
        fresh_db, inbox):
    """The samples, marked done by mira and tomasz, plus me with a review of my own: the
    default scope is mira and tomasz (not all three, which share nothing), in the window and
    on the command line, for done documents and for touched ones."""
    fresh_db.seed_samples()
    (inbox / "mine.txt").write_text("My own review of a film.", encoding="utf-8")
    fresh_db.import_paths([inbox])
    mine = max(fresh_db.document_ids())
    fresh_db.add_span(mine, fresh_db.labels()[0].uuid, 0, 2)
    fresh_db.set_status(mine, Status.DONE)
    for documents in ("done", "all"):
        assert [a.name for a in fresh_db.default_annotators(documents)] == ["mira", "tomasz"]
        assert compute(fresh_db, Scope(documents=documents)).annotators == ["mira", "tomasz"]
    me = fresh_db.me.name
    with pytest.raises(ScopeError) as caught:
        compute(fresh_db, Scope(annotators=(me, "mira", "tomasz")))
    assert caught.value.suggestion.annotators == ("mira", "tomasz")
    assert "--annotators mira,tomasz --docs done" in str(caught.value)
