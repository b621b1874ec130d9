"""Fleet radar on a real (in-process) Dask cluster: same numbers as the workshop forecast, bad data
reported not fatal, seeded over-capacity services ranked first."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import InputError
from workbench.fleet import FleetOptions, discover_services, load_service, rank, read_capacity, run_fleet, write_results
from workbench.fleet.analyse import growth_pct_per_month
from workbench.fleet.sample import make_fleet, write_fleet
from workbench.forecast import ForecastOptions, fit_forecast
from workbench.io import read_load_file

# The fleet's default candidates; partitions of 3 so several Dask tasks (and same-grid batches) run.
OPTIONS = FleetOptions(horizon=dt.timedelta(days=21), processes=False, workers=1, batch_size=3)
SERVICES = 8  # with over_every=4: services 3 and 7 are seeded over capacity


@pytest.fixture(scope="module")
def fleet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fleet(tmp_path_factory.mktemp("fleet"), services=SERVICES, days=21, seed=3)


@pytest.fixture(scope="module")
def radar(fleet_dir: Path):
    seen: list[tuple[int, int]] = []
    run = run_fleet(discover_services(fleet_dir), read_capacity((fleet_dir / "capacity.csv").read_bytes()),
                    OPTIONS, progress=lambda done, total: seen.append((done, total)))
    return run, seen


def test_same_numbers_as_the_workshop_forecast(radar, fleet_dir: Path) -> None:
    run, _ = radar
    table = run.table.set_index("service")
    for name in table.index.drop("svc-broken"):
        path = fleet_dir / f"{name}.csv"
        series = read_load_file(path.read_bytes(), path.name).series  # the workshop's upload path
        result = fit_forecast(series, ForecastOptions(horizon=OPTIONS.horizon, candidates=OPTIONS.candidates))
        peak = result.base.peak.peak
        assert table.loc[name, "model"] == result.model.value
        assert table.loc[name, "peak_point"] == pytest.approx(peak.point, rel=1e-9)
        assert table.loc[name, "peak_p95"] == pytest.approx(peak.p95, rel=1e-9)
        cap = table.loc[name, "capacity_rps"]
        assert table.loc[name, "headroom_pct"] == pytest.approx((cap - peak.p95) / cap * 100, rel=1e-9)
        for column in ("p95", "point"):
            over = result.base.daily_peaks[column] > cap
            expected = result.base.daily_peaks.index[over.to_numpy()]
            got = table.loc[name, f"first_exceed_{column}"]
            assert (got is None and len(expected) == 0) or got == expected[0].isoformat()


def test_bad_service_reported_not_fatal(radar) -> None:
    run, seen = radar
    failed = run.failed
    assert list(failed["service"]) == ["svc-broken"]
    assert failed["error"].iloc[0].startswith("errors.io.")
    assert "svc-broken" in run.retried  # retried once before being reported
    assert (run.table["status"] != "failed").sum() == SERVICES
    assert seen[-1] == (SERVICES + 1, SERVICES + 1) and len(seen) == SERVICES + 1


def test_seeded_over_capacity_rank_first(radar) -> None:
    run, _ = radar
    _, capacity = make_fleet(SERVICES, 21, 3)
    seeded = set(capacity.loc[capacity["seeded_over"], "service"])
    assert len(seeded) == 2
    top = run.table.head(len(seeded))
    assert set(top["service"]) == seeded
    assert set(top["status"]) <= {"breach", "at_risk"}
    assert list(run.table["rank"]) == list(range(1, len(run.table) + 1))


def test_results_written(radar, tmp_path: Path) -> None:
    run, _ = radar
    parquet, csv = write_results(run.table, tmp_path / "out")
    back = pd.read_parquet(parquet)
    assert list(back["service"]) == list(run.table["service"])
    assert len(back["sparkline"].iloc[0]) > 21
    assert pd.read_csv(csv)["rank"].tolist() == list(range(1, len(run.table) + 1))


def test_parquet_with_service_column(fleet_dir: Path, tmp_path: Path) -> None:
    frames = []
    for name in ("svc-0000-steady", "svc-0002-launch"):
        f = pd.read_csv(fleet_dir / f"{name}.csv")
        frames.append(f.assign(service=name))
    path = tmp_path / "fleet.parquet"
    pd.concat(frames).to_parquet(path)
    sources = discover_services(path)
    assert [s.service for s in sources] == ["svc-0000-steady", "svc-0002-launch"]
    shared = load_service(sources[1], OPTIONS).series
    own = read_load_file((fleet_dir / "svc-0002-launch.csv").read_bytes(), "x.csv").series
    assert np.allclose(shared.to_numpy(), own.to_numpy())


def test_capacity_table_errors() -> None:
    caps = read_capacity(b"service,instances,per_instance_rps\na,4,100\nb,2,50.5\n")
    assert caps["a"].capacity_rps == pytest.approx(400.0)
    assert caps["b"].capacity_rps == pytest.approx(101.0)
    assert read_capacity(b"service,capacity_rps\nx,12.5\n")["x"].capacity_rps == pytest.approx(12.5)
    with pytest.raises(InputError) as err:
        read_capacity(b"service,size\na,4\n")
    assert err.value.key == "errors.fleet.capacity_columns"
    with pytest.raises(InputError) as err:
        read_capacity(b"service,capacity_rps\na,4\nb,-1\n")
    assert err.value.key == "errors.fleet.capacity_row" and err.value.params["line"] == 3


def test_missing_input_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        discover_services(tmp_path / "nope")
    with pytest.raises(InputError):
        discover_services(tmp_path)


@settings(max_examples=25, deadline=None)
@given(st.floats(-30.0, 60.0), st.integers(10, 40))
def test_growth_recovers_a_compound_trend(pct: float, days: int) -> None:
    """Daily peaks growing by exactly ``pct`` %/month with a weekly pattern give back ``pct``."""
    index = pd.date_range("2026-01-01", periods=days * 24, freq="h", tz="UTC")
    t = np.asarray((index - index[0]) / pd.Timedelta(days=1), float)
    weekly = np.where(index.dayofweek >= 5, 0.7, 1.0)
    daily = 1 + 0.5 * np.sin(2 * np.pi * index.hour / 24)
    values = 100 * (1 + pct / 100) ** (t / 30.44) * weekly * daily
    got = growth_pct_per_month(pd.Series(values, index=index))
    assert math.isclose(got, pct, abs_tol=0.5)


def test_rank_orders_by_status_then_day() -> None:
    nan = float("nan")
    table = pd.DataFrame({
        "service": ["ok", "late", "soon", "p95"], "status": ["ok", "breach", "breach", "at_risk"],
        "days_to_exceed_point": [nan, 9.0, 2.0, nan], "days_to_exceed_p95": [nan, 5.0, 1.0, 3.0],
        "headroom_pct": [40.0, -5.0, -1.0, -2.0],
    })
    assert list(rank(table)["service"]) == ["soon", "late", "p95", "ok"]


def test_run_reports_memory_and_cpu_of_each_process(radar) -> None:
    run, _ = radar
    assert run.workers == 1 and run.scheduler.startswith("inproc://")
    assert run.peak_rss_mb["scheduler"] > 10 and len(run.peak_rss_mb) == 2  # scheduler + one worker
    assert all(v > 0 for v in run.cpu_seconds.values())


def test_crashed_partition_retried_service_by_service(fleet_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A partition whose task raises (not the user's data) is not fatal: each of its services is retried
    alone, with the single-series path, and gets its normal row."""
    import workbench.fleet.runner as runner

    def crash(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("worker lost")

    monkeypatch.setattr(runner, "analyse_batch", crash)
    sources = [s for s in discover_services(fleet_dir) if s.service in ("svc-0000-steady", "svc-0001-growth")]
    run = run_fleet(sources, read_capacity((fleet_dir / "capacity.csv").read_bytes()), OPTIONS)
    assert sorted(run.retried) == ["svc-0000-steady", "svc-0001-growth"]
    assert (run.table["status"] != "failed").all()
    assert run.table["peak_p95"].notna().all()
