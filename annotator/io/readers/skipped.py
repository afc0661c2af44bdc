"""What a JSON file held that was deliberately not imported as it stood, told in its notes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Skipped:
    prodigy: Counter = field(default_factory=Counter)  # answer -> records
    cancelled: int = 0  # Label Studio annotations
    results: Counter = field(default_factory=Counter)  # Label Studio result type -> count
    predictions: int = 0
    blank: Counter = field(default_factory=Counter)  # format -> records of white space only
    label_numbers: set = field(default_factory=set)  # doccano label ids without a name
    unresolved_relations: int = 0  # doccano relations naming an entity the record lacks

    def notes(self) -> list[str]:
        notes = []
        if self.prodigy:
            counts = ", ".join(f"{n} {answer}" for answer, n in sorted(self.prodigy.items()))
            notes.append(f"skipped {self.prodigy.total()} Prodigy record(s) answered reject "
                         f"or ignore ({counts}): only accepted answers are annotations")
        if self.cancelled:
            notes.append(f"skipped {self.cancelled} cancelled Label Studio annotation(s)")
        if self.results:
            counts = ", ".join(f"{kind}: {n}" for kind, n in sorted(self.results.items()))
            notes.append(f"skipped {self.results.total()} Label Studio result(s) that are "
                         f"not span labels ({counts})")
        if self.predictions:
            notes.append(f"did not import {self.predictions} Label Studio prediction(s): "
                         "they are a model's suggestions, not annotations")
        for shape, n in sorted(self.blank.items()):
            notes.append(f"skipped {n} {shape} record(s) whose text is only white space and "
                         "that mark nothing")
        if self.label_numbers:
            numbers = sorted(self.label_numbers)
            shown = ", ".join(f"label-{n}" for n in numbers[:10])
            more = f" and {len(numbers) - 10} more" if len(numbers) > 10 else ""
            notes.append(f"doccano names {len(numbers)} label(s) by number only: kept as "
                         f"{shown}{more}; import the project's label list (the labels "
                         "JSON doccano exports) with this file to get their names")
        if self.unresolved_relations:
            notes.append(f"{self.unresolved_relations} doccano relation(s) name an entity "
                         "their record does not have: kept in the document's details as "
                         "they were")
        return notes
