"""``python -m workbench backup OUT`` and ``restore IN``: consistent SQLite backups while the app runs.

PostgreSQL stores are backed up with ``pg_dump`` / ``pg_restore`` (docs/backup.md); these commands say so.
"""

from __future__ import annotations

from pathlib import Path

import typer

from workbench.cli.common import LangOption, lang_code, user_errors
from workbench.i18n import t


def backup_cmd(
    out: Path = typer.Argument(..., help="File to write the backup to (a SQLite database)."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUT if it exists."),
    lang: str = LangOption,
) -> None:
    """Back up the store (WORKBENCH_DATABASE_URL) to OUT: one consistent copy, safe while the app runs."""
    from workbench.store.backup import backup

    with user_errors(lang):
        report = backup(out, force=force)
    typer.echo(t("backup.done", lang_code(lang), path=report.path, workshops=report.workshops,
                 revision=report.revision or "0001"))


def restore_cmd(
    backup_file: Path = typer.Argument(..., metavar="IN", help="A backup written by `workbench backup`."),
    force: bool = typer.Option(False, "--force", help="Replace a store that already holds workshops."),
    lang: str = LangOption,
) -> None:
    """Restore the store (WORKBENCH_DATABASE_URL) from IN after checking it; the replaced data is kept beside it."""
    from workbench.store.backup import restore

    code = lang_code(lang)
    with user_errors(lang):
        report = restore(backup_file, force=force)
    typer.echo(t("backup.restored", code, path=report.path, workshops=report.workshops, revision=report.revision))
    if report.kept_previous:
        typer.echo(t("backup.kept_previous", code, path=report.kept_previous))


def register(app: typer.Typer) -> None:
    """Add the ``backup`` and ``restore`` commands."""
    app.command("backup")(backup_cmd)
    app.command("restore")(restore_cmd)
