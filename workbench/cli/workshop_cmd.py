"""``python -m workbench workshop …``: list, export and import workshops; members and history.

Every command goes through the same access checks as the pages (:class:`workbench.access.AccessStore`).
Without ``--as`` the command acts as the *local owner* (the administrator at the server's console, who may
do everything, e.g. give an owner to a workshop made before sign-in was configured); with ``--as EMAIL``
it acts as that signed-in user and sees only what they may see.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from workbench.cli.common import LangOption, echo_json, user_errors
from workbench.errors import InputError

if TYPE_CHECKING:
    from workbench.access import AccessStore

# The store and the workshop layer are imported when a command runs, so `--help` stays fast.

workshop_app = typer.Typer(help="List, export and import workshops (store from WORKBENCH_DATABASE_URL).",
                           no_args_is_help=True)

AsOption = typer.Option("", "--as", metavar="EMAIL",
                        help="Act as this signed-in user (default: the local owner, who may do everything).")


def _store(as_email: str) -> AccessStore:
    """The access-checked store for the local owner or ``--as EMAIL`` (inside ``user_errors``)."""
    from workbench.access import AccessStore, Principal
    from workbench.store import open_store

    principal = Principal.user(as_email) if as_email.strip() else Principal.local()
    return AccessStore(open_store(), principal)


@workshop_app.command("list")
def list_workshops(
    search: str = typer.Option("", "--search", help="Filter by customer, title or advisor."),
    as_json: bool = typer.Option(
        False, "--json", help="Print JSON: a list of {id, title, customer, advisor, date, version, updated_at}."
    ),
    as_email: str = AsOption,
    lang: str = LangOption,
) -> None:
    """List the workshops you may see, most recently changed first."""
    with user_errors(lang):
        rows = _store(as_email).list(search or None)
    if as_json:
        echo_json([r.model_dump(mode="json") for r in rows])
        return
    for r in rows:
        typer.echo(f"{r.id}  {r.updated_at:%Y-%m-%d %H:%M}  {r.title}  [{r.customer}]")


@workshop_app.command("export")
def export_cmd(
    workshop_id: str = typer.Argument(..., help="The workshop id (from the URL or `workshop list`)."),
    out: Path = typer.Option(..., "-o", "--out", help="File to write (JSON, with the workshop's history)."),
    as_email: str = AsOption,
    lang: str = LangOption,
) -> None:
    """Export one workshop (and its history) as a JSON file."""
    from workbench.workshop.exchange import export_workshop

    with user_errors(lang):
        store = _store(as_email)
        out.write_text(export_workshop(store.get(workshop_id), store.history(workshop_id)), encoding="utf-8")
    typer.echo(str(out))


@workshop_app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="A workshop JSON file exported by Capacity Workbench."),
    as_email: str = AsOption,
    lang: str = LangOption,
) -> None:
    """Import a workshop file as a new workshop (yours with --as); prints the new id."""
    from workbench.workshop.exchange import import_workshop

    with user_errors(lang):
        if not file.is_file():
            raise InputError("errors.cli.file_not_found", path=str(file))
        ws = import_workshop(_store(as_email), file.read_bytes())
    typer.echo(ws.id)


@workshop_app.command("members")
def members_cmd(
    workshop_id: str = typer.Argument(..., help="The workshop id."),
    as_email: str = AsOption,
    lang: str = LangOption,
) -> None:
    """List a workshop's members and their roles (owners only)."""
    with user_errors(lang):
        members = _store(as_email).members(workshop_id)
    for m in members:
        typer.echo(f"{m.email}  {m.role.value}")


@workshop_app.command("grant")
def grant_cmd(
    workshop_id: str = typer.Argument(..., help="The workshop id."),
    email: str = typer.Argument(..., help="The e-mail the person signs in with."),
    role: str = typer.Option("viewer", "--role", help="viewer, editor or owner."),
    as_email: str = AsOption,
    lang: str = LangOption,
) -> None:
    """Give someone a role in a workshop, or change it (owners only)."""
    from workbench.store.models import Role

    with user_errors(lang):
        if role not in {r.value for r in Role}:
            raise InputError("errors.access.bad_role", role=role[:20])
        _store(as_email).set_member(workshop_id, email, role)
    typer.echo(f"{email.strip().lower()}  {role}")


@workshop_app.command("remove-member")
def remove_member_cmd(
    workshop_id: str = typer.Argument(..., help="The workshop id."),
    email: str = typer.Argument(..., help="The member's e-mail."),
    as_email: str = AsOption,
    lang: str = LangOption,
) -> None:
    """Take someone's access to a workshop away (owners only; the last owner stays)."""
    with user_errors(lang):
        _store(as_email).remove_member(workshop_id, email)


@workshop_app.command("history")
def history_cmd(
    workshop_id: str = typer.Argument(..., help="The workshop id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: a list of {at, actor, action, kind, "
                                 "artefact_id, detail, version}."),
    as_email: str = AsOption,
    lang: str = LangOption,
) -> None:
    """Who changed what and when, oldest first (times in UTC)."""
    with user_errors(lang):
        entries = _store(as_email).history(workshop_id)
    if as_json:
        echo_json([e.model_dump(mode="json") for e in entries])
        return
    for e in entries:
        what = " ".join(x for x in (e.action.value, e.kind, e.artefact_id, e.detail) if x)
        typer.echo(f"{e.at:%Y-%m-%d %H:%M:%S}Z  v{e.version}  {e.actor}  {what}")


def register(app: typer.Typer) -> None:
    """Add the ``workshop`` command group."""
    app.add_typer(workshop_app, name="workshop")
