"""`python -m annotator` and the `annotator` command."""

import gc


def start() -> None:
    """The command. Start-up allocates much and frees little, so the garbage collector
    stays off until the window has painted (ui.app.open_window turns it on again) or a
    command other than the window is chosen (cli.main): ~40 ms of a ~300 ms cold start."""
    gc.disable()
    from annotator.cli import main

    main()


if __name__ == "__main__":
    start()
