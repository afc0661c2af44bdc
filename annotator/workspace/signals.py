"""A Qt-free signal: the workspace tells whoever listens (views through the UI's bus, the
CLI, tests) what changed, without knowing who they are."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Signal(Generic[T]):
    """Listeners that are bound methods are held weakly: a window that is gone stops
    listening even if nobody disconnected it. Plain functions are held as given."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[], Callable[[T], object] | None]] = []

    def connect(self, listener: Callable[[T], object]) -> None:
        if hasattr(listener, "__self__") and hasattr(listener, "__func__"):
            self._listeners.append(weakref.WeakMethod(listener))
        else:
            self._listeners.append(lambda: listener)

    def disconnect(self, listener: Callable[[T], object]) -> None:
        self._listeners = [ref for ref in self._listeners if ref() not in (listener, None)]

    def emit(self, value: T) -> None:
        for ref in list(self._listeners):
            listener = ref()
            if listener is None:
                self._listeners.remove(ref)
            else:
                listener(value)
