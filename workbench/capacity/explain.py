"""Sizing results as plain rows with their explanation in words (for the CLI's JSON, the page and CSV)."""

from __future__ import annotations

from typing import Any

from workbench.capacity.models import SizingResult
from workbench.exports import export_number
from workbench.i18n import format_number, t, t_or


def _fmt(params: dict[str, Any], lang: str) -> dict[str, Any]:
    return {k: (format_number(v, lang) if isinstance(v, float) else v) for k, v in params.items()}


def explain_sizing(result: SizingResult, lang: str) -> str:
    """The binding constraint (or the reason it is infeasible) in words, with its numbers."""
    if result.feasible and result.binding is not None:
        text = t(f"capacity.sizing.binding.{result.binding.value}", lang, tier=result.tier,
                 **_fmt(result.explanation_params, lang))
        if (result.provisioned_instances or 0) > (result.required_instances or 0):
            text += " " + t("capacity.sizing.shrinkage_note", lang, **_fmt(result.explanation_params, lang))
        return text
    return t(result.reason_key or "capacity.sizing.infeasible", lang, **_fmt(result.reason_params, lang))


def sizing_rows(results: list[SizingResult], lang: str) -> list[dict[str, Any]]:
    """One flat dict per tier, times in ms (the ``size --json`` document, see docs/cli-capacity.md)."""
    out = []
    for r in results:
        row: dict[str, Any] = {
            "tier": r.tier, "feasible": r.feasible, "peak_rps": r.peak_rps,
            "required_instances": r.required_instances, "instances_for_utilisation": r.instances_for_utilisation,
            "instances_for_latency": r.instances_for_latency, "instances_for_blocking": r.instances_for_blocking,
            "instances_for_asa": r.instances_for_asa, "provisioned_instances": r.provisioned_instances,
            "blocking_at_peak": r.blocking_at_peak, "instances_with_az_loss": r.instances_with_az_loss,
            "per_az": r.per_az, "binding": r.binding.value if r.binding else None,
            "utilisation_at_peak": r.utilisation_at_peak,
            "latency_at_peak_ms": None if r.latency_at_peak is None else r.latency_at_peak * 1e3,
            "latency_is_mean": r.latency_is_mean, "cost_per_hour": r.cost_per_hour,
            "cost_per_hour_az": r.cost_per_hour_az, "reason_key": r.reason_key,
            "explanation": explain_sizing(r, lang),
        }
        out.append(row)
    return out


def sizing_export_rows(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """:func:`sizing_rows` as a CSV for people: headers and words in ``lang`` (yes/no, the binding constraint,
    instances per AZ as "3 / 3 / 3"), numbers without float noise (money to the cent).  The rows themselves, and
    the CLI's JSON, keep their field names and full values."""

    def cell(key: str, value: Any) -> Any:
        if isinstance(value, bool):
            return t("common.answer_yes" if value else "common.answer_no", lang)
        if key == "binding" and value:
            return t_or(f"capacity.sizing.binding_short.{value}", str(value), lang)
        if key == "per_az" and isinstance(value, list | tuple):
            return " / ".join(str(v) for v in value)
        return export_number(value, 2 if key.startswith("cost_") else None)

    return [{t_or(f"capacity.sizing.csv.{key}", key, lang): cell(key, value) for key, value in row.items()}
            for row in rows]
