"""The overlap questions suggestions ask, against the obvious answer on random stretches."""

from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.stretches import Disjoint, Stretches

stretch = st.tuples(st.integers(0, 60), st.integers(1, 15)).map(lambda t: (t[0], t[0] + t[1]))


def overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@given(st.lists(stretch, max_size=12), stretch)
def test_stretches_say_whether_any_overlaps(places, asked):
    assert Stretches(places).overlaps(*asked) == any(overlap(p, asked) for p in places)


@given(st.lists(stretch, max_size=20))
def test_disjoint_takes_what_overlaps_nothing_taken_before(places):
    disjoint, taken = Disjoint(), []
    for place in places:
        expected = not any(overlap(place, t) for t in taken)
        assert disjoint.take(*place) == expected
        if expected:
            taken.append(place)
