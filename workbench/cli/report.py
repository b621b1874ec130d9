"""``python -m workbench report WORKSHOP.json -o report.html``: the report of an exported workshop."""

from __future__ import annotations

from pathlib import Path

import typer

from workbench.cli.common import lang_code, user_errors
from workbench.errors import InputError

_FORMATS = ("html", "md", "json", "pdf")  # the engines are imported when the command runs: `--help` stays fast


def report(
    workshop_file: Path = typer.Argument(..., help="A workshop JSON file exported from Capacity Workbench."),
    out: Path | None = typer.Option(None, "-o", "--out", help="File to write; standard output when omitted."),
    fmt: str = typer.Option("html", "--format", help="html (self-contained), pdf (needs -o), md or json."),
    lang: str = typer.Option("", "--lang", help="zh or en; default: the workshop's language."),
) -> None:
    """Render the report of one workshop (forecast peak, sizing, architecture, findings, milestones)."""
    from workbench.report.render import render_html, render_json, render_markdown
    from workbench.workshop.exchange import parse_workshop_file
    from workbench.workshop.report_builder import build_report_data

    renderers = dict(zip(_FORMATS, (render_html, render_markdown, render_json, render_html), strict=True))
    message_lang = lang or "en"
    with user_errors(message_lang):
        if fmt not in renderers:
            raise InputError("errors.cli.bad_format", value=fmt[:20], allowed=", ".join(_FORMATS))
        if fmt == "pdf" and out is None:
            raise InputError("errors.cli.pdf_needs_out")
        if not workshop_file.is_file():
            raise InputError("errors.cli.file_not_found", path=str(workshop_file))
        workshop = parse_workshop_file(workshop_file.read_bytes())
        data = build_report_data(workshop, lang_code(lang) if lang else None)
        text = renderers[fmt](data)
        if fmt == "pdf" and out is not None:
            from workbench.report.pdf import render_pdf

            out.write_bytes(render_pdf(text))
            typer.echo(str(out), err=True)
            return
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(str(out), err=True)


def register(app: typer.Typer) -> None:
    """Add the ``report`` command."""
    app.command("report")(report)
