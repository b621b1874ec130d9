"""Fuzz the capacity CLI's numeric options: NaN, ±inf, negative, zero and huge values are refused with
exit code 2 and one translated line on stderr — never a traceback, never a silent clamp."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from workbench.cli.main import app

runner = CliRunner()

# command → (valid base arguments, {numeric option: bad values that must be refused})
FLOAT_BAD = ["nan", "inf", "-inf", "-5", "1e300"]
POSITIVE_BAD = [*FLOAT_BAD, "0"]


def _cases(tmp: Path) -> list[tuple[list[str], str, list[str]]]:
    stations = tmp / "st.csv"
    stations.write_text("name,demand_ms,servers,kind\nweb,20,4,queue\ndb,10,1,queue\n", encoding="utf-8")
    queue = ["queue", "--rate", "50", "--service-ms", "100", "--servers", "8"]
    size = ["size", "--rate", "100", "--slo-ms", "200", "--service-ms", "10"]
    staff = ["staff", "--rate", "0.05", "--aht-s", "180", "--sl", "80", "--wait-s", "20"]
    solve = ["usl-solve", "--sigma", "0.03", "--kappa", "0.0001", "--lambda", "90"]
    return [
        (queue, "--rate", POSITIVE_BAD), (queue, "--service-ms", POSITIVE_BAD), (queue, "--service-cv", FLOAT_BAD),
        (queue, "--arrival-cv", FLOAT_BAD), (queue, "--wait-target-ms", FLOAT_BAD), (queue, "--slo-ms", POSITIVE_BAD),
        (queue, "--slo-percentile", [*POSITIVE_BAD, "100"]), (queue, "--servers", ["-5", "0", "100000000000"]),
        (queue, "--capacity", ["-5", "0", "7", "100000000000"]),
        (size, "--rate", POSITIVE_BAD), (size, "--slo-ms", POSITIVE_BAD), (size, "--service-ms", POSITIVE_BAD),
        (size, "--service-cv", FLOAT_BAD), (size, "--price", FLOAT_BAD), (size, "--util-cap", [*POSITIVE_BAD, "100"]),
        (size, "--slo-percentile", POSITIVE_BAD), (size, "--workers", ["-5", "0", "100000000"]),
        (size, "--azs", ["-5", "0", "11"]), (size, "--blocking", [*POSITIVE_BAD, "100"]),
        (size, "--asa-ms", POSITIVE_BAD), (size, "--shrinkage", [*FLOAT_BAD, "100"]), (size, "--queue-slots", ["-5"]),
        (["erlang", "--blocking", "1", "--load", "10"], "--load", POSITIVE_BAD),
        (["erlang", "--load", "10", "--blocking", "1"], "--blocking", [*POSITIVE_BAD, "100"]),
        (["erlang", "--blocking", "1", "--servers", "10"], "--servers", ["-5", "0", "100000000000"]),
        (staff, "--rate", POSITIVE_BAD), (staff, "--aht-s", POSITIVE_BAD), (staff, "--sl", [*POSITIVE_BAD, "100"]),
        (staff, "--wait-s", FLOAT_BAD), (staff, "--asa-s", POSITIVE_BAD), (staff, "--max-occupancy", POSITIVE_BAD),
        (staff, "--shrinkage", [*FLOAT_BAD, "100"]),
        (solve, "--sigma", [*FLOAT_BAD, "1.5"]), (solve, "--kappa", FLOAT_BAD), (solve, "--lambda", POSITIVE_BAD),
        (solve, "--at", POSITIVE_BAD), (solve, "--latency-ms", POSITIVE_BAD), (solve, "--target", POSITIVE_BAD),
        (["mva", str(stations), "--users", "10"], "--think-ms", FLOAT_BAD),
        (["mva", str(stations), "--users", "10"], "--users", ["-5", "0", "100001"]),
    ]


def _with(base: list[str], option: str, value: str) -> list[str]:
    args = list(base)
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    return args


def _assert_refused(args: list[str]) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code == 2, (args, res.output)
    assert res.exception is None or isinstance(res.exception, SystemExit), (args, res.exception)
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, (args, res.stderr)
    assert "Traceback" not in res.output and "capacity.field." not in res.stderr  # labels translated


def test_every_numeric_option_refuses_bad_values(tmp_path: Path) -> None:
    for base, option, values in _cases(tmp_path):
        assert runner.invoke(app, base).exit_code in (0, 1), base  # the base call itself is valid
        for value in values:
            _assert_refused(_with(base, option, value))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    case=st.integers(0, 38),
    value=st.one_of(
        st.sampled_from([float("nan"), float("inf"), float("-inf")]),
        st.floats(max_value=-1e-6, allow_nan=False, allow_infinity=False),
        st.floats(min_value=1e12, allow_nan=False, allow_infinity=False),
    ),
)
def test_random_bad_floats_are_refused(tmp_path: Path, case: int, value: float) -> None:
    cases = [c for c in _cases(tmp_path) if c[2] and c[2][0] == "nan"]  # the float options
    base, option, _ = cases[case % len(cases)]
    _assert_refused(_with(base, option, repr(value)))


def test_messages_keep_the_users_units() -> None:
    res = runner.invoke(app, ["queue", "--rate", "5", "--service-ms", "-1"])
    assert res.exit_code == 2 and "-1 ms" in res.stderr and "service_time" not in res.stderr
    res = runner.invoke(app, ["queue", "--rate", "1.1e25", "--service-ms", "10"])
    assert "1.1e+25 req/s" in res.stderr  # not printed digit by digit
    res = runner.invoke(app, ["size", "--rate", "100", "--slo-ms", "100", "--service-ms", "10", "--workers", "-5"])
    assert res.exit_code == 2 and "-5" in res.stderr  # refused, not silently made 1
    res = runner.invoke(app, ["erlang", "--blocking", "99.99999", "--load", "5"])
    assert res.exit_code == 0 and "99.99999 %" in res.stdout  # the target as typed, not rounded to "100 %"
    res = runner.invoke(app, ["queue", "--rate", "5", "--service-ms", "100", "--slo-ms", "nan", "--lang", "zh"])
    assert res.exit_code == 2 and "时延 SLO" in res.stderr


@pytest.mark.parametrize("args", [
    ["size", "--rate", "1000000000", "--slo-ms", "1000000", "--service-ms", "100000"],
])
def test_load_out_of_reach_is_named_as_the_cause(args: list[str]) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code == 1 and "load alone" in res.stdout


def test_queue_load_beyond_any_server_count_names_the_load() -> None:
    res = runner.invoke(app, ["queue", "--rate", "1e9", "--service-ms", "1e10", "--servers", "48"])
    assert res.exit_code == 2 and "offered load" in res.stderr and "208,333" not in res.stderr


def test_more_numeric_options_refuse_bad_values() -> None:
    erlang = ["erlang", "--blocking", "1", "--rate", "10", "--service-ms", "100"]
    queue = ["queue", "--rate", "50", "--service-ms", "100", "--servers", "8"]
    for option in ("--rate", "--service-ms"):
        for value in POSITIVE_BAD:
            _assert_refused(_with(erlang, option, value))
    for value in ["nan", "inf", "-5", "0", "100", "150", "abc"]:
        _assert_refused(_with(queue, "--percentiles", value))
    _assert_refused(["staff", "--rate", "0.05", "--aht-s", "180", "--max-occupancy", "1e-300"])  # not 300 digits


# file → (header, a valid row, the numeric columns, what the command line looks like)
FILES = {
    "stations": ("name,demand_ms,servers,kind", "web,20,4,queue", ["demand_ms", "servers"],
                 lambda p: ["mva", p, "--users", "10"]),
    "network": ("name,service_ms,servers,external_rps,to_db", "web,10,2,50,0.5\ndb,5,1,0,0",
                ["service_ms", "servers", "external_rps", "to_db"], lambda p: ["network", p]),
    "tiers": ("name,service_ms,service_cv,arrival_cv,workers,price_per_hour,visit_ratio,asa_ms",
              "web,10,1,1,4,0.1,1,50", ["service_ms", "service_cv", "arrival_cv", "workers", "price_per_hour",
                                        "visit_ratio", "asa_ms"],
              lambda p: ["size", p, "--rate", "100", "--slo-ms", "200"]),
    "loadtest": ("concurrency,throughput_rps", "1,100\n2,190\n4,350\n8,600\n16,800", ["concurrency", "throughput_rps"],
                 lambda p: ["usl", p]),
}


@pytest.mark.parametrize("kind", sorted(FILES))
def test_bad_cells_in_every_file_are_refused_in_one_line(tmp_path: Path, kind: str) -> None:
    header, rows, columns, command = FILES[kind]
    good = tmp_path / "good.csv"
    good.write_text(f"{header}\n{rows}\n", encoding="utf-8")
    assert runner.invoke(app, command(str(good))).exit_code in (0, 1)
    names = header.split(",")
    first, rest = rows.split("\n")[0].split(","), rows.split("\n")[1:]
    for column in columns:
        for value in ["nan", "inf", "-5", "1e300", "abc"]:
            cells = list(first)
            cells[names.index(column)] = value
            bad = tmp_path / f"{column}.csv"
            bad.write_text("\n".join([header, ",".join(cells), *rest]) + "\n", encoding="utf-8")
            _assert_refused(command(str(bad)))


@pytest.mark.parametrize(("base", "option"), [
    (["queue", "--rate", "50", "--service-ms", "100", "--servers", "8"], "--rate"),
    (["queue", "--rate", "50", "--service-ms", "100", "--servers", "8"], "--service-ms"),
    (["queue", "--rate", "50", "--service-ms", "100", "--servers", "8"], "--slo-ms"),
    (["size", "--rate", "100", "--slo-ms", "200", "--service-ms", "10"], "--service-ms"),
    (["staff", "--rate", "0.05", "--aht-s", "180", "--sl", "80", "--wait-s", "20"], "--rate"),
    (["staff", "--rate", "0.05", "--aht-s", "180", "--sl", "80", "--wait-s", "20"], "--aht-s"),
    (["staff", "--rate", "0.05", "--aht-s", "180"], "--asa-s"),
    (["erlang", "--rate", "5", "--service-ms", "100", "--blocking", "1"], "--service-ms"),
    (["usl-solve", "--sigma", "0.03", "--kappa", "0.0001", "--lambda", "90"], "--lambda"),
])
@pytest.mark.parametrize("tiny", ["5e-324", "1e-300", "1e-12"])
def test_tiny_rates_and_times_are_refused_before_they_underflow(base: list[str], option: str, tiny: str) -> None:
    # 5e-324 ms is 0 s once converted, and λ·S of two tiny values is 0 erlangs: refused as typed, in the user's unit.
    _assert_refused(_with(base, option, tiny))
    res = runner.invoke(app, _with(base, option, tiny))
    assert "too small to be a real value" in res.stderr


def test_usl_without_contention_or_coherency_says_it_scales_linearly() -> None:
    res = runner.invoke(app, ["usl-solve", "--sigma", "0", "--kappa", "0", "--lambda", "5"])
    assert res.exit_code == 0 and "X(N) = 5.00 × N" in res.stdout
    res = runner.invoke(app, ["usl-solve", "--sigma", "1e-300", "--kappa", "0", "--lambda", "5"])
    assert res.exit_code == 0 and "5e+300 req/s" in res.stdout and "000,000" not in res.stdout


@pytest.mark.parametrize(("kind", "column"), [("network", "service_ms"), ("tiers", "service_ms"), ("tiers", "asa_ms"),
                                              ("tiers", "visit_ratio"), ("loadtest", "throughput_rps")])
def test_tiny_cells_are_refused_by_row_and_column(tmp_path: Path, kind: str, column: str) -> None:
    # 1e-320 ms is a denormal 1e-323 s: the M/M/c percentile search then had no room to bisect (a traceback)
    header, rows, _, command = FILES[kind]
    names = header.split(",")
    first, rest = rows.split("\n")[0].split(","), rows.split("\n")[1:]
    first[names.index(column)] = "1e-320"
    bad = tmp_path / "tiny.csv"
    bad.write_text("\n".join([header, ",".join(first), *rest]) + "\n", encoding="utf-8")
    _assert_refused(command(str(bad)))
    assert "Row 2" in runner.invoke(app, command(str(bad))).stderr
