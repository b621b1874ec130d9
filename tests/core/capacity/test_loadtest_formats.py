"""Load tests as the tools write them: header spellings and the native outputs of JMeter, Locust, k6, wrk.

The fixtures in ``loadtest_fixtures/`` follow each tool's documented output format:
JMeter Aggregate Report and JTL CSV (https://jmeter.apache.org/usermanual/component_reference.html#Aggregate_Report,
https://jmeter.apache.org/usermanual/listeners.html#csvlogformat), Locust ``--csv`` stats history
(https://docs.locust.io/en/stable/retrieving-stats.html), k6 ``--summary-export``
(https://grafana.com/docs/k6/latest/results-output/end-of-test/) and wrk/wrk2 console output
(https://github.com/wg/wrk, https://github.com/giltene/wrk2).  Their data follow a USL curve
(σ = 0.03, κ = 1e-4) with noise, so each fit must recover σ of that order.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.capacity.loadtest import read_loadtest
from workbench.capacity.models import USLWarningCode
from workbench.capacity.usl import fit_usl
from workbench.errors import InputError

FIX = Path(__file__).parent / "loadtest_fixtures"


def _codes(data: object) -> dict[USLWarningCode, dict]:
    return {n.code: n.params for n in data.notes}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "header",
    [
        "concurrency,throughput_rps,p95_latency_ms", "users,rps,latency_p95_ms", "vus,qps,avg_latency_ms",
        "threads,tps,mean_response_time_ms", "Concurrency,Throughput (req/s),Average (ms)",
        "clients,requests_per_second,p99_ms", "VUs,RPS,p(95) ms", "connections,reqs/sec,latency_avg_ms",
        "并发用户数,吞吐量(TPS),平均响应时间(ms)",
    ],
)
def test_header_spellings(header: str) -> None:
    text = header + "\n1,100,10\n4,380,11\n8,700,12\n16,1150,14\n"
    data = read_loadtest(text)
    assert data.concurrency == [1, 4, 8, 16] and data.throughput == [100, 380, 700, 1150]
    lat = data.latency if data.latency is not None else next(iter(data.latency_quantiles.values()))
    assert lat == pytest.approx([0.010, 0.011, 0.012, 0.014])  # ms stays ms: read as 10 ms, stored in seconds


def test_units_in_headers_are_converted() -> None:
    data = read_loadtest("users,throughput_rpm,latency_s\n1,6000,0.01\n2,11400,0.0105\n4,21000,0.011\n8,36000,0.013\n")
    assert data.throughput == pytest.approx([100, 190, 350, 600])
    assert data.latency == pytest.approx([0.01, 0.0105, 0.011, 0.013])
    data = read_loadtest("users,rps,p50_ms,p99_ms\n1,100,8,30\n2,190,8,31\n4,350,9,35\n8,600,10,40\n")
    assert set(data.latency_quantiles) == {0.5, 0.99} and data.latency_quantiles[0.99][0] == pytest.approx(0.03)


def test_jmeter_aggregate_report() -> None:
    data = read_loadtest((FIX / "jmeter_aggregate_report.csv").read_bytes())
    assert data.source == "jmeter_aggregate"
    assert data.concurrency == [1, 5, 10, 20, 40, 60]  # from the labels "checkout 40 users"
    assert data.throughput[0] == pytest.approx(100.0) and data.latency is not None
    assert data.latency_quantiles[0.99][0] == pytest.approx(0.031)
    notes = _codes(data)
    assert notes[USLWarningCode.READ_AS]["levels"] == 6
    assert notes[USLWarningCode.SUMMARY_ROW]["count"] == 1 and notes[USLWarningCode.UNITS_STRIPPED]["count"] == 6
    assert fit_usl(data.concurrency, data.throughput).sigma.estimate == pytest.approx(0.03, abs=0.01)


def test_jmeter_jtl() -> None:
    data = read_loadtest((FIX / "results.jtl").read_bytes())
    assert data.source == "jmeter_jtl"
    assert data.concurrency == [1, 2, 4, 8, 16, 24]
    notes = _codes(data)
    assert notes[USLWarningCode.FEW_SAMPLES]["count"] == 5  # ramp levels 3, 5, 9, 17, 25 (2 is a real step)
    assert notes[USLWarningCode.ERRORS_SEEN]["count"] > 0
    assert data.throughput[0] == pytest.approx(5.0, rel=0.1)
    fit = fit_usl(data.concurrency, data.throughput)
    assert fit.lam.estimate == pytest.approx(5.0, rel=0.15)


def test_locust_stats_history() -> None:
    data = read_loadtest((FIX / "run_stats_history.csv").read_bytes())
    assert data.source == "locust"
    assert data.concurrency == [2, 10, 20, 40, 80]
    assert _codes(data)[USLWarningCode.RAMP_ROWS]["count"] == 5  # one straddling row per level
    assert data.throughput[0] == pytest.approx(193.2, rel=0.05)
    assert 0.95 in data.latency_quantiles and 0.5 in data.latency_quantiles


def test_k6_summaries() -> None:
    data = read_loadtest((FIX / "k6_summaries.json").read_bytes())
    assert data.source == "k6"
    assert data.concurrency == [1, 8, 16, 32, 64]
    assert data.latency is not None and data.latency_quantiles[0.95][0] == pytest.approx(
        data.latency[0] * 2.2, rel=1e-3
    )
    with pytest.raises(InputError) as exc:
        read_loadtest((FIX / "k6_summary_one_run.json").read_bytes())
    assert exc.value.key == "errors.capacity.loadtest_few_levels" and exc.value.params["count"] == 1


def test_wrk_runs() -> None:
    data = read_loadtest((FIX / "wrk_runs.txt").read_bytes())
    assert data.source == "wrk"
    assert data.concurrency == [10, 50, 100, 200, 400]
    assert data.throughput[0] == pytest.approx(7615.50)
    assert data.latency is not None and data.latency[0] == pytest.approx(0.00131)
    assert set(data.latency_quantiles) == {0.5, 0.9, 0.99}


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        ("users,rps\n1,10\n1e22,20\n4,30\n8,40\n", "errors.capacity.loadtest_implausible", "1e+22"),
        ("users,rps\n1,10\n2,1e308\n4,30\n8,40\n", "errors.capacity.loadtest_implausible", "1e+308 req/s"),
        ("users,rps\n1,10\n2,-5\n4,30\n8,40\n", "errors.capacity.loadtest_negative_throughput", "negative"),
        ("users,rps\n1,10\n2,0\n4,30\n8,40\n", "errors.capacity.loadtest_zero_throughput", "zero"),
        ('{"metrics": {}}', "errors.capacity.loadtest_k6_metrics", "k6"),
        ("{not json", "errors.capacity.loadtest_json", "JSON"),
    ],
)
def test_implausible_values_have_clear_messages(text: str, key: str, fragment: str) -> None:
    with pytest.raises(InputError) as exc:
        read_loadtest(text)
    assert exc.value.key == key
    message = exc.value.translate("en")
    assert fragment in message and "e+25" not in message and len(message) < 300


def test_huge_values_are_not_printed_digit_by_digit() -> None:
    with pytest.raises(InputError) as exc:
        read_loadtest("users,rps\n1,10\n2,1.1e25\n4,30\n8,40\n")
    assert "1.1e+25" in exc.value.translate("en")
