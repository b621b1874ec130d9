"""Helpers shared by CLI commands: language option, translated errors with exit code 2, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer

from workbench.errors import WorkbenchError
from workbench.i18n import normalise_language

T = TypeVar("T")

LangOption = typer.Option("en", "--lang", help="Language of messages and texts: zh or en.")


def lang_code(lang: str) -> str:
    """'zh' / 'zh-CN' / 'en' → a catalogue language."""
    return normalise_language(lang)


@contextmanager
def user_errors(lang: str) -> Iterator[None]:
    """Print a translated message and exit with code 2 instead of a traceback."""
    try:
        yield
    except WorkbenchError as exc:
        typer.echo(exc.translate(lang_code(lang)), err=True)
        raise typer.Exit(code=2) from None


def echo_json(data: Any) -> None:
    """Print JSON (UTF-8, Chinese readable, no NaN)."""
    from pydantic_core import to_jsonable_python

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=to_jsonable_python, allow_nan=False))
    sys.stdout.write("\n")


def run_guarded(lang: str, fn: Callable[[], T]) -> T:
    """Call ``fn`` inside :func:`user_errors`."""
    with user_errors(lang):
        return fn()
