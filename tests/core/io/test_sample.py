"""The bundled samples: reproducible, fast to read, and shaped as documented in make_load_sample.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from workbench.errors import InputError
from workbench.io import FileFormat, load_sample

SAMPLE_DIR = Path(__file__).resolve().parents[3] / "sample_data"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_load_sample", SAMPLE_DIR / "make_load_sample.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample() -> pd.Series:
    return load_sample().series


def test_generator_is_reproducible(tmp_path: Path) -> None:
    gen = _generator()
    rng = np.random.default_rng(gen.SEED)
    gen.write_csv(tmp_path / "s.csv", rng)
    gen.write_prometheus(tmp_path / "p.json", rng)
    assert (tmp_path / "s.csv").read_bytes() == (SAMPLE_DIR / "ecommerce_qps_5min.csv").read_bytes()
    assert (tmp_path / "p.json").read_bytes() == (SAMPLE_DIR / "prometheus_query_range.json").read_bytes()


def test_sample_is_small_and_reads() -> None:
    # how fast it reads (issue 6: < 1 s) is measured by benchmarks/bench_io.py, not asserted on a busy machine
    assert (SAMPLE_DIR / "ecommerce_qps_5min.csv").stat().st_size < 3 * 2**20
    res = load_sample()
    rep = res.report
    assert (rep.format, rep.time_unit, rep.freq, rep.timezone) == (FileFormat.csv, "iso", "5min", "Asia/Shanghai")
    assert rep.gap_count == 2 and rep.gap_points == 18
    assert res.columns == ["qps", "cpu_pct"]


def test_sample_span_ends_before_double_11(sample: pd.Series) -> None:
    assert (sample.index[-1] - sample.index[0]) >= pd.Timedelta(days=120)
    assert sample.index[-1] == pd.Timestamp("2026-10-31 23:55", tz="Asia/Shanghai")
    assert sample.notna().all() and (sample > 0).all()


def test_sample_daily_and_weekly_shape(sample: pd.Series) -> None:
    by_hour = sample.groupby(sample.index.hour).median()
    assert by_hour.idxmin() in (3, 4, 5)
    assert by_hour.idxmax() in (20, 21)
    by_day = sample.groupby(sample.index.dayofweek).median()
    assert by_day[[5, 6]].min() > by_day[[0, 1, 2, 3]].max()  # weekend busier for e-commerce


def test_sample_growth_about_three_percent_a_month(sample: pd.Series) -> None:
    weekly = sample.resample("7D").mean()
    months = (weekly.index[-6] - weekly.index[2]) / pd.Timedelta(days=30.44)
    rate = (weekly.iloc[-6] / weekly.iloc[2]) ** (1 / months) - 1
    assert 0.01 < rate < 0.05


def test_sample_promotions_are_in_the_data_and_flagged() -> None:
    res = load_sample()
    s, mask = res.series, res.outlier_mask
    promo = s["2026-06-18 20:00":"2026-06-19 01:55"]
    week_before = s["2026-06-11 20:00":"2026-06-12 01:55"]
    assert 2.0 < promo.mean() / week_before.mean() < 3.2
    assert mask["2026-06-18 20:00":"2026-06-19 01:55"].mean() > 0.8
    assert mask.mean() < 0.01


def test_national_day_is_quieter(sample: pd.Series) -> None:
    golden_week = sample["2026-10-01":"2026-10-07"].mean()
    around = pd.concat([sample["2026-09-17":"2026-09-23"], sample["2026-10-12":"2026-10-18"]]).mean()
    assert golden_week < 0.92 * around


def test_prometheus_sample() -> None:
    res = load_sample("prometheus_query_range")
    assert res.report.format is FileFormat.prometheus
    assert len(res.columns) == 2 and res.report.freq == "min" and len(res.series) == 1440
    assert res.report.dropped_reasons == {"missing_value": 1}
    assert res.series.index[0] == pd.Timestamp("2026-10-30 00:00", tz="Asia/Shanghai")


def test_unknown_sample() -> None:
    with pytest.raises(InputError) as err:
        load_sample("../../etc/passwd")
    assert err.value.key == "errors.io.unknown_sample"
