"""``python -m engage`` and the ``engage`` console script."""

import sys


def main() -> None:
    """Run the app; Ctrl-C while it is still starting up exits 130 quietly too.

    The app's own error boundary only exists once typer runs the command, and importing
    the CLI takes a noticeable share of a run.
    """
    try:
        from engage.cli.base import main as run

        run()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
