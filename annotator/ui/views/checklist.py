"""A button whose menu is a list of names to tick, staying open while you tick."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QMenu,
    QPushButton,
    QWidget,
)

from ..plain import tooltip


class ChecklistMenu(QMenu):
    """A menu of checkboxes that stays open while they are ticked."""

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt override)
        action = self.actionAt(event.position().toPoint())
        if action is not None and action.isEnabled() and not action.menu():
            action.trigger()
            return
        super().mouseReleaseEvent(event)


class Checklist(QPushButton):
    """A button naming what is ticked ("Annotators: mira, tomasz"); its menu ticks them."""

    changed = Signal()

    def __init__(self, noun: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.noun = noun
        self.actions_by_name: dict[str, QAction] = {}
        self.setAutoDefault(False)
        self.setMenu(ChecklistMenu(self))

    def fill(self, names: list[str], checked: set[str], icons: dict[str, Any] | None = None,
             notes: dict[str, str] | None = None) -> None:
        menu = self.menu()
        menu.clear()
        self.actions_by_name = {}
        menu.addAction("Tick all", lambda: self.set_checked(set(self.actions_by_name)))
        menu.addAction("Tick none", lambda: self.set_checked(set()))
        menu.addSeparator()
        for name in names:
            note = (notes or {}).get(name)
            action = QAction(f"{name}  ({note})" if note else name, menu)
            if icons and name in icons:
                action.setIcon(icons[name])
            action.setToolTip(tooltip(name))  # by default its text, which could be markup
            action.setCheckable(True)
            action.setChecked(name in checked)
            action.toggled.connect(self._toggled)
            menu.addAction(action)
            self.actions_by_name[name] = action
        self._name_it()

    def checked(self) -> list[str]:
        return [n for n, a in self.actions_by_name.items() if a.isChecked()]

    def set_checked(self, names: set[str]) -> None:
        for name, action in self.actions_by_name.items():
            action.blockSignals(True)
            action.setChecked(name in names)
            action.blockSignals(False)
        self._toggled()

    def _toggled(self, _checked: bool = False) -> None:
        self._name_it()
        self.changed.emit()

    def _name_it(self) -> None:
        ticked, total = self.checked(), len(self.actions_by_name)
        if total and len(ticked) == total:
            shown = f"all {total}" if total > 3 else ", ".join(ticked)
        elif not ticked:
            shown = "none"
        elif len(ticked) <= 3 and sum(map(len, ticked)) <= 32:
            shown = ", ".join(ticked)
        else:
            shown = f"{len(ticked)} of {total}"
        self.setText(f"{self.noun}: {shown}")
        self.setToolTip(tooltip(f"{self.noun}: {', '.join(ticked) or 'none'}"))


# --- the window ------------------------------------------------------------------------------

