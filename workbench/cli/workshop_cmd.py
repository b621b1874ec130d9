"""``python -m workbench workshop …``: list, export and import workshops of the configured store."""

from __future__ import annotations

from pathlib import Path

import typer

from workbench.cli.common import LangOption, echo_json, user_errors
from workbench.errors import InputError

# The store and the workshop layer are imported when a command runs, so `--help` stays fast.

workshop_app = typer.Typer(help="List, export and import workshops (store from WORKBENCH_DATABASE_URL).",
                           no_args_is_help=True)


@workshop_app.command("list")
def list_workshops(
    search: str = typer.Option("", "--search", help="Filter by customer, title or advisor."),
    as_json: bool = typer.Option(
        False, "--json", help="Print JSON: a list of {id, title, customer, advisor, date, version, updated_at}."
    ),
    lang: str = LangOption,
) -> None:
    """List workshops, most recently changed first."""
    from workbench.store import open_store

    with user_errors(lang):
        rows = open_store().list(search or None)
    if as_json:
        echo_json([r.model_dump(mode="json") for r in rows])
        return
    for r in rows:
        typer.echo(f"{r.id}  {r.updated_at:%Y-%m-%d %H:%M}  {r.title}  [{r.customer}]")


@workshop_app.command("export")
def export_cmd(
    workshop_id: str = typer.Argument(..., help="The workshop id (from the URL or `workshop list`)."),
    out: Path = typer.Option(..., "-o", "--out", help="File to write (JSON)."),
    lang: str = LangOption,
) -> None:
    """Export one workshop as a JSON file."""
    from workbench.store import open_store
    from workbench.workshop.exchange import export_workshop

    with user_errors(lang):
        out.write_text(export_workshop(open_store().get(workshop_id)), encoding="utf-8")
    typer.echo(str(out))


@workshop_app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="A workshop JSON file exported by Capacity Workbench."),
    lang: str = LangOption,
) -> None:
    """Import a workshop file as a new workshop; prints the new id."""
    from workbench.store import open_store
    from workbench.workshop.exchange import import_workshop

    with user_errors(lang):
        if not file.is_file():
            raise InputError("errors.cli.file_not_found", path=str(file))
        ws = import_workshop(open_store(), file.read_bytes())
    typer.echo(ws.id)


def register(app: typer.Typer) -> None:
    """Add the ``workshop`` command group."""
    app.add_typer(workshop_app, name="workshop")
