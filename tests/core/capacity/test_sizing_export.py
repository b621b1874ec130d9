"""The sizing CSV: headers and words in the page's language, numbers without float noise, JSON keys unchanged."""

from __future__ import annotations

import pytest

from workbench.capacity.explain import sizing_export_rows, sizing_rows
from workbench.capacity.models import LatencySLO, TierSpec
from workbench.capacity.sizing import size_tiers
from workbench.i18n import t

SLO = LatencySLO(percentile=0.99, target=0.2)


def _rows(lang: str) -> list[dict[str, object]]:
    tiers = [TierSpec(name="web", service_time=0.02, workers_per_instance=8, price_per_hour=0.85),
             TierSpec(name="db", service_time=0.005, workers_per_instance=4, price_per_hour=1.7)]
    return sizing_rows(size_tiers(5000.0, tiers, SLO, util_cap=0.7, azs=3), lang)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_sizing_csv_headers_are_translated_and_values_tidy(lang: str) -> None:
    rows = _rows(lang)
    out = sizing_export_rows(rows, lang)
    assert len(out) == len(rows)
    headers = list(out[0])
    assert headers == [t(f"capacity.sizing.csv.{key}", lang) for key in rows[0]]
    assert not any("_" in h for h in headers), headers  # no raw field names (reason_key, instances_for_asa)
    for raw, shown in zip(rows, out, strict=True):
        cost = shown[t("capacity.sizing.csv.cost_per_hour", lang)]
        assert cost == round(raw["cost_per_hour"], 2) and len(repr(cost)) <= 10
        assert shown[t("capacity.sizing.csv.feasible", lang)] == t("common.answer_yes", lang)
        assert shown[t("capacity.sizing.csv.binding", lang)] == t(
            f"capacity.sizing.binding_short.{raw['binding']}", lang)
        assert shown[t("capacity.sizing.csv.per_az", lang)] == " / ".join(str(v) for v in raw["per_az"])
    assert "instances_for_asa" in rows[0] and "reason_key" in rows[0]  # the JSON rows keep their field names


def test_float_noise_in_a_price_is_gone() -> None:
    rows = [{"tier": "web", "cost_per_hour": 11.899999999999999, "utilisation_at_peak": 0.685123456,
             "latency_at_peak_ms": 80.00000000001, "required_instances": 14}]
    (out,) = sizing_export_rows(rows, "en")
    assert list(out.values()) == ["web", 11.9, 0.6851, 80.0, 14]
