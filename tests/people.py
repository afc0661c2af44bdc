"""Other people at work on the same database, for tests: each opens it with a settings file
of their own and edits through a workspace, as they would on their own machine."""

from contextlib import contextmanager
from pathlib import Path

from annotator.domain.model import Span
from annotator.workspace import Workspace
from annotator.workspace.user_state import UserState


@contextmanager
def person(workspace: Workspace, name: str):
    """`with person(ws, "ben") as ben: ben.add_span(...)`: ben's own workspace on the same
    database file, closed (checkpointed) afterwards. Gold: `person(ws, "gold")` adjudicates
    as a person called "adjudicator"."""
    path = Path(workspace.path)
    other = Workspace.open(path, UserState(path.with_name(f"{path.name}.{name}.json")))
    try:
        if name == "gold":
            other.switch_to("adjudicator")
            other.adjudicate()
        else:
            other.switch_to(name)
        yield other
    finally:
        other.close()


def span_by(workspace: Workspace, name: str, doc_id: int, label: str, start: int, end: int,
            note: str | None = None) -> Span:
    """One span made by `name` (created if new); `label` is a label's name or uuid."""
    with person(workspace, name) as other:
        uuid = next((lb.uuid for lb in other.labels() if label in (lb.name, lb.uuid)), label)
        change = other.add_span(doc_id, uuid, start, end, note=note)
    return change.added[0]


def label_uuid(workspace: Workspace, name: str) -> str:
    return next(lb.uuid for lb in workspace.labels() if lb.name == name)
