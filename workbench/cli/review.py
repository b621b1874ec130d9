"""``python -m workbench review FILE`` and ``python -m workbench schema``: the architecture review in a terminal or CI.

Exit codes (so a customer can gate a pipeline on the review):
    0  the review ran and no open (unwaived) finding is at or above ``--fail-on`` (or no ``--fail-on``);
    1  at least one open finding is at or above ``--fail-on``;
    2  bad input: the file cannot be read or is not a valid architecture (each problem printed translated,
       with its location, line and column), or the requested SVG could not be rendered.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from workbench.errors import InputError, WorkbenchError
from workbench.i18n import normalise_language, t

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Files larger than this are refused before parsing (the loader has its own, possibly stricter, limit)."""


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MD = "md"
    SARIF = "sarif"


class FailOn(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=2)


def _read(file: Path, lang: str) -> bytes:
    try:
        from workbench.architecture.loader import max_mb

        limit_mb = max(MAX_FILE_BYTES / (1024 * 1024), max_mb())  # the loader's limit when larger
        if file.stat().st_size > limit_mb * 1024 * 1024:
            raise _fail(t("errors.architecture.cli_file_too_large", lang, file=str(file), limit_mb=f"{limit_mb:g}"))
        return file.read_bytes()
    except OSError as exc:
        raise _fail(t("errors.architecture.cli_file_unreadable", lang, file=str(file),
                      reason=exc.strerror or type(exc).__name__)) from None


def _load(data: bytes, file: Path, lang: str) -> Any:
    """The validated Architecture, or exit 2 listing every problem with its location."""
    from workbench.architecture.loader import ArchitectureLoadError, load_architecture

    try:
        return load_architecture(data, filename=file.name)
    except ArchitectureLoadError as exc:
        lines = [t("errors.architecture.cli_invalid", lang, file=str(file), count=len(exc.issues))]
        for issue in exc.issues:
            where = ":".join(str(x) for x in (file.name, issue.line, issue.column) if x is not None)
            loc = f" {issue.location}" if issue.location else ""
            lines.append(f"  {where}:{loc}: {t(issue.key, lang, **issue.params)}")
        raise _fail("\n".join(lines)) from None
    except WorkbenchError as exc:
        raise _fail(exc.translate(lang)) from None


def _write_svg(arch: Any, review: Any, svg: Path, lang: str) -> None:
    from workbench.architecture.diagram import render, to_dot

    dot = to_dot(arch, findings=review.findings, spofs=review.analysis.spofs, lang=lang)
    try:
        svg.write_bytes(render(dot, "svg"))
    except InputError as exc:
        raise _fail(exc.translate(lang)) from None
    except OSError as exc:
        raise _fail(t("errors.architecture.cli_file_unwritable", lang, file=str(svg),
                      reason=exc.strerror or type(exc).__name__)) from None


def _emit(fmt: OutputFormat, review: Any, arch: Any, file: Path, lang: str, data: bytes = b"") -> str:
    from workbench.architecture import export

    if fmt is OutputFormat.JSON:
        return export.review_json(review, arch, lang) + "\n"
    if fmt is OutputFormat.MD:
        return export.review_markdown(review, arch, lang)
    if fmt is OutputFormat.SARIF:
        from workbench.architecture.locations import component_locations
        from workbench.architecture.rules import all_rules

        log = export.review_sarif(review, all_rules(), lang, artifact_uri=file.as_posix(),
                                  locations=component_locations(data))
        return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
    return export.review_text(review, arch, lang)


def review_command(
    file: Annotated[Path, typer.Argument(help="Architecture file (YAML or JSON).", show_default=False)],
    lang: Annotated[str, typer.Option("--lang", help="Language of the report: zh or en.")] = "en",
    fmt: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.TEXT,
    svg: Annotated[Path | None, typer.Option("--svg", help="Also write the diagram as SVG to this file.")] = None,
    fail_on: Annotated[
        FailOn | None, typer.Option("--fail-on", help="Exit 1 when an open finding is at or above this severity.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
) -> None:
    """Review an architecture file: scores, findings with fixes; exit 1 on findings at or above --fail-on."""
    from workbench.architecture.findings import Severity
    from workbench.architecture.review import review_architecture

    lang = normalise_language(lang)
    data = _read(file, lang)
    arch = _load(data, file, lang)
    try:
        review = review_architecture(arch)
    except WorkbenchError as exc:
        raise _fail(exc.translate(lang)) from None
    sys.stdout.write(_emit(OutputFormat.JSON if as_json else fmt, review, arch, file, lang, data))
    if svg is not None:
        _write_svg(arch, review, svg, lang)
    if fail_on is not None:
        threshold = Severity(fail_on.value)
        if any(f.severity.at_least(threshold) for f in review.findings if not f.waived):
            raise typer.Exit(code=1)


def schema_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (the only format; kept for symmetry).")] = True,
) -> None:
    """Print the JSON Schema of the architecture file (for editor validation and completion)."""
    try:
        from workbench.architecture.schema import architecture_json_schema

        schema = architecture_json_schema()
    except ImportError:
        from workbench.architecture.model import Architecture

        schema = Architecture.model_json_schema(by_alias=True)
    sys.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")


def register(app: typer.Typer) -> None:
    """Add ``review`` and ``schema`` to the root CLI."""
    app.command("review")(review_command)
    app.command("schema")(schema_command)
