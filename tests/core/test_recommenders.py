"""Suggestions from the recommenders: seen before, cue list, learned model, and the figures
that decide which of them may speak."""

from __future__ import annotations

import pickle
import random

import pytest

from annotator.recommenders import Cancelled, Example, Suggester
from annotator.recommenders.sentences import split_sentences

SPOILER, PRAISE, CRITICISM, PLOT_HOLE = "u-spoiler", "u-praise", "u-criticism", "u-plot-hole"
LABELS = [SPOILER, PRAISE, CRITICISM, PLOT_HOLE]


def example(document_id: int, parts: list[tuple[str, str | None]]) -> Example:
    """A document from sentences, each labelled (without its full stop) or not."""
    text, spans = "", []
    for sentence, label in parts:
        if text:
            text += " "
        if label is not None:
            spans.append((label, len(text), len(text) + len(sentence.rstrip("."))))
        text += sentence
    return Example(document_id, text, tuple(spans))


NAMES = ["Wren", "Odile", "Bram", "Ines", "Priya", "Lasse", "Marit", "Jonah"]
THINGS = ["ledger", "violin", "map", "radio", "diary", "pocket watch"]


def planted(n: int = 40, seed: int = 1) -> list[Example]:
    rng = random.Random(seed)
    out = []
    for d in range(n):
        parts: list[tuple[str, str | None]] = []
        for _ in range(8):
            name, thing = rng.choice(NAMES), rng.choice(THINGS)
            roll = rng.random()
            if roll < 0.15:
                parts.append((f"In the final scene {name} is revealed to be the killer.", SPOILER))
            elif roll < 0.3:
                parts.append((f"The photography of the {thing} is ravishing.", PRAISE))
            else:
                parts.append(rng.choice([
                    (f"{name} carries the {thing} through most of the film.", None),
                    (f"The {thing} belonged to {name}'s grandmother.", None),
                    (f"I saw it on a rainy Tuesday with {name}.", None),
                ]))
        out.append(example(d + 1, parts))
    return out


def test_a_phrase_seen_before_is_proposed_where_it_occurs_again_whatever_its_case():
    docs = [Example(i, "The STRASSE scene is the best part.", ((PRAISE, 4, 17),))
            for i in (1, 2, 3)]  # "STRASSE scene"
    s = Suggester(LABELS, recommenders=["seen"])
    s.train(docs + [Example(4, "Nothing to see here.", ())])
    # NFKC + casefold: "Straße" folds to "strasse" (a different length), a full-width "Ｓ"
    text = "Later, the Ｓtraße Scene returns. Straßescene is not it; nor is xstrasse scene."
    found = s.propose(3, text)
    places = [text[p.start:p.end] for p in found]
    assert places == ["Ｓtraße Scene"]
    assert found[0].label_uuid == PRAISE and found[0].recommender == "seen"


def test_seen_before_speaks_once_its_figures_are_good():
    docs = [example(i, [("The cinematography is ravishing.", PRAISE),
                        ("Then nothing much happens.", None)]) for i in range(1, 7)]
    s = Suggester(LABELS, recommenders=["seen"])
    s.train(docs)
    assert s.reason("seen", PRAISE) == ""
    text = "Honestly the CINEMATOGRAPHY IS RAVISHING, I said."
    (p,) = s.propose(99, text)
    assert text[p.start:p.end] == "the CINEMATOGRAPHY IS RAVISHING" and p.score == 1.0


def test_a_cue_proposes_the_sentence_around_it_phrase_and_regex():
    docs = [example(i, [("It turns out the baker was the thief.", SPOILER),
                        ("The plot makes no sense at all.", PLOT_HOLE),
                        ("A calm afternoon film.", None)]) for i in range(1, 5)]
    cues = {SPOILER: ["# reveals", "", "turns out"], PLOT_HOLE: [r"re:makes\s+no\s+sense"]}
    s = Suggester(LABELS, cues=cues, recommenders=["cues"], folds=2)
    s.train(docs)
    assert s.reason("cues", SPOILER) == "" and s.reason("cues", PLOT_HOLE) == ""
    assert s.reason("cues", PRAISE) == "no examples of this label yet"
    text = "A slow start. Well, it TURNS OUT the mayor lied! And it Makes  No Sense."
    got = {(p.label_uuid, text[p.start:p.end]) for p in s.propose(7, text)}
    assert got == {(SPOILER, "Well, it TURNS OUT the mayor lied!"),
                   (PLOT_HOLE, "And it Makes  No Sense")}
    assert s.figures["cues"][SPOILER].exact == 4


def test_a_bad_regular_expression_gives_a_reason_not_an_exception():
    docs = [example(i, [("It turns out the baker was the thief.", SPOILER)]) for i in (1, 2)]
    s = Suggester(LABELS, cues={SPOILER: ["re:(unclosed"]}, recommenders=["cues"], folds=2)
    s.train(docs)
    assert "not a valid regular expression" in s.reason("cues", SPOILER)
    assert "(unclosed" in s.reason("cues", SPOILER)
    assert s.propose(3, "It turns out (unclosed.") == []
    assert s.reason("cues", PRAISE) == "no examples of this label yet"


def test_a_catastrophic_regex_is_stopped_by_its_time_limit():
    docs = [example(1, [("a" * 40 + "!", SPOILER)]), example(2, [("b.", None)])]
    s = Suggester(LABELS, cues={SPOILER: ["re:(a|aa)+b"]}, recommenders=["cues"], folds=2)
    s.train(docs)
    assert "takes too long" in s.reason("cues", SPOILER)


def test_the_learned_model_is_measured_by_folds_and_then_proposes():
    docs = planted()
    s = Suggester(LABELS, recommenders=["learned"])
    s.train(docs)
    f = s.figures["learned"][SPOILER]
    assert f.examples == sum(lab == SPOILER for d in docs for lab, _, _ in d.spans)
    assert f.true_positives > 0.8 * f.examples and f.precision is not None
    assert f.precision > 0.8 and f.exact == f.true_positives
    assert s.reason("learned", SPOILER) == ""
    text = "We queued for ages. In the final scene Ines is revealed to be the killer. Fine."
    got = [(p.label_uuid, text[p.start:p.end], p.recommender) for p in s.propose(100, text)]
    assert got == [(SPOILER, "In the final scene Ines is revealed to be the killer", "learned")]
    assert s.reason("learned", CRITICISM) == "no examples of this label yet"


def test_a_model_learned_from_random_labels_stays_silent_and_says_its_precision():
    rng = random.Random(3)
    docs = [example(d, [(f"{rng.choice(NAMES)} walks to the {rng.choice(THINGS)}.",
                         PRAISE if rng.random() < 0.3 else None) for _ in range(8)])
            for d in range(1, 41)]
    s = Suggester(LABELS, recommenders=["learned"])
    s.train(docs)
    why = s.reason("learned", PRAISE)
    assert why == "made no proposals in cross-validation" or (
        why.startswith("precision ") and why.endswith("is below the threshold 0.50"))
    assert all(p.label_uuid != PRAISE for p in s.propose(1, docs[0].text))


def test_labels_without_enough_examples_say_what_they_need():
    docs = [example(1, [("The finale is a cheat.", CRITICISM), ("Fine.", None)]),
            example(2, [("Lovely.", None)])]
    s = Suggester(LABELS)
    assert s.reason("learned", CRITICISM) == "not trained yet"
    s.train(docs)
    assert s.reason("learned", SPOILER) == "no examples of this label yet"
    assert s.reason("learned", CRITICISM) == (
        "needs at least 4 examples of this label in 2 documents (has 1 in 1 document)")
    assert s.reason("cues", CRITICISM) == "no cues written"


def test_the_threshold_changes_without_training_again():
    docs = [example(i, [("The score is sublime.", PRAISE)]) for i in range(1, 4)]
    docs += [example(i, [("The score is sublime.", None)]) for i in range(4, 6)]
    s = Suggester(LABELS, recommenders=["seen"])
    s.train(docs)
    p = s.figures["seen"][PRAISE].precision
    assert p is not None and 0 < p < 1
    s.min_precision = 0.9
    assert s.reason("seen", PRAISE) == f"precision {p:.2f} is below the threshold 0.90"
    assert s.propose(9, "The score is sublime.") == []
    s.min_precision = 0.1
    assert s.reason("seen", PRAISE) == ""
    assert len(s.propose(9, "The score is sublime.")) == 1


def test_sentences_in_japanese_and_german_are_sensible():
    text = "映画は素晴らしい。でも長すぎる！\nDer Film ist gut. Aber z.B. das Ende ist schwach."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "映画は素晴らしい。", "でも長すぎる！", "Der Film ist gut.",
        "Aber z.B. das Ende ist schwach."]


def test_other_languages_emoji_and_a_large_text_do_not_break_it():
    docs = planted(20)
    docs.append(Example(100, "Der Film ist großartig. Die Straße am Ende ist ein Traum! 🎉",
                        ((PRAISE, 0, 22),)))
    docs.append(Example(101, "映画は素晴らしい。結末で犯人が分かる。音楽も良い。",
                        ((SPOILER, 9, 17),)))
    s = Suggester(LABELS, cues={SPOILER: ["犯人", "re:\\bEnde\\b"]})
    s.train(docs)
    for text in ["Der Film ist GROSSARTIG. 👍🏽 Am Ende stirbt er.",
                 "結末で犯人が分かる。つまらない！", "😂👵💻", "", "   \n\n",
                 "no full stop at all"]:
        for p in s.propose(5, text):
            assert 0 <= p.start < p.end <= len(text) and text[p.start:p.end].strip()
    big = " ".join(docs[i % 20].text for i in range(1500))  # about 600 KB
    found = s.propose(6, big)
    assert found and all(big[p.start:p.end].strip() == big[p.start:p.end] for p in found)


def test_a_trained_suggester_survives_pickle():
    s = Suggester(LABELS, cues={SPOILER: ["re:revealed to be"]})
    s.train(planted(20))
    again = pickle.loads(pickle.dumps(s))
    text = planted(1, seed=9)[0].text
    assert again.propose(1, text) == s.propose(1, text)
    assert again.figures == s.figures


class Job:
    def __init__(self, stop_after: int) -> None:
        self.calls: list[tuple[int, int]] = []
        self.stop_after = stop_after

    def progress(self, done: int, total: int, text: str = "") -> None:
        self.calls.append((done, total))

    def cancelled(self) -> bool:
        return len(self.calls) >= self.stop_after


def test_training_reports_progress_and_a_cancel_keeps_what_it_knew():
    s = Suggester(LABELS)
    job = Job(stop_after=10**6)
    s.train(planted(20), job)
    assert job.calls[-1][0] == job.calls[-1][1]
    before = s.figures
    with pytest.raises(Cancelled):
        s.train(planted(30, seed=5), Job(stop_after=2))
    assert s.figures is before


def test_one_annotated_document_cannot_be_measured_and_says_so():
    s = Suggester(LABELS)
    s.train([example(1, [("The finale is a cheat.", CRITICISM)])])
    assert s.reason("seen", CRITICISM) == "needs at least 2 annotated documents to be measured"
    assert s.propose(2, "The finale is a cheat.") == []


def test_trained_in_a_worker_thread_and_used_in_another():
    import threading

    s = Suggester(LABELS)
    worker = threading.Thread(target=s.train, args=(planted(20),))
    worker.start()
    worker.join()
    text = "In the final scene Bram is revealed to be the killer."
    assert [p.label_uuid for p in s.propose(1, text)] == [SPOILER]
