"""Universal Scalability Law fit against a published data set, plus warnings and properties."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.capacity.loadtest import read_loadtest_csv
from workbench.capacity.models import USLWarningCode
from workbench.capacity.usl import concurrency_for_throughput, fit_usl, predict, usl_throughput
from workbench.errors import InputError

SAMPLE = Path(__file__).parents[3] / "sample_data"

# SPEC SDM91 benchmark of a Sun SPARCcenter 2000 (16 CPUs), scripts/hour against simulated users.
# Source: N. J. Gunther, *Guerrilla Capacity Planning* (Springer 2007), ch. 5 (data from spec.org/osg/sdm91);
# shipped as data set ``specsdm91`` in the R package ``usl`` (S. Möding), whose vignette reports the
# non-linear least-squares fit σ = 0.0277285, κ = 0.0001044, λ = 89.9952382 and a peak near N = 96.
SPECSDM91_N = [1, 18, 36, 72, 108, 144, 216]
SPECSDM91_X = [64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2]


def _codes(fit: object) -> set[USLWarningCode]:
    return {w.code for w in fit.warnings}  # type: ignore[attr-defined]


def test_specsdm91_matches_published_coefficients() -> None:
    fit = fit_usl(SPECSDM91_N, SPECSDM91_X)
    assert fit.sigma.estimate == pytest.approx(0.0277285, rel=1e-3)
    assert fit.kappa.estimate == pytest.approx(0.0001044, rel=2e-3)
    assert fit.lam.estimate == pytest.approx(89.9952382, rel=1e-4)
    assert fit.peak_concurrency == pytest.approx(np.sqrt((1 - 0.0277285) / 0.0001044), rel=2e-3)
    assert fit.r_squared > 0.98
    assert fit.sigma.low < fit.sigma.estimate < fit.sigma.high
    assert not fit.warnings


def test_predictions_and_inverse() -> None:
    fit = fit_usl(SPECSDM91_N, SPECSDM91_X)
    preds = predict(fit, [24, 48, 90])
    for p in preds:
        assert p.pi_low <= p.ci_low <= p.throughput <= p.ci_high <= p.pi_high
    n = concurrency_for_throughput(fit, 1500.0)
    assert n is not None and n < fit.peak_concurrency
    assert usl_throughput(n, fit.sigma.estimate, fit.kappa.estimate, fit.lam.estimate) == pytest.approx(1500.0)
    assert concurrency_for_throughput(fit, 5000.0) is None


def test_fit_of_1000_points() -> None:
    rng = np.random.default_rng(7)
    n = rng.integers(1, 200, 1000).astype(float)
    x = usl_throughput(n, 0.03, 1e-4, 90.0) * (1 + 0.03 * rng.standard_normal(1000))
    fit = fit_usl(n, x)  # its speed (≤ 10 ms) is measured by benchmarks/bench_capacity.py, not asserted here
    assert fit.sigma.estimate == pytest.approx(0.03, abs=0.005)


@pytest.mark.parametrize(
    ("n", "x", "code"),
    [
        ([1, 1, 2, 2, 4, 4], [10, 10.2, 19, 19.5, 35, 36], USLWarningCode.FEW_LEVELS),
        ([10, 20, 40, 80], [100, 180, 300, 330], USLWarningCode.NO_LOW_POINT),
        ([1, 2, 4, 8, 16], [100, 101, 99, 100, 98], USLWarningCode.FLAT),
        ([1, 2, 4, 8, 16], [100, 80, 60, 40, 20], USLWarningCode.RETROGRADE_ONLY),
        ([1, 2, 4, 8], [10, 25, 60, 150], USLWarningCode.SUPERLINEAR),
        ([1, 2, 4, 8, 16], [10 * n / (1 + 0.05 * (n - 1)) for n in (1, 2, 4, 8, 16)], USLWarningCode.KAPPA_ZERO),
        ([1, 2, 4, 8, 16], [10, 19, 34, 57, 85], USLWarningCode.PEAK_BEYOND_DATA),
    ],
)
def test_unsupported_data_warns(n: list[float], x: list[float], code: USLWarningCode) -> None:
    assert code in _codes(fit_usl(n, x))


@pytest.mark.parametrize(
    ("n", "x"),
    [
        ([1, 2, 4], [1, 2, 3]),
        ([0, 1, 2, 4], [0, 1, 2, 3]),
        ([1, 2, 4, float("nan")], [1, 2, 3, 4]),
        ([1, 2, 3, 4], [1, -2, 3, 4]),
    ],
)
def test_bad_points_raise(n: list[float], x: list[float]) -> None:
    with pytest.raises(InputError):
        fit_usl(n, x)


@settings(max_examples=25, deadline=None)
@given(
    sigma=st.floats(0.0, 0.2),
    kappa=st.floats(1e-5, 1e-2),
    lam=st.floats(1.0, 1e4),
)
def test_fit_recovers_noise_free_curves(sigma: float, kappa: float, lam: float) -> None:
    n = np.array([1, 2, 4, 8, 16, 32, 64, 128], dtype=float)
    fit = fit_usl(n, usl_throughput(n, sigma, kappa, lam))
    assert fit.lam.estimate == pytest.approx(lam, rel=1e-4)
    np.testing.assert_allclose(
        usl_throughput(n, fit.sigma.estimate, fit.kappa.estimate, fit.lam.estimate),
        usl_throughput(n, sigma, kappa, lam),
        rtol=1e-4,
    )


# --- reading load-test files --------------------------------------------------------------------


def test_sample_files_read_and_fit() -> None:
    plain = read_loadtest_csv((SAMPLE / "loadtest_sample.csv").read_bytes())
    jmeter = read_loadtest_csv((SAMPLE / "loadtest_jmeter.csv").read_bytes())
    assert plain.concurrency == pytest.approx(jmeter.concurrency)
    assert plain.throughput == pytest.approx(jmeter.throughput)
    assert plain.latency is not None and plain.latency[0] == pytest.approx(0.0088)
    assert {n.code for n in jmeter.notes} == {USLWarningCode.SUMMARY_ROW, USLWarningCode.UNITS_STRIPPED}
    assert fit_usl(plain.concurrency, plain.throughput).peak_concurrency == pytest.approx(34.8, rel=0.05)


def test_semicolons_decimal_commas_units_and_chinese_headers() -> None:
    text = "并发数;吞吐量;响应时间(毫秒)\n1;10,5 rps;95\n2;20,1;99\n4;36,0;110\n8;60,2;133\n"
    data = read_loadtest_csv(text.encode("gb18030"))
    assert data.throughput == pytest.approx([10.5, 20.1, 36.0, 60.2])
    assert data.latency == pytest.approx([0.095, 0.099, 0.110, 0.133])


def test_headerless_file() -> None:
    data = read_loadtest_csv("1,10\n2,19\n4,35\n8,60\n")
    assert data.concurrency == [1, 2, 4, 8] and data.latency is None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("users,tps\n1,10\n2,20\n4,x\n8,60\n", "errors.capacity.loadtest_not_number"),
        ("users,tps\n1,10\n2,20\n4,30 furlongs\n8,60\n", "errors.capacity.loadtest_unknown_unit"),
        ("users,tps\n0,0\n2,20\n4,30\n8,60\n", "errors.capacity.loadtest_zero_concurrency"),
        ("users,tps\n1,10\n2,20\n2,80\n8,60\n", "errors.capacity.loadtest_conflicting_duplicates"),
        ("users,tps\n1,10\n2,20\n", "errors.capacity.usl_too_few_points"),
        ("a,b\nfoo,bar\n", "errors.capacity.loadtest_columns"),
        ("", "errors.capacity.loadtest_empty"),
    ],
)
def test_bad_files_name_the_problem(text: str, key: str) -> None:
    with pytest.raises(InputError) as err:
        read_loadtest_csv(text)
    assert err.value.key == key


def test_close_duplicates_are_kept_as_replicates() -> None:
    data = read_loadtest_csv("users,tps\n1,10\n2,20\n2,21\n4,35\n8,60\n")
    assert len(data.concurrency) == 5
    assert data.notes[0].code is USLWarningCode.DUPLICATES
