"""Typed errors that carry a message key and parameters instead of English prose.

The core raises :class:`WorkbenchError` (or a subclass) with a key from the i18n catalogue
(``errors.<something>``) and the parameters the message needs.  Pages and the CLI translate
the key with :func:`workbench.i18n.t` and show the result; no traceback ever reaches a user.
"""

from __future__ import annotations

from typing import Any


class WorkbenchError(Exception):
    """An error a user can act on: a message key, its parameters, and an optional hint key."""

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(f"{key} {params}" if params else key)

    def translate(self, lang: str) -> str:
        """The message (and its 'what to do' hint when the catalogue has one) in ``lang``."""
        from workbench.i18n import t  # local import: i18n must not depend on errors at import time

        return t(self.key, lang, **self.params)


class InputError(WorkbenchError):
    """The user's input (a file, a field, a parameter) cannot be used as it is."""


class StoreError(WorkbenchError):
    """The store refused or could not carry out an operation."""


class StaleWriteError(StoreError):
    """A write was based on a version of the workshop that someone else has since changed."""


class NotFoundError(StoreError):
    """The workshop or artefact does not exist (or no longer exists)."""


class ForbiddenError(WorkbenchError):
    """The caller may see the workshop but their role does not allow this action (a viewer saving, an editor
    deleting).  Someone with no role at all gets :class:`NotFoundError` instead, so an id reveals nothing."""
