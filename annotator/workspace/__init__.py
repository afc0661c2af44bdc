"""The Qt-free core the window and the CLI talk to: data, edits, undo, long work."""

from .jobs import Job
from .workspace import Session, Workspace

__all__ = ["Job", "Session", "Workspace"]
