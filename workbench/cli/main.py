"""The root Typer app.  Each engine module exposes ``register(app)``; the list below wires them in."""

from __future__ import annotations

import importlib

import typer

from workbench.cli.common import DEBUG_ENV, GuardedGroup, quiet_library_logs

app = typer.Typer(
    name="workbench",
    help="Capacity Workbench: forecast load, size capacity, review architectures, export reports.",
    no_args_is_help=True,
    add_completion=False,
    cls=GuardedGroup,  # one top-level guard: one line and an incident id instead of a traceback
    pretty_exceptions_enable=False,
    # plain help text: rich's help renderer (typer.rich_utils, markdown-it) alone takes ~0.4 s to import
    rich_markup_mode=None,
)


@app.callback()
def _root(
    debug: bool = typer.Option(  # the variable is read by the guard itself: a stray value never blocks a command
        False, "--debug", help=f"Show the full traceback of an unexpected error (or {DEBUG_ENV}=1)."
    ),
) -> None:
    """Capacity Workbench: forecast load, size capacity, review architectures, export reports."""
    quiet_library_logs(debug)

# One line per engine; each module defines ``register(app: typer.Typer) -> None``.
_COMMAND_MODULES: tuple[str, ...] = (
    "workbench.cli.workshop_cmd",
    "workbench.cli.report",
    "workbench.cli.review",
    "workbench.cli.forecast",
    "workbench.cli.capacity",
    "workbench.cli.import_cmd",
    "workbench.cli.fleet",
    "workbench.cli.backup_cmd",
)

for _name in _COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    """Entry point for ``python -m workbench``."""
    app()
