"""``python -m engage`` and the ``engage`` console script."""

import gc
import sys


def main() -> None:
    """Run the app; Ctrl-C while it is still starting up exits 130 quietly too.

    The app's own error boundary only exists once typer runs the command, and importing
    the CLI takes a noticeable share of a run.

    The cyclic garbage collector is off for the run: engage is a short-lived process
    whose values hold no reference cycles (reference counting frees everything), and
    the collector only re-scans every object as a set grows: a fifth of loading and
    ranking 100,000 options, and a few per cent of start-up, for nothing collected (a
    test checks that a run leaves no cycles behind). For the same reason every object
    is frozen at the end: the interpreter's last collection on the way out went over all
    of them (typer, pydantic, rich and the set), a sixth of a short run.
    """
    gc.disable()
    try:
        from engage.cli.base import main as run

        run()
    except KeyboardInterrupt:
        sys.exit(130)
    finally:
        gc.freeze()


if __name__ == "__main__":
    main()
