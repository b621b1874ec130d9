"""Table cells (CSV files and the page's data editors) out of range are refused by row and column in the
user's units, in both catalogues — never pydantic's English, never a silent clamp, never a 300-digit figure."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.capacity.queues import QueueSpec, solve_queue
from workbench.capacity.staffing import staff
from workbench.capacity.tables import (
    classes_from_rows,
    open_network_from_rows,
    stations_from_rows,
    tiers_from_rows,
)
from workbench.errors import InputError
from workbench.i18n import t

STATION = {"name": "web", "demand_ms": 20.0, "servers": 4, "kind": "queue"}
OPEN = {"name": "web", "service_ms": 10.0, "servers": 2, "external_rps": 50.0}
TIER = {"name": "web", "service_ms": 10.0, "service_cv": 1.0, "arrival_cv": 1.0, "workers": 4, "visit_ratio": 1.0}
USL_TIER = {"name": "api", "model": "usl", "usl_sigma": 0.03, "usl_kappa": 0.0001, "usl_lambda": 90.0}
CLASS = {"class": "a", "users": 10, "think_ms": 100.0, "cpu": 10.0}


def _read(table: str, row: dict[str, object]) -> None:
    if table == "stations":
        stations_from_rows([row])
    elif table == "open":
        open_network_from_rows([row])
    elif table == "classes":
        classes_from_rows([row], ["cpu"])
    else:
        tiers_from_rows([row])


CASES = [
    ("stations", STATION, "demand_ms", 1e300, "table_le"), ("stations", STATION, "servers", 0, "table_ge"),
    ("open", OPEN, "service_ms", 1e300, "table_le"), ("open", OPEN, "external_rps", 1e300, "table_le"),
    ("open", OPEN, "servers", 0, "table_ge"),  # was silently made 1
    ("tiers", TIER, "workers", 0, "table_ge"),  # was silently made 1
    ("tiers", TIER, "service_ms", 1e300, "table_le"), ("tiers", TIER, "visit_ratio", 1e300, "table_le"),
    ("tiers", TIER, "price_per_hour", 1e300, "table_le"), ("tiers", TIER, "asa_ms", 1e300, "table_le"),
    ("tiers", USL_TIER, "usl_kappa", 1e300, "table_le"),  # was a negative utilisation of 300 digits
    ("tiers", USL_TIER, "usl_lambda", 1e300, "table_le"),
    ("classes", CLASS, "users", -3, "table_ge"),  # was "“-3.0” is not a number"
    ("classes", CLASS, "cpu", 1e300, "table_le"), ("classes", CLASS, "cpu", -1, "table_ge"),
    ("classes", CLASS, "think_ms", 1e300, "table_le"),
]


@pytest.mark.parametrize(("table", "base", "column", "value", "key"), CASES)
def test_out_of_range_cells_name_row_and_column(table: str, base: dict[str, object], column: str, value: float,
                                                key: str) -> None:
    with pytest.raises(InputError) as exc:
        _read(table, {**base, column: value})
    assert exc.value.key == f"errors.capacity.{key}"
    assert exc.value.params["row"] == 2 and exc.value.params["column"] == column
    for lang in ("en", "zh-CN"):
        text = exc.value.translate(lang)
        assert column in text and "{" not in text and "Input should" not in text
        assert len(text) < 200  # a short figure such as 1e+300, not 300 digits


def test_a_long_name_is_refused_in_words() -> None:
    with pytest.raises(InputError) as exc:
        stations_from_rows([{**STATION, "name": "x" * 81}])
    assert exc.value.key == "errors.capacity.table_name_length"
    assert "80" in exc.value.translate("en") and "80" in exc.value.translate("zh-CN")
    assert "String should" not in exc.value.translate("en")


def test_no_capacity_table_message_carries_pydantic_detail() -> None:
    # the generic fallback has no {detail} slot: what a user reads always comes from the catalogues
    for lang in ("en", "zh-CN"):
        assert "{detail}" not in t("errors.capacity.table_value", lang, row=2, column="x", value="1")


def test_a_tiny_occupancy_cap_is_refused_not_printed() -> None:
    with pytest.raises(InputError) as exc:
        staff(0.05, 180.0, max_occupancy=1e-300)
    assert exc.value.key == "errors.capacity.too_many_servers"


@settings(max_examples=40, deadline=None)
@given(load=st.floats(1e-300, 1e-3), servers=st.integers(2, 5_000))
def test_p0_of_a_nearly_idle_mmc_is_one(load: float, servers: int) -> None:
    # Kleinrock Vol. 1 §3.5 eq. 3.39: p0 = [Σ_{k<c} A^k/k! + A^c/(c!(1−ρ))]^{-1} → 1 as A → 0
    # (was 0.00 once P(wait) underflowed).
    res = solve_queue(QueueSpec(arrival_rate=load, service_time=1.0, servers=servers))
    terms, term = [], 1.0
    for k in range(servers):  # A^k/k! for k < c; they vanish long before c at these loads
        terms.append(term)
        term *= load / (k + 1)
    expected = 1.0 / (math.fsum(terms) + term / (1.0 - load / servers))  # term = A^c/c! here
    assert res.prob_empty == pytest.approx(expected, rel=1e-12)
    assert res.prob_empty == pytest.approx(1.0, abs=2e-3)


def test_every_capacity_error_raised_in_the_code_fills_its_message() -> None:
    # Each InputError("errors.capacity.…", params) in the capacity code and CLI gives every {placeholder}
    # its template asks for (a staffing load error once printed "{rate} req/s × {service_ms} ms").
    import ast
    import re
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[3]
    catalogues = {lang: yaml.safe_load((root / f"workbench/i18n/locales/{lang}/capacity.yaml").read_text("utf-8"))
                  for lang in ("en", "zh-CN")}

    def template(cat: dict[str, object], key: str) -> str | None:
        node: object = cat
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node if isinstance(node, str) else None

    files = [*(root / "workbench/capacity").glob("*.py"), root / "workbench/cli/capacity.py"]
    checked = 0
    for path in files:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("InputError", "FieldError")
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and str(node.args[0].value).startswith("errors.capacity.")):
                continue
            if any(k.arg is None for k in node.keywords):  # **params: checked where they are built
                continue
            given = {k.arg for k in node.keywords}
            for lang, cat in catalogues.items():
                text = template(cat, str(node.args[0].value))
                assert text is not None, (path.name, node.lineno, node.args[0].value, lang)
                missing = set(re.findall(r"\{(\w+)\}", text)) - given
                assert not missing, (path.name, node.lineno, node.args[0].value, lang, missing)
            checked += 1
    assert checked > 50
