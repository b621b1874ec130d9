"""The root Typer app.  Each engine module exposes ``register(app)``; the list below wires them in."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="workbench",
    help="Capacity Workbench: forecast load, size capacity, review architectures, export reports.",
    no_args_is_help=True,
    add_completion=False,
)

# One line per engine; each module defines ``register(app: typer.Typer) -> None``.
_COMMAND_MODULES: tuple[str, ...] = (
    "workbench.cli.workshop_cmd",
    "workbench.cli.report",
    "workbench.cli.review",
    "workbench.cli.forecast",
    "workbench.cli.capacity",
    "workbench.cli.import_cmd",
)

for _name in _COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    """Entry point for ``python -m workbench``."""
    app()
