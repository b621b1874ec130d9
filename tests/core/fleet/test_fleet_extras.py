"""Fleet inputs and display: a folder of CloudWatch exports, server paths (off by default, confined to a
root), the sparkline SVG (history, forecast, capacity line) and the data-quality flags."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import InputError
from workbench.fleet import FleetOptions, discover_services, read_capacity, run_fleet
from workbench.fleet.analyse import forecast_flags, forecast_options, quality_flags
from workbench.fleet.sample import cloudwatch_export, make_fleet, write_fleet
from workbench.fleet.server_paths import ROOT_ENV, resolve_server_path, server_root
from workbench.fleet.sparkline import HEIGHT, PAD, scale, sparkline_svg, y_of
from workbench.forecast import fit_forecast
from workbench.io import read_load_file

OPTIONS = FleetOptions(horizon=dt.timedelta(days=14), processes=False, workers=1)


def test_folder_of_cloudwatch_exports(tmp_path: Path) -> None:
    folder = write_fleet(tmp_path / "cw", services=4, days=21, seed=9, bad=False, fmt="cloudwatch")
    doc = json.loads((folder / "svc-0000-steady.json").read_text())
    stamps = doc["MetricDataResults"][0]["Timestamps"]
    assert stamps[0] > stamps[-1]  # newest first, as `aws cloudwatch get-metric-data` answers
    sources = discover_services(folder)
    assert [s.service for s in sources] == sorted(p.stem for p in folder.glob("*.json"))
    run = run_fleet(sources, read_capacity((folder / "capacity.csv").read_bytes()), OPTIONS)
    table = run.table.set_index("service")
    assert (table["status"] != "failed").all()
    for src in sources:  # the workshop's upload path on the same export gives the same numbers
        ingest = read_load_file(Path(src.path).read_bytes(), Path(src.path).name)
        assert ingest.report.format == "cloudwatch"
        result = fit_forecast(ingest.series, forecast_options(OPTIONS))
        assert table.loc[src.service, "peak_p95"] == pytest.approx(result.base.peak.peak.p95, rel=1e-9)
        assert table.loc[src.service, "model"] == result.model.value


def test_cloudwatch_export_round_trip() -> None:
    histories, _ = make_fleet(1, 3, seed=2)
    series = next(iter(histories.values()))
    data = json.dumps(cloudwatch_export(series, "RequestCount")).encode()
    back = read_load_file(data, "x.json").series
    assert len(back) == len(series)
    np.testing.assert_allclose(back.to_numpy(), series.round(3).to_numpy(), rtol=1e-9)
    assert back.index[0] == series.index[0]


def test_server_paths_off_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ROOT_ENV, raising=False)
    assert server_root() is None
    with pytest.raises(InputError) as err:
        resolve_server_path(str(tmp_path))
    assert err.value.key == "errors.fleet.server_paths_off"
    monkeypatch.setenv(ROOT_ENV, str(tmp_path / "missing"))
    assert server_root() is None  # a setting naming no folder allows nothing


def test_server_paths_confined_to_the_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    root = tmp_path / "fleets"
    (root / "a").mkdir(parents=True)
    (tmp_path / "secret").mkdir()
    monkeypatch.setenv(ROOT_ENV, str(root))
    assert server_root() == root.resolve()
    assert resolve_server_path("a") == (root / "a").resolve()
    assert resolve_server_path(str(root / "a")) == (root / "a").resolve()
    for bad in ("../secret", str(tmp_path / "secret"), "a/../../secret", "/etc/passwd"):
        with pytest.raises(InputError) as err:
            resolve_server_path(bad)
        assert err.value.key == "errors.fleet.server_path_outside", bad
    if hasattr(os, "symlink"):
        (root / "link").symlink_to(tmp_path / "secret")
        with pytest.raises(InputError) as err:
            resolve_server_path("link")
        assert err.value.key == "errors.fleet.server_path_outside"
    with pytest.raises(InputError) as err:
        resolve_server_path("b")
    assert err.value.key == "errors.fleet.not_found"


def _polyline(svg: str, cls: str) -> list[tuple[float, float]]:
    m = re.search(rf'class="{cls}"[^>]*points="([^"]*)"', svg)
    assert m is not None, cls
    return [tuple(float(v) for v in p.split(",")) for p in m.group(1).split()]  # type: ignore[misc]


def test_sparkline_history_forecast_and_capacity() -> None:
    values = [10.0, 12.0, 11.0, 13.0, 14.0, 15.0]
    svg = sparkline_svg(values, history=4, capacity=20.0)
    hist, fc = _polyline(svg, "history"), _polyline(svg, "forecast")
    assert len(hist) == 4 and len(fc) == 3 and hist[-1] == fc[0]  # the forecast starts at the last history point
    cap_y = float(re.search(r'class="capacity" x1="0" y1="([0-9.]+)"', svg).group(1))  # type: ignore[union-attr]
    assert cap_y == pytest.approx(PAD, abs=0.05)  # capacity is the top of the scale here
    assert all(y > cap_y for _, y in hist + fc)  # every point below the capacity line
    over = sparkline_svg([10.0, 30.0, 40.0], history=1, capacity=20.0)
    assert any(y < float(re.search(r'y1="([0-9.]+)"', over).group(1)) for _, y in _polyline(over, "forecast"))  # type: ignore[union-attr]
    assert 'class="capacity"' not in sparkline_svg(values, 4, None)
    assert 'class="forecast"' not in sparkline_svg(values[:3], 3, 5.0)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=60), st.floats(1e-3, 1e6))
def test_sparkline_scale_keeps_everything_in_the_box(values: list[float], capacity: float) -> None:
    low, high = scale(values, capacity)
    for v in values + [capacity]:
        assert PAD - 1e-6 <= y_of(v, low, high) <= HEIGHT - PAD + 1e-6


def test_flags_from_ingest_and_forecast() -> None:
    index = pd.date_range("2026-01-05", periods=35 * 24, freq="h", tz="UTC")
    t = np.arange(len(index))
    values = 100 * (1 + 0.5 * np.sin(2 * np.pi * t / 24)) * np.where(t >= 14 * 24, 2.5, 1.0)
    frame = pd.DataFrame({"time": index.strftime("%Y-%m-%dT%H:%M:%SZ"), "qps": values})
    frame = frame.drop(index=range(50, 53))  # three missing hours
    ingest = read_load_file(frame.to_csv(index=False).encode(), "x.csv")
    assert "gaps" in quality_flags(ingest)
    result = fit_forecast(ingest.series, forecast_options(OPTIONS))
    assert "level_shift" in forecast_flags(result)
