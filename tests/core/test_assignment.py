"""Assignment (issue 16): the lead shares the documents between annotators, either a
fraction everyone annotates or K annotators per document; the same seed gives the same
plan, stored, and shown as who has what."""

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.domain.assignment import plan
from annotator.domain.errors import AssignmentError, EditRefused

PEOPLE = ["ada", "ben", "cleo"]


def loads(assigned: dict[int, list[str]]) -> Counter:
    return Counter(who for people in assigned.values() for who in people)


@pytest.mark.parametrize("documents, overlap, shared", [
    (30, 0.2, 6), (100, 0.25, 25), (7, 0.0, 0), (7, 1.0, 7), (10, 0.15, 2), (5, 0.5, 3)])
def test_an_overlap_gives_exactly_that_share_to_everyone_and_splits_the_rest(
        documents, overlap, shared):
    assigned = plan(range(1, documents + 1), PEOPLE, seed=3, overlap=overlap)
    assert sorted(assigned) == list(range(1, documents + 1))  # every document, once
    everyone = [d for d, people in assigned.items() if people == PEOPLE]
    assert len(everyone) == shared
    rest = [people for d, people in assigned.items() if d not in everyone]
    assert all(len(people) == 1 for people in rest)
    counts = loads(assigned)
    assert max(counts.values()) - min(counts.get(p, 0) for p in PEOPLE) <= 1


@pytest.mark.parametrize("documents, k", [(30, 2), (31, 3), (10, 1), (7, 2)])
def test_each_document_goes_to_exactly_k_different_annotators(documents, k):
    people = PEOPLE + ["dev"]
    assigned = plan(range(documents), people, seed=11, per_document=k)
    assert all(len(set(p)) == len(p) == k for p in assigned.values())
    counts = loads(assigned)
    assert sum(counts.values()) == documents * k
    assert max(counts.values()) - min(counts.get(p, 0) for p in people) <= 1


def test_the_same_seed_gives_the_same_plan_and_another_seed_another():
    docs = list(range(1, 41))
    first = plan(docs, PEOPLE, seed=7, overlap=0.2)
    assert plan(list(reversed(docs)), PEOPLE, seed=7, overlap=0.2) == first
    assert plan(docs, PEOPLE, seed=8, overlap=0.2) != first
    assert plan(docs, PEOPLE, seed=7, per_document=2) == plan(docs, PEOPLE, seed=7,
                                                              per_document=2)


@pytest.mark.parametrize("kwargs, message", [
    ({"per_document": 4}, "cannot go to 4 annotators: there are only 3"),
    ({"overlap": 1.5}, "between 0 and 1"),
    ({"overlap": -0.1}, "between 0 and 1"),
    ({}, "either an overlap"),
    ({"overlap": 0.2, "per_document": 2}, "either an overlap"),
])
def test_a_plan_that_cannot_be_made_says_why(kwargs, message):
    with pytest.raises(AssignmentError, match=message):
        plan(range(10), PEOPLE, seed=1, **kwargs)


def test_no_annotators_or_no_documents_is_said_plainly():
    with pytest.raises(AssignmentError, match="at least one annotator"):
        plan(range(10), [], seed=1, overlap=0.5)
    with pytest.raises(AssignmentError, match="no documents"):
        plan([], PEOPLE, seed=1, overlap=0.5)


def test_the_workspace_stores_the_plan_creates_new_annotators_and_refuses_gold(reviews,
                                                                             fresh_db):
    ids = reviews(*(f"Review {i}\nThe ending of story {i} surprised me." for i in range(12)))
    ada = fresh_db.switch_to("ada")
    result = fresh_db.assign(["ada", "ben", "cleo"], seed=5, overlap=0.25)
    assert result.new_annotators == ["ben", "cleo"]
    assert fresh_db.annotator_by_name("ben") is not None
    held = fresh_db.assignments()
    assert sorted({d for docs in held.values() for d in docs}) == sorted(ids.values())
    assert len(held[ada.uuid]) == 3 + 3  # 3 shared, 9 split three ways
    assert result.shared == 3 and result.counts()[ada.uuid] == (6, 3)
    [entry] = [e for e in fresh_db.change_log() if e["entity"] == "assignment_plan"]
    assert entry["data"]["seed"] == 5 and entry["who"] == ada.uuid

    with pytest.raises(EditRefused, match="gold"):
        fresh_db.assign(["ada", "gold"], seed=5, overlap=0.25)
    with pytest.raises(AssignmentError, match="there are only 2"):
        fresh_db.assign(["ada", "dora"], seed=5, per_document=3)
    assert fresh_db.annotator_by_name("dora") is None  # nothing stored from a failed plan
    assert fresh_db.assignments() == held


def test_a_new_plan_replaces_the_earlier_assignments_of_its_documents_only(reviews,
                                                                          fresh_db):
    reviews(*(f"Review {i}\nA {'harbour' if i < 4 else 'forest'} story." for i in range(10)))
    fresh_db.assign(["ada", "ben"], seed=1, per_document=1)
    harbour = fresh_db.document_ids("harbour")
    result = fresh_db.assign(["cleo"], seed=1, overlap=1.0, query="harbour")
    assert result.replaced == 4 and sorted(result.plan) == sorted(harbour)
    held = fresh_db.assignments()
    cleo = fresh_db.annotator_by_name("cleo").uuid
    assert held[cleo] == sorted(harbour)
    others = [d for who, docs in held.items() if who != cleo for d in docs]
    assert len(others) == 6 and not set(others) & set(harbour)
    with pytest.raises(AssignmentError, match="no document matches"):
        fresh_db.assign(["cleo"], seed=1, overlap=1.0, query="lighthouse")


def test_deleting_a_document_deletes_its_assignments(reviews, fresh_db):
    ids = reviews("One\nfirst.", "Two\nsecond.")
    fresh_db.assign(["ada"], seed=1, overlap=1.0)
    fresh_db.delete_documents([ids["One"]])
    [docs] = fresh_db.assignments().values()
    assert docs == [ids["Two"]]


def test_assign_on_the_command_line_prints_the_plan(tmp_path, inbox):
    for i in range(20):
        (inbox / f"{i:02}.txt").write_text(f"Review {i}\nThe twist in story {i}.")
    db = str(tmp_path / "team.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--db", db, "import", str(inbox)]).exit_code == 0
    shown = runner.invoke(main, ["--db", db, "assign", "--annotators", "ada,ben",
                                 "--annotators", "cleo", "--overlap", "0.2", "--seed", "4"])
    assert shown.exit_code == 0, shown.output
    assert "assigned 20 documents (overlap 0.2, seed 4); 4 shared" in shown.output
    assert "new annotators: ada, ben, cleo" in shown.output
    as_json = runner.invoke(main, ["--db", db, "assign", "--annotators", "ada,ben,cleo",
                                   "--overlap", "0.2", "--seed", "4", "--json"])
    data = json.loads(as_json.output)
    assert data["replaced"] == 20 and data["shared"] == 4
    assert [a["documents"] for a in data["annotators"]] == [
        sum(a["uuid"] in people for people in data["assignments"].values())
        for a in data["annotators"]]
    assert sorted(a["documents"] for a in data["annotators"]) == [9, 9, 10]
    again = runner.invoke(main, ["--db", db, "assign", "--annotators", "ada,ben,cleo",
                                 "--overlap", "0.2", "--seed", "4", "--json"])
    assert json.loads(again.output)["assignments"] == data["assignments"]  # the same seed

    for args, message in ((["--per-document", "4"], "there are only 3"),
                          (["--overlap", "1.5"], "between 0 and 1"),
                          ([], "either --overlap FRACTION or --per-document K")):
        refused = runner.invoke(main, ["--db", db, "assign", "--annotators", "ada,ben,cleo",
                                       "--seed", "1", *args])
        assert refused.exit_code != 0 and message in refused.output
