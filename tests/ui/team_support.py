"""What the team stories share: a lead's window with reviews assigned, and packages."""

from PySide6.QtWidgets import QApplication

TEXTS = [f"Review {i}\nThe ending of story {i} made me cry, and the twist was earned."
         for i in range(12)]


def lead_window(open_window):
    """The lead's window: 12 reviews, mira and tomasz sharing half of them (seed 3), the
    guidelines in their first version."""
    window = open_window(*TEXTS, db="team.db")
    window.workspace.assign(["mira", "tomasz"], seed=3, overlap=0.5)
    window.workspace.set_guidelines("# Spoilers\nMark what gives the plot away.")
    return window


def package(window, tmp_path, name="mira"):
    """`name`'s package, written beside the project."""
    path = tmp_path / f"{name}.annot"
    window.workspace.create_bundle(name, path)
    return path


def modal():
    """The dialog waiting for the user."""
    return QApplication.activeModalWidget()
