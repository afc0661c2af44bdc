"""One runner for work off the GUI thread: import, export, agreement (later merges and
suggestions), with progress, cancel and one way to fail.

The work runs in a QThread on a workspace of its own (its own database connection), as
the same person. What it changes is passed on to the window's workspace in the GUI thread
when it ends, so every view updates from the same `Change`s as after any edit (Anki's
CollectionOp ending in operation_did_execute). A project error (`AnnotatorError`) reaches
the caller as a message; anything else is a bug and is raised in the GUI thread, where the
crash report catches it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from annotator.domain.changes import Change
from annotator.domain.errors import AnnotatorError
from annotator.workspace import Job, Workspace

from .plain import plain_label

T = TypeVar("T")
Work = Callable[[Workspace, Job], T]
PROGRESS_EVERY = 0.05  # seconds between progress reports: a queue, not a flood


class _ThreadJob(Job):
    def __init__(self, thread: _Thread) -> None:
        self.thread = thread
        self.stop = False
        self._last = 0.0

    def progress(self, done: int, total: int, text: str = "") -> None:
        now = time.monotonic()
        if now - self._last >= PROGRESS_EVERY or done >= total:
            self._last = now
            self.thread.progressed.emit(done, total, text)

    def cancelled(self) -> bool:
        return self.stop


class _Thread(QThread):
    progressed = Signal(int, int, str)
    ended = Signal(object, object, object)  # result, changes, error

    def __init__(self, workspace: Workspace, work: Work, parent: QObject) -> None:
        super().__init__(parent)
        self.workspace, self.work = workspace, work
        self.session = workspace.session  # who is working: settled here, in the GUI thread
        self.job = _ThreadJob(self)

    def run(self) -> None:  # in the worker thread
        changes: list[Change] = []
        try:
            with self.workspace.for_thread(self.session) as mine:
                mine.changed.connect(changes.append)
                result = self.work(mine, self.job)
        except BaseException as e:  # every failure goes back to the GUI thread
            self.ended.emit(None, changes, e)
            return
        self.ended.emit(result, changes, None)


class Task(Generic[T]):
    """Work under way; `cancel()` asks it to stop between steps."""

    def __init__(self, thread: _Thread) -> None:
        self.thread = thread
        self.job = thread.job  # kept here: the thread object is deleted once it has ended
        self.ended = False

    def cancel(self) -> None:
        self.job.stop = True

    @property
    def running(self) -> bool:
        return not self.ended


class Closed(AnnotatorError):
    """The window is closing: no new work starts."""


class Runner(QObject):
    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.tasks: list[Task] = []
        self.closed = False

    def submit(self, work: Work[T], done: Callable[[T], object],
               failed: Callable[[BaseException], object] | None = None,
               progress: Callable[[int, int, str], object] | None = None,
               bugs_too: bool = False, writes: bool = True) -> Task[T]:
        """Start `work(workspace, job)` in a worker thread; `done(result)` or
        `failed(error)` is called in the GUI thread once its changes are announced.
        `failed` is told of the project's errors; any other exception is raised in the GUI
        thread for the crash report, unless `bugs_too` (the caller raises it itself).
        Work that `writes` nothing (a training) leaves what other programs wrote meanwhile
        to be found as changes made elsewhere. After `shutdown`, Closed."""
        if self.closed:
            raise Closed("the window is closing")
        thread = _Thread(self.workspace, work, self)
        task: Task[T] = Task(thread)
        if progress is not None:
            thread.progressed.connect(progress, Qt.ConnectionType.QueuedConnection)

        def ended(result: Any, changes: list[Change], error: BaseException | None) -> None:
            thread.wait()
            task.ended = True
            self.tasks.remove(task)
            thread.deleteLater()
            if writes:
                self.workspace.caught_up()  # its writes are this window's, not another's
            try:
                for change in changes:  # what the work changed reaches every view
                    self.workspace.announce(change)
            finally:  # a view that fails must not leave the caller waiting for ever
                if error is None:
                    done(result)
                elif failed is not None and (bugs_too or isinstance(error, AnnotatorError)):
                    failed(error)
                else:
                    raise error  # a bug: the crash report has it

        thread.ended.connect(ended, Qt.ConnectionType.QueuedConnection)
        self.tasks.append(task)
        thread.start()
        return task

    def run(self, parent: QWidget, title: str, label: str, work: Work[T],
            cancellable: bool = True, name: str = "progress",
            describe: Callable[[int, int, str], str] | None = None) -> T:
        """Run work with a progress dialog (Cancel if `cancellable`) while the window
        stays painted; returns its result, or raises what it raised. `describe(done,
        total, text)` words the progress line (default: the work's own text).

        The dialog is shown at once and stays until the work has ended (after Cancel too,
        saying it is stopping): while it is up the window takes no keys, clicks or drops,
        so nothing else writes to the database meanwhile."""
        dialog = QProgressDialog(parent)
        # Its own label is AutoText: a file name like `<img src=…>.txt` would be rendered.
        dialog.setLabel(plain_label(QLabel(dialog), label))
        dialog.setCancelButtonText("Cancel")
        dialog.setRange(0, 0)
        dialog.setObjectName(name)
        dialog.setWindowTitle(title)
        if not cancellable:  # atomic work: it ends whole or not at all
            dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        loop = QEventLoop()
        outcome: dict[str, Any] = {}

        def finish(**result: Any) -> None:
            outcome.update(result)
            loop.quit()

        def report(done: int, total: int, text: str) -> None:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))
            line = describe(done, total, text) if describe else text
            if line:
                dialog.setLabelText(line)

        task = self.submit(work, done=lambda result: finish(result=result),
                           failed=lambda error: finish(error=error), progress=report,
                           bugs_too=True)

        def stopping() -> None:
            task.cancel()
            if not outcome:  # Cancel hid the dialog; the work ends its current step first
                dialog.setCancelButton(None)
                dialog.setLabelText("Stopping after the current step…")
                dialog.show()
        dialog.canceled.connect(stopping)
        dialog.show()
        try:
            loop.exec()  # the work's end is queued to this loop: it cannot have come yet
        finally:
            dialog.reset()
            dialog.deleteLater()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["result"]

    def wait(self) -> None:
        """Let every task end (tests)."""
        for task in list(self.tasks):
            task.thread.wait()

    def shutdown(self) -> None:
        """The window is closing: no new work; what runs is asked to stop, and waited for
        (long work stops between steps), so no thread outlives the application."""
        self.closed = True
        for task in list(self.tasks):
            task.cancel()
        self.wait()
