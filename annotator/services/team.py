"""Team work for the lead: assigning documents, making each annotator's package, and
following everyone's progress. (Merging packages back: services.merge.)"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain import assignment
from annotator.domain.bundle import BundleInfo, BundleReport
from annotator.domain.errors import EditRefused
from annotator.domain.model import Annotator, new_uuid, now_iso
from annotator.store.bundles import write_bundle
from annotator.store.database import Store

IDLE_SECONDS = 5 * 60  # a longer gap between two edits is time away, not time spent


@dataclass(frozen=True)
class AssignmentResult:
    """A plan as stored: who has what, and what it replaced."""

    plan_uuid: str
    seed: int
    mode: str  # "overlap" or "per_document"
    value: float  # the overlap fraction, or K
    annotators: list[Annotator]
    plan: dict[int, list[str]]  # document id -> annotator uuids
    replaced: int  # documents of the plan that had earlier assignments (now replaced)
    new_annotators: list[str] = field(default_factory=list)  # names created for it
    query: str | None = None

    @property
    def shared(self) -> int:
        """Documents given to more than one annotator (agreement is measured on these)."""
        return sum(len(people) > 1 for people in self.plan.values())

    def counts(self) -> dict[str, tuple[int, int]]:
        """Annotator uuid -> (documents, of which shared with someone)."""
        found = {a.uuid: [0, 0] for a in self.annotators}
        for people in self.plan.values():
            for uuid in people:
                found[uuid][0] += 1
                found[uuid][1] += len(people) > 1
        return {uuid: (n, shared) for uuid, (n, shared) in found.items()}

    def as_json(self) -> dict:
        counts = self.counts()
        return {
            "plan": self.plan_uuid, "seed": self.seed, "mode": self.mode,
            "value": self.value, "query": self.query, "documents": len(self.plan),
            "shared": self.shared, "replaced": self.replaced,
            "new_annotators": self.new_annotators,
            "annotators": [{"uuid": a.uuid, "name": a.name, "documents": counts[a.uuid][0],
                            "shared": counts[a.uuid][1]} for a in self.annotators],
            "assignments": {str(doc_id): people for doc_id, people in self.plan.items()},
        }


def assign(store: Store, annotators: list[Annotator], doc_ids: list[int], seed: int,
           overlap: float | None, per_document: int | None, query: str | None,
           who: str | None) -> AssignmentResult:
    """Make the plan and store it (inside the caller's transaction): the documents it
    covers lose their earlier assignments. AssignmentError if it cannot be made."""
    uuids = [a.uuid for a in annotators]
    plan = assignment.plan(doc_ids, uuids, seed, overlap=overlap, per_document=per_document)
    mode, value = (("overlap", float(overlap)) if overlap is not None
                   else ("per_document", float(per_document or 0)))
    plan_uuid = new_uuid()
    replaced = store.assignments.store_plan(plan_uuid, seed, mode, value, uuids, query, plan,
                                            who)
    return AssignmentResult(plan_uuid, seed, mode, value, annotators, plan, replaced,
                            query=query)


def create_bundle(store: Store, annotator: Annotator, path: Path | str,
                  force: bool = False) -> BundleReport:
    """Write `annotator`'s package: their assigned documents (EditRefused if none), the
    label set, the latest guidelines, the annotator, and their spans and statuses on
    those documents so far. See store.bundles.write_bundle."""
    began = time.perf_counter()
    doc_ids = store.assignments.of(annotator.uuid)
    if not doc_ids:
        raise EditRefused(f"{annotator.name} has no documents assigned: assign documents "
                          "first (Team → Assign…, or `annotator assign`)")
    latest = store.guidelines.latest()
    info = BundleInfo(annotator.uuid, annotator.name, now_iso(), store.settings.database_uuid,
                      latest[0] if latest else None, len(doc_ids))
    written = write_bundle(store, Path(path), (annotator.uuid, annotator.name), doc_ids,
                           info.guidelines_version, info.as_json(), force)
    return BundleReport(Path(path), info, written.spans, written.statuses, written.labels,
                        time.perf_counter() - began)


@dataclass(frozen=True)
class AnnotatorProgress:
    """One row of the lead's progress table."""

    annotator: Annotator
    assigned: int
    done: int  # of the assigned documents, marked done
    spans: dict[str, int]  # label name -> spans
    seconds: float  # time spent, from the change log (idle gaps left out)
    last_activity: str | None  # the time of their last change-log entry (ISO UTC)

    def as_json(self) -> dict:
        return {"uuid": self.annotator.uuid, "name": self.annotator.name,
                "assigned": self.assigned, "done": self.done, "spans": self.spans,
                "seconds": round(self.seconds, 1), "last_activity": self.last_activity}


def progress(store: Store, idle: float = IDLE_SECONDS) -> list[AnnotatorProgress]:
    """Everyone with documents assigned, spans, statuses or entries in the change log,
    by name (gold too, when it has any)."""
    assigned = {uuid: len(ids) for uuid, ids in store.assignments.all().items()}
    done = store.assignments.done_counts()
    spans = store.progress.spans_by_label()
    times = store.progress.time_spent(idle)
    statuses = store.progress.done_counts()
    rows = []
    for person in store.annotators.all():
        uuid = person.uuid
        if not (uuid in assigned or uuid in spans or uuid in times or uuid in statuses):
            continue
        seconds, last = times.get(uuid, (0.0, None))
        rows.append(AnnotatorProgress(person, assigned.get(uuid, 0), done.get(uuid, 0),
                                      spans.get(uuid, {}), seconds, last))
    return rows
