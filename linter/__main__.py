"""``python -m campaign_lint`` and the ``campaign-lint`` console script."""

import os
import sys


def run() -> None:
    """Load the CLI and run it; Ctrl-C while loading ends like Ctrl-C during a run (exit 130,
    one line on stderr, no traceback). :func:`campaign_lint.cli.run` never returns: it exits
    without the interpreter's teardown once the report is flushed."""
    try:
        from .cli import run as run_cli

        run_cli()
    except KeyboardInterrupt:
        try:
            sys.stderr.write("campaign-lint: interrupted\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        os._exit(130)


if __name__ == "__main__":
    run()
