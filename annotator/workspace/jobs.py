"""Long work (import, export, agreement, later merges and suggestions) is told how far it
got and asked whether to stop through a Job; the window's runner and the CLI give one."""

from __future__ import annotations


class Job:
    """Does nothing by itself: runs to the end, tells no one. Subclasses report and stop."""

    def progress(self, done: int, total: int, text: str = "") -> None:
        """`done` of `total` steps (files, documents); `text` names the one now."""

    def cancelled(self) -> bool:
        """Asked between steps: True stops the work cleanly (what is done stays done)."""
        return False
