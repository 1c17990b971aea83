"""The ``vidora`` command line: one Typer app with a sub-app per area."""

from __future__ import annotations

import sys

import typer
from typer.exceptions import Abort, Exit, TyperException

from vidora.cli.demo import demo
from vidora.cli.evaluate import evaluate
from vidora.cli.generate import generate
from vidora.cli.serve import manage, serve
from vidora.cli.train import train_app
from vidora.cli.verify import verify
from vidora.cli.world import world_app
from vidora.errors import VidoraError

app = typer.Typer(
    help="Vidora: an open text-to-video+audio engine and the app around it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(world_app, name="world")
app.add_typer(train_app, name="train")
app.command()(demo)
app.command("eval")(evaluate)
app.command()(generate)
app.command()(serve)
app.command()(verify)
app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(manage)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; bad input ends in one line on stderr and exit code 2, never a traceback."""
    try:
        app(args=argv, standalone_mode=False)
    except Exit as done:
        return done.exit_code
    except Abort:
        print("error: aborted", file=sys.stderr)
        return 130
    except TyperException as exc:  # usage errors: unknown option, bad value, missing argument
        print(f"error: {exc.format_message()}", file=sys.stderr)
        return 2
    except VidoraError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
