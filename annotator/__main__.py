"""`python -m annotator` and the `annotator` command."""

import gc
import sys


def start() -> None:
    """The command. Start-up allocates much and frees little, so the garbage collector
    stays off until the window has painted (ui.app.open_window turns it on again) or a
    command other than the window is chosen (cli.main): ~40 ms of a ~300 ms cold start."""
    # First of all: in the desktop bundle, a spawned worker (recommenders/elsewhere.py) is this
    # same program started again, and must become the worker here instead of the command.
    if getattr(sys, "frozen", False):  # a plain run needs none of it: not even its import
        import multiprocessing

        multiprocessing.freeze_support()
    gc.disable()
    from annotator.cli import main

    main()


if __name__ == "__main__":
    start()
