"""The agreement measures, listed once: their keys, names and titles, in the order shown."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    """One agreement measure as the report, the CLI and the windows name it."""

    key: str  # in reports, JSON and on the command line
    name: str  # in full: menus, tooltips and report headers
    title: str  # a table column's title
    heading: str  # a plain-text column heading, for the terminal


MEASURES = (
    Measure("unitizing_alpha", "unitizing alpha (spans)", "Unitizing α", "u-alpha"),
    Measure("alpha", "Krippendorff's alpha (characters)", "Char. α", "alpha"),
    Measure("kappa", "Cohen's kappa (characters)", "Mean κ", "kappa"),
    Measure("f1_exact", "span F1, exact match", "F1 exact", "F1 exact"),
    Measure("f1_overlap", "span F1, overlap", "F1 overlap", "F1 overlap"),
)

_BY_KEY = {m.key: m for m in MEASURES}


def measure(key: str) -> Measure:
    """The measure with this key; ValueError naming the known ones otherwise."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise ValueError(f"no agreement measure {key!r}; known: "
                         + ", ".join(_BY_KEY)) from None
