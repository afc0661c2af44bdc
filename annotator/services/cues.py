"""Checking the cues written for a label before they are saved: each `re:` line must be a
regular expression the cue-list recommender can compile (the regex module, as it does)."""

from __future__ import annotations

import regex

from annotator.domain.model import Label


def cue_problems(labels: list[Label]) -> list[str]:
    """One message per bad cue line, naming the label and the line as the editor numbers it
    (blank and comment lines counted), so that it can be found and fixed."""
    found: list[str] = []
    for i, label in enumerate(labels):
        called = f"“{label.name.strip()}”" if label.name.strip() else f"Label {i + 1}"
        for number, raw in enumerate(label.cues.splitlines(), 1):
            line = raw.strip()
            if not line.startswith("re:"):
                continue
            pattern = line[3:].strip()
            if not pattern:
                found.append(f"{called}, cue line {number}: “re:” needs a regular "
                             "expression after it.")
                continue
            try:
                regex.compile(pattern, regex.IGNORECASE)
            except (regex.error, ValueError, OverflowError) as err:
                # regex.error's msg is the reason alone; its str() adds a position that
                # counts from after "re:", which would mislead.
                found.append(f"{called}, cue line {number}: "
                             f"{getattr(err, 'msg', None) or err}.")
    return found
