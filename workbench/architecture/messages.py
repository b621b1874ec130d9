"""Translatable message references: a catalogue key plus the parameters it needs.

Analyses explain themselves ("MySQL fails over automatically in 30 s") as data, not prose, so the
page and the CLI render them in the user's language with :func:`workbench.i18n.t`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class MessageRef(BaseModel):
    """A message key (``arch_model.*`` or ``errors.architecture.*``) and its ``{placeholder}`` values."""

    model_config = ConfigDict(frozen=True)

    key: str = Field(description="i18n catalogue key")
    params: dict[str, Any] = Field(default_factory=dict, description="values for the key's placeholders")

    def text(self, lang: str) -> str:
        """The message rendered in ``lang`` ('zh-CN' or 'en')."""
        from workbench.i18n import t

        return t(self.key, lang, **self.params)


def msg(key: str, **params: Any) -> MessageRef:
    """Shorthand used by the analyses: ``msg("arch_model.recovery.failover_auto", component="db", minutes=0.5)``."""
    return MessageRef(key=key, params=params)
