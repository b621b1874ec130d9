"""``python -m workbench import SOURCE... -o architecture.yaml``: Terraform, Kubernetes, draw.io → architecture YAML.

Prints the import report (what was recognised, assumed with its rule, ignored with the reason, left to type),
each line with its source location, then writes the architecture.  Exit codes: 0 written; 2 bad input
(nothing written; the message names what was expected and what was found).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from workbench.i18n import normalise_language, t


def _type_pairs(values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        label, sep, type_ = v.rpartition("=")
        if not sep or not label:
            raise typer.BadParameter("LABEL=TYPE")
        out[label] = type_
    return out


def _dump(arch: Any, output: Path) -> str:
    """JSON for a ``.json`` output, else YAML through libyaml's emitter when present (a 10,000-component estate
    takes seconds instead of the pure-Python dumper's tens of seconds); both read back to the same model."""
    import yaml

    from workbench.architecture.loader import dump_architecture, to_document

    if output.suffix.lower() == ".json":
        return dump_architecture(arch, "json")
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return str(yaml.dump(to_document(arch), Dumper=dumper, allow_unicode=True, sort_keys=False, width=120))


def import_command(
    sources: Annotated[list[Path], typer.Argument(help="Files, folders or zips: Terraform JSON, Kubernetes YAML, "
                                                       ".drawio.", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Architecture file to write (YAML, or .json).")] = Path(
        "architecture.yaml"),
    name: Annotated[str, typer.Option("--name", help="Name of the imported architecture.")] = "",
    types: Annotated[list[str] | None, typer.Option(
        "--type", help="Type an unknown draw.io shape: LABEL=TYPE (or CELL_ID=TYPE); repeatable.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the report: zh or en.")] = "en",
    quiet: Annotated[bool, typer.Option("--quiet", help="Only the summary line, not the whole report.")] = False,
) -> None:
    """Import sources into one architecture file and print the import report."""
    from workbench.architecture.importers import EntryKind, import_sources, read_paths
    from workbench.errors import WorkbenchError

    lang = normalise_language(lang)
    try:
        result = import_sources(read_paths(sources), name=name, types=_type_pairs(types or []))
        text = _dump(result.architecture, output)
    except WorkbenchError as exc:
        typer.echo(exc.translate(lang), err=True)
        raise typer.Exit(code=2) from None
    counts = result.report.counts()
    if not quiet:
        lines = [t("architecture_import.cli.report_header", lang)]
        for e in result.report.entries:
            lines.append(f"  [{t(f'architecture_import.kind.{e.kind.value}', lang)}] {e.where()}: {e.text(lang)}")
        sys.stdout.write("\n".join(lines) + "\n")
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        typer.echo(t("errors.architecture.cli_file_unwritable", lang, file=str(output),
                     reason=exc.strerror or type(exc).__name__), err=True)
        raise typer.Exit(code=2) from None
    arch = result.architecture
    typer.echo(t("architecture_import.cli.written", lang, file=str(output), components=len(arch.components),
                 links=len(arch.links), **{k.value: counts[k] for k in EntryKind}))


def register(app: typer.Typer) -> None:
    """Add ``import`` to the root CLI."""
    app.command("import")(import_command)
