"""The window's side of team work: the guidelines beside the document, the Team menu (the
lead's guidelines, assignment, packages, merge and progress) and, in an annotator's
package, whose package it is and how far along."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget

from annotator.domain.bundle import BundleInfo
from annotator.domain.changes import Change
from annotator.domain.errors import AnnotatorError
from annotator.workspace import Workspace

from .dialogs.messages import inform
from .plain import tooltip
from .views.banner import Banner
from .views.guidelines_panel import GuidelinesPanel

if TYPE_CHECKING:
    from .main_window import MainWindow

LEAD_ONLY = ("This is an annotation package: the project lead writes the guidelines, "
             "assigns, packages and merges work in the project's database.")


def bundle_banner_text(info: BundleInfo) -> str:
    """"Mira's annotation package · guidelines version 3"."""
    text = f"{info.annotator_name}'s annotation package"
    if info.guidelines_version is not None:
        text += f" · guidelines version {info.guidelines_version}"
    else:
        text += " · no guidelines yet"
    return text


class Team(QObject):
    """Builds the Guidelines dock and the Team menu on the window and keeps them current."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel = GuidelinesPanel(window)
        self.panel.setObjectName("guidelinesPanel")
        self.dock = QDockWidget("Guidelines", window)
        self.dock.setObjectName("guidelinesDock")
        self.dock.setWidget(self.panel)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                              | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.spans_dock, self.dock)
        window.spans_dock.raise_()
        self.banner = Banner(window)
        layout = window.central_layout
        layout.insertWidget(0, self.banner)
        self.lead_actions: list[QAction] = []

    @property
    def workspace(self) -> Workspace:
        return self.window.workspace

    def make_menu(self) -> None:
        menu = self.window.menuBar().addMenu("&Team")
        menu.setObjectName("teamMenu")
        menu.setToolTipsVisible(True)
        self.menu = menu
        w = self.window
        self.guidelines_action = w._action(menu, "&Guidelines…", self.edit_guidelines)
        menu.addSeparator()
        self.assign_action = w._action(menu, "&Assign…", self.assign)
        self.bundles_action = w._action(menu, "Create annotator &packages…",
                                        self.create_bundles)
        self.merge_action = w._action(menu, "&Merge packages…", self.merge)
        menu.addSeparator()
        self.progress_action = w._action(menu, "P&rogress", self.show_progress)
        self.lead_actions = [self.guidelines_action, self.assign_action, self.bundles_action,
                             self.merge_action, self.progress_action]
        self.show_mode()

    # --- what is shown ------------------------------------------------------------------
    @property
    def in_bundle(self) -> bool:
        return self.workspace.bundle is not None

    def show_mode(self) -> None:
        """The package's strip and the lead's actions, as the workspace is."""
        info = self.workspace.bundle
        for action in self.lead_actions:
            action.setEnabled(info is None)
            action.setToolTip(LEAD_ONLY if info is not None else "")
        who = self.window.who_box
        who.setEnabled(info is None)  # a package is its annotator's
        who.setToolTip(tooltip(info.refusal) if info is not None else "")
        if info is None:
            self.banner.hide()
        else:
            self.banner.show_message(bundle_banner_text(info), "info")
            self.banner.close_button.hide()  # who you work as stays in view
        self.show_guidelines()

    def show_guidelines(self) -> None:
        try:
            found = self.workspace.guidelines()
        except AnnotatorError as e:  # a damaged page: the panel says so, as plain text
            self.panel.show_guidelines(None, self.window.labels)
            self.panel.view.setPlainText(f"The guidelines cannot be read: {e}")
            return
        self.panel.show_guidelines(found, self.window.labels)

    def on_change(self, change: Change) -> None:
        if change.labels_changed or change.guidelines_changed:
            self.show_guidelines()

    def progress_text(self) -> str | None:
        """The status bar's "12 of 40 done" in a package (its assigned documents)."""
        if not self.in_bundle:
            return None
        try:
            done, total = self.workspace.bundle_progress()
        except AnnotatorError:
            return None
        return f"{done:,} of {total:,} done"

    # --- the lead's actions -------------------------------------------------------------
    def _refuse_in_bundle(self) -> bool:
        if self.in_bundle:
            inform(self.window, "Not in a package", LEAD_ONLY)
            return True
        return False

    def edit_guidelines(self) -> None:
        if self._refuse_in_bundle() or not self.window._writable():
            return
        from .dialogs.guidelines_dialog import GuidelinesDialog
        text = GuidelinesDialog.ask(self.window, self.workspace.guidelines())
        if text is not None:
            self._save_guidelines(text)

    def _save_guidelines(self, text: str) -> None:
        try:
            self.workspace.set_guidelines(text)
        except AnnotatorError as e:
            inform(self.window, "Guidelines not saved", str(e), warning=True)
            return
        self.show_guidelines()  # also when the core announces no Change for it

    def assign(self) -> None:
        if self._refuse_in_bundle() or not self.window._writable():
            return
        from .dialogs.assign_dialog import AssignDialog
        AssignDialog.run(self.window, self.workspace, self.window.documents.search)

    def create_bundles(self) -> None:
        if self._refuse_in_bundle():
            return
        from .dialogs.bundles import create_bundles
        create_bundles(self.window, self.workspace, self.window.runner)

    def merge(self) -> None:
        if self._refuse_in_bundle() or not self.window._writable():
            return
        from .dialogs.merge_dialog import MergeDialog
        MergeDialog.run(self.window, self.workspace, self.window.runner)

    def show_progress(self) -> None:
        if self._refuse_in_bundle():
            return
        from .dialogs.progress_window import ProgressWindow
        ProgressWindow.show_for(self.window, self.workspace, self.window.bus.changed)
