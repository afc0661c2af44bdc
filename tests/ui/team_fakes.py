"""The core's team API, for a window whose workspace does not have it yet: methods added
to a real workspace, keeping what they are given in memory."""

from __future__ import annotations

from types import SimpleNamespace

from annotator.domain.changes import Change


def give_guidelines(workspace, text: str | None = None) -> list[tuple[int, str]]:
    """Guidelines (versions kept in a list) unless the workspace has its own."""
    if hasattr(type(workspace), "set_guidelines"):
        if text is not None:
            workspace.set_guidelines(text)
        return []
    versions: list[tuple[int, str]] = []

    def guidelines():
        return versions[-1] if versions else None

    def set_guidelines(new: str):
        versions.append((len(versions) + 1, new))
        change = Change(labels_changed=False)
        object.__setattr__(change, "notes", ())
        return workspace.announce(change)

    workspace.guidelines = guidelines
    workspace.set_guidelines = set_guidelines
    if text is not None:
        set_guidelines(text)
    return versions


def make_bundle(workspace, name: str = "Mira", version: int = 3, done: int = 12,
                total: int = 40) -> SimpleNamespace:
    info = SimpleNamespace(annotator_name=name, guidelines_version=version,
                           made_at="2026-12-04T10:00:00Z", documents=total, done=done)
    workspace.bundle = info
    workspace.bundle_progress = lambda: (info.done, info.total if hasattr(info, "total")
                                         else total)
    return info
