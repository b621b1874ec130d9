"""Helpers shared by CLI commands: language option, translated errors, the top-level guard, JSON output.

The guard (:class:`GuardedGroup`, the root command's class) is the one place where an exception that no
command handled becomes what a user may see: ONE line on standard error, never a traceback with server
paths.  Exit codes: 2 for a user error (a :class:`WorkbenchError`: its translated message and key; an
``OSError`` on a path the user gave), 1 for an internal error (an incident id to quote; the traceback goes
to the log).  ``--debug`` (``workbench --debug …``) or ``WORKBENCH_DEBUG=1`` prints the traceback too.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import secrets
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from typer.core import TyperGroup

from workbench.errors import WorkbenchError
from workbench.i18n import normalise_language, t

T = TypeVar("T")

LangOption = typer.Option("en", "--lang", help="Language of messages and texts: zh or en.")

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 1
DEBUG_ENV = "WORKBENCH_DEBUG"
log = logging.getLogger("workbench.cli")
log.addHandler(logging.NullHandler())  # incidents go to the handlers a deployment configures, never to the terminal


def lang_code(lang: str) -> str:
    """'zh' / 'zh-CN' / 'en' → a catalogue language."""
    return normalise_language(lang)


@contextmanager
def user_errors(lang: str) -> Iterator[None]:
    """Print a translated message and exit with code 2 instead of a traceback."""
    try:
        yield
    except WorkbenchError as exc:
        typer.echo(user_error_line(exc, lang_code(lang)), err=True)
        raise typer.Exit(code=EXIT_USER_ERROR) from None


def user_error_line(exc: WorkbenchError, lang: str) -> str:
    """The translated message (it says what to do) followed by its key, on one line."""
    message = " ".join(exc.translate(lang).split())
    return t("errors.cli.user", lang, message=message, key=exc.key)


def debug_enabled(ctx_params: dict[str, Any] | None = None) -> bool:
    """``--debug`` was given, or ``WORKBENCH_DEBUG`` is set to 1/true/yes."""
    if ctx_params and ctx_params.get("debug"):
        return True
    return os.environ.get(DEBUG_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def quiet_library_logs(debug: bool) -> None:
    """Without ``--debug``, warnings the library logs (with tracebacks) stay out of the terminal: Python's
    last-resort handler would print them to standard error when no logging is configured."""
    library = logging.getLogger("workbench")
    if debug_enabled({"debug": debug}):
        if not logging.getLogger().handlers:
            logging.basicConfig(level=logging.WARNING)
    elif not any(isinstance(h, logging.NullHandler) for h in library.handlers):
        library.addHandler(logging.NullHandler())


def _lang_in(args: Sequence[str]) -> str:
    """The ``--lang`` value among a command line's arguments ('en' when absent)."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return normalise_language(args[i + 1])
        if arg.startswith("--lang="):
            return normalise_language(arg.split("=", 1)[1])
    return "en"


def _given_by_user(filename: object, args: Sequence[str]) -> bool:
    """The failing path is one the user typed (or inside one): naming it reveals nothing about the server."""
    if not isinstance(filename, str) or not filename:
        return False
    return any(filename == a or (a and filename.startswith(a.rstrip("/") + "/")) for a in args)


def _os_error_line(exc: OSError, lang: str) -> str:
    path = exc.filename if isinstance(exc.filename, str) else "-"
    reason = exc.strerror or type(exc).__name__
    return t("errors.cli.os_error", lang, path=path[:300], reason=reason)


class GuardedGroup(TyperGroup):
    """The root command: runs the chosen sub-command and turns any escaping exception into one line."""

    _PASS_THROUGH = (typer.Exit, typer.Abort, typer.TyperException, EOFError)

    def invoke(self, ctx: Any) -> Any:
        args = [*getattr(ctx, "_protected_args", []), *ctx.args]
        try:
            return super().invoke(ctx)
        except self._PASS_THROUGH:
            raise
        except Exception as exc:  # noqa: BLE001 - the one place that decides what a user sees
            raise self._exit_for(exc, args, debug_enabled(ctx.params)) from None

    @staticmethod
    def _exit_for(exc: Exception, args: list[str], debug: bool) -> typer.Exit:
        lang = _lang_in(args)
        if isinstance(exc, OSError) and exc.errno == errno.EPIPE:  # output piped into `head`: not an error
            return typer.Exit(code=EXIT_INTERNAL_ERROR)
        if debug:
            traceback.print_exception(exc, file=sys.stderr)
        if isinstance(exc, WorkbenchError):
            typer.echo(user_error_line(exc, lang), err=True)
            return typer.Exit(code=EXIT_USER_ERROR)
        if isinstance(exc, OSError) and _given_by_user(exc.filename, args):
            typer.echo(_os_error_line(exc, lang), err=True)
            return typer.Exit(code=EXIT_USER_ERROR)
        incident = secrets.token_hex(4)
        log.error("Unhandled CLI error, incident %s", incident, exc_info=exc)
        typer.echo(t("errors.cli.internal", lang, incident=incident, kind=type(exc).__name__), err=True)
        return typer.Exit(code=EXIT_INTERNAL_ERROR)


def echo_json(data: Any) -> None:
    """Print JSON (UTF-8, Chinese readable, no NaN)."""
    from pydantic_core import to_jsonable_python

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=to_jsonable_python, allow_nan=False))
    sys.stdout.write("\n")


def run_guarded(lang: str, fn: Callable[[], T]) -> T:
    """Call ``fn`` inside :func:`user_errors`."""
    with user_errors(lang):
        return fn()
