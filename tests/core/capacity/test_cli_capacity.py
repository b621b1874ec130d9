"""`python -m workbench queue|usl|mva|size`: JSON fields, friendly errors (exit 2), never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workbench.cli.main import app

runner = CliRunner()
SAMPLE = Path(__file__).parents[3] / "sample_data"


def _json(args: list[str]) -> dict:
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_queue_json_matches_worked_example() -> None:
    # Hillier & Lieberman County Hospital, two doctors: λ = 2/h, μ = 3/h → Wq = 1/24 h = 150 s.
    doc = _json(["queue", "--rate", str(2 / 3600), "--service-ms", str(1200_000), "--servers", "2"])
    assert doc["model"] == "M/M/c" and doc["stable"] is True
    assert doc["mean_wait_ms"] == pytest.approx(150_000)
    assert set(doc["response_percentiles_ms"]) == {"p50", "p95", "p99"}


def test_queue_unstable_is_explained() -> None:
    res = runner.invoke(app, ["queue", "--rate", "120", "--service-ms", "100", "--servers", "10"])
    assert res.exit_code == 1
    assert "UNSTABLE" in res.stdout and "13" in res.stdout
    doc = _json(["queue", "--rate", "120", "--service-ms", "100", "--servers", "10"])
    assert doc["stable"] is False and doc["mean_wait_ms"] is None and doc["min_stable_servers"] == 13


@pytest.mark.parametrize(
    "args",
    [
        ["queue", "--rate", "-5", "--service-ms", "10"],
        ["queue", "--rate", "5", "--service-ms", "0"],
        ["queue", "--rate", "nan", "--service-ms", "10"],
        ["queue", "--rate", "5", "--service-ms", "10", "--servers", "0"],
        ["queue", "--rate", "5", "--service-ms", "10", "--percentiles", "abc"],
        ["size", "--rate", "100", "--slo-ms", "100", "--service-ms", "10", "--util-cap", "100"],
        ["usl", "/no/such/file.csv"],
    ],
)
def test_bad_input_gives_message_and_exit_2(args: list[str]) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and res.exception is None or isinstance(res.exception, SystemExit)


def test_usl_on_samples(tmp_path: Path) -> None:
    doc = _json(["usl", str(SAMPLE / "loadtest_jmeter.csv"), "--target", "1000", "--predict", "40"])
    assert doc["peak_concurrency"] == pytest.approx(34.8, rel=0.05)
    assert {w["code"] for w in doc["warnings"]} >= {"summary_row", "units_stripped"}
    assert doc["target"]["concurrency"] < doc["peak_concurrency"]
    bad = tmp_path / "bad.csv"
    bad.write_text("users;tps\n1;10\n0;0\n4;30\n8;50\n", encoding="utf-8")
    res = runner.invoke(app, ["usl", str(bad), "--lang", "zh"])
    assert res.exit_code == 2 and "第 3 行" in res.output


def test_mva_and_size(tmp_path: Path) -> None:
    stations = tmp_path / "st.csv"
    stations.write_text("name,demand_ms,servers,kind\nweb,20,4,queue\ndb,10,1,queue\nlan,5,1,delay\n", encoding="utf-8")
    doc = _json(["mva", str(stations), "--users", "200", "--think-ms", "500"])
    assert doc["exact"] and doc["bounds"]["bottleneck"] == "db"
    assert all(r["throughput_rps"] <= 100.0 + 1e-9 for r in doc["results"])
    tiers = tmp_path / "tiers.csv"
    tiers.write_text(
        "name,service_ms,service_cv,workers,price_per_hour\nweb,20,1,8,0.5\nslow,80,1,1,\n", encoding="utf-8"
    )
    res = runner.invoke(app, ["size", str(tiers), "--rate", "1200", "--slo-ms", "100", "--azs", "3", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["tiers"]
    assert rows[0]["required_instances"] == 5 and rows[0]["instances_with_az_loss"] == 8
    assert rows[0]["cost_per_hour"] == pytest.approx(2.5)
    assert rows[1]["feasible"] is False and "368" in rows[1]["explanation"]


def test_help_for_every_command() -> None:
    for cmd in ("queue", "erlang", "staff", "network", "usl", "usl-solve", "mva", "size"):
        res = runner.invoke(app, [cmd, "--help"])
        assert res.exit_code == 0 and "--json" in res.stdout


def test_queue_mg1_from_cli_and_core_agree() -> None:
    """M/G/1 (c = 1, Poisson arrivals, C_s = 0.5): the CLI used to crash here; page and CLI share one entry point.

    Pollaczek–Khinchine: W_q = ρ·S·(1 + C_s²) / (2(1 − ρ)) = 0.5 · 100 ms · 1.25 / 1 = 62.5 ms
    (Kleinrock, *Queueing Systems* vol. 1, 1975, eq. 5.105).
    """
    from workbench.capacity.queues import QueueSpec, solve_queue

    res = runner.invoke(app, ["queue", "--rate", "5", "--service-ms", "100", "--servers", "1", "--service-cv", "0.5"])
    assert res.exit_code == 0, res.output
    assert "M/G/1" in res.output and "62.50" in res.output
    doc = json.loads(runner.invoke(app, ["queue", "--rate", "5", "--service-ms", "100", "--servers", "1",
                                         "--service-cv", "0.5", "--json"]).output)
    core = solve_queue(QueueSpec(arrival_rate=5.0, service_time=0.1, servers=1, service_cv=0.5))
    assert doc["model"] == core.kind.value == "M/G/1"
    assert doc["mean_wait_ms"] == pytest.approx(core.mean_wait * 1e3) == pytest.approx(62.5)


def test_erlang_both_ways() -> None:
    # Erlang B table (Iversen 2015): 100 circuits carry 84.06 erlangs at 1 %; 10 erlangs need 18 at 1 %.
    doc = _json(["erlang", "--blocking", "1", "--servers", "100"])
    assert doc["max_load_erlangs"] == pytest.approx(84.06, abs=0.006)
    doc = _json(["erlang", "--blocking", "1", "--rate", "100", "--service-ms", "100"])
    assert doc["servers"] == 18 and doc["blocking_achieved"] <= 0.01


def test_staff_worked_example() -> None:
    # callcentrehelper.com worked example: A = 10 erlangs, 80/20 → 14 agents, 20 rostered at 30 % shrinkage
    doc = _json(["staff", "--rate", str(100 / 1800), "--aht-s", "180", "--sl", "80", "--wait-s", "20",
                 "--shrinkage", "30"])
    assert doc["agents"] == 14 and doc["scheduled"] == 20 and doc["binding"] == "service_level"


def test_network_and_usl_solve_and_classes(tmp_path: Path) -> None:
    net = tmp_path / "net.csv"
    net.write_text("name,service_ms,servers,external_rps,to_web,to_app\nweb,100,1,5,0,1\napp,50,1,0,0,0\n",
                   encoding="utf-8")
    doc = _json(["network", str(net)])
    assert doc["mean_response_ms"] == pytest.approx(100 / 0.5 + 50 / 0.75)  # tandem M/M/1 (Burke)
    doc = _json(["usl-solve", "--sigma", "0.0277285", "--kappa", "0.0001044", "--lambda", "89.9952382",
                 "--target", "1700", "--at", "400"])
    assert doc["throughput_target"]["amdahl_concurrency"] < doc["throughput_target"]["concurrency"]
    assert doc["at"]["dominant"] == "coherency"
    stations = tmp_path / "st.csv"
    stations.write_text("name,demand_ms,servers,kind\ncpu,50,1,queue\ndisk,80,1,queue\n", encoding="utf-8")
    classes = tmp_path / "cl.csv"
    classes.write_text("class,users,think_ms,cpu,disk\nbrowse,7,1000,50,80\nbuy,13,1000,50,80\n", encoding="utf-8")
    doc = _json(["mva", str(stations), "--classes", str(classes)])
    one = _json(["mva", str(stations), "--users", "20", "--think-ms", "1000", "--all"])
    total = sum(c["throughput_rps"] for c in doc["classes"])
    assert total == pytest.approx(one["results"][-1]["throughput_rps"], rel=1e-12)
    assert one["bounds"]["balanced"] and "throughput_bounds_bjb" in one["results"][0]


def test_size_by_blocking_and_shrinkage() -> None:
    doc = _json(["size", "--rate", "100", "--slo-ms", "5000", "--service-ms", "100", "--workers", "2",
                 "--blocking", "1", "--shrinkage", "20", "--util-cap", "95"])
    tier = doc["tiers"][0]
    assert tier["binding"] == "blocking" and tier["instances_for_blocking"] == 9
    assert tier["provisioned_instances"] == 12 and "20 % shrinkage" in tier["explanation"]


def test_tier_table_errors_use_the_columns_and_units_of_the_file(tmp_path: Path) -> None:
    tiers = tmp_path / "tiers.csv"
    tiers.write_text("name,service_ms,service_cv,workers\nweb,-20,1,8\n", encoding="utf-8")
    res = runner.invoke(app, ["size", str(tiers), "--rate", "100", "--slo-ms", "100"])
    assert res.exit_code == 2 and "Row 2, service_ms: -20 must be greater than 0" in res.stderr
    tiers.write_text("name,service_ms,service_cv,workers\nweb,20,-1,8\n", encoding="utf-8")
    res = runner.invoke(app, ["size", str(tiers), "--rate", "100", "--slo-ms", "100", "--lang", "zh"])
    assert res.exit_code == 2 and "第 2 行 service_cv" in res.stderr


def test_a_bounded_queue_that_refuses_half_the_arrivals_does_not_say_plain_slo_met() -> None:
    # 2,000 req/s × 50 ms on 48 servers with 12 queue places: about 52 % refused, the admitted ones are fast
    args = ["queue", "--rate", "2000", "--service-ms", "50", "--servers", "48", "--capacity", "60", "--slo-ms", "300"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0
    assert "SLO met for the admitted requests only" in res.stdout and "52.00 % of arrivals are refused" in res.stdout
    assert "Utilisation: 1\n" not in res.stdout  # 0.99998 is not printed as 1
    doc = _json([*args, "--json"])
    assert doc["slo"]["verdict"] == "slo_met_refusing" and doc["slo"]["refused_share"] == pytest.approx(0.52, abs=0.01)
    small = _json(["queue", "--rate", "50", "--service-ms", "100", "--servers", "6", "--capacity", "60",
                   "--slo-ms", "1000", "--json"])
    assert small["slo"]["verdict"] == "slo_met"  # refusals below 0.1 %: a plain verdict
