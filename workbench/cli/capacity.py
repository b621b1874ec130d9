"""``python -m workbench queue|erlang|staff|network|usl|usl-solve|mva|size``: the capacity engine from a
terminal (fields: docs/cli-capacity.md).

Every number is checked in the unit it was typed in (ms stays ms) before it reaches the core; a bad
value ends with one translated line on stderr and exit code 2, never a traceback or a silent clamp.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from workbench.capacity.validate import (
    MAX_CV,
    MAX_PRICE,
    MAX_RATE,
    MAX_SERVERS,
    MAX_TIME_MS,
    MAX_USERS,
    MIN_RATE,
    MIN_TIME_MS,
    fraction,
    number,
    whole,
)
from workbench.cli.common import LangOption, echo_json, lang_code, user_errors
from workbench.errors import InputError
from workbench.i18n import format_number, t

F = "capacity.field."


def _rate(v: float, field: str = "rate") -> float:
    return number(v, F + field, unit="req/s", maximum=MAX_RATE, smallest=MIN_RATE)


def _ms(v: float, field: str, allow_zero: bool = False) -> float:
    """Milliseconds as typed, checked, returned in seconds."""
    return number(v, F + field, unit="ms", maximum=MAX_TIME_MS, allow_min=allow_zero, smallest=MIN_TIME_MS) / 1e3


def _cv(v: float, field: str) -> float:
    return number(v, F + field, minimum=0.0, allow_min=True, maximum=MAX_CV)


def _pkey(q: float) -> str:
    return f"p{q * 100:g}"


def _to_ms(v: float | None) -> float | None:
    return None if v is None else v * 1e3


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise InputError("errors.capacity.file_not_found", path=str(path))
    return path.read_bytes()


def _percentiles(text: str) -> tuple[float, ...]:
    out = []
    for part in text.split(","):
        try:
            q = float(part.strip().rstrip("%"))
        except ValueError:
            raise InputError("errors.capacity.percentile_range", value=part.strip()[:20]) from None
        q = q / 100 if q >= 1 else q
        if not 0 < q < 1:
            raise InputError("errors.capacity.percentile_range", value=part.strip()[:20])
        out.append(q)
    return tuple(sorted(set(out)))


def queue_summary(res: Any, slo_ms: float | None, slo_q: float) -> dict[str, Any]:
    """The JSON document of ``queue --json`` (documented in docs/cli-capacity.md)."""
    from workbench.capacity.queues import slo_verdict

    doc: dict[str, Any] = {
        "model": res.kind.value,
        "exact": res.exact,
        "stable": res.stable,
        "arrival_rate_rps": res.arrival_rate,
        "service_time_ms": res.service_time * 1e3,
        "servers": res.servers,
        "arrival_cv": res.arrival_cv,
        "service_cv": res.service_cv,
        "offered_load_erlangs": res.offered_load,
        "utilisation": res.utilisation,
        "min_stable_servers": res.min_stable_servers(),
        "prob_empty": res.prob_empty,
        "prob_wait": res.prob_wait,
        "capacity": res.capacity,
        "prob_blocked": res.prob_blocked,
        "effective_arrival_rate_rps": res.effective_arrival_rate,
        "mean_wait_ms": _to_ms(res.mean_wait),
        "mean_response_ms": _to_ms(res.mean_response),
        "mean_queue_length": res.mean_queue_length,
        "mean_in_system": res.mean_in_system,
        "wait_percentiles_ms": {_pkey(q): v * 1e3 for q, v in res.wait_percentiles.items()},
        "response_percentiles_ms": {_pkey(q): v * 1e3 for q, v in res.response_percentiles.items()},
        "wait_target_ms": _to_ms(res.wait_target),
        "service_level": res.service_level,
    }
    if slo_ms is not None:
        p = res.response_percentiles.get(slo_q)
        doc["slo"] = {"percentile": slo_q, "target_ms": slo_ms, "value_ms": _to_ms(p),
                      "met": bool(p is not None and p * 1e3 <= slo_ms),
                      "refused_share": res.prob_blocked or 0.0,  # "met" is for the admitted requests only
                      "verdict": slo_verdict(res, slo_ms / 1e3, slo_q)[0].rsplit(".", 1)[-1]}
    return doc


def _echo_rows(rows: list[tuple[str, float | None]], code: str) -> None:
    for name, value in rows:
        typer.echo(t("capacity.cli.metric", code, name=name, value=format_number(value, code)))


def queue_cmd(
    rate: float = typer.Option(..., "--rate", help="Arrival rate λ, requests per second."),
    service_ms: float = typer.Option(..., "--service-ms", help="Mean service time S, milliseconds."),
    servers: int = typer.Option(1, "--servers", "-c", help="Servers c (instances × workers)."),
    service_cv: float = typer.Option(1.0, "--service-cv", help="CV of service time (1 exponential, 0 constant)."),
    arrival_cv: float = typer.Option(1.0, "--arrival-cv", help="CV of inter-arrival times (1 = Poisson)."),
    capacity: int | None = typer.Option(None, "--capacity", "-K",
                                        help="Room in the system K (in service + waiting): a bounded queue, M/M/c/K."),
    percentiles: str = typer.Option("50,95,99", "--percentiles", help="Percentiles to report, e.g. 50,95,99,99.9."),
    wait_target_ms: float | None = typer.Option(None, "--wait-target-ms", help="t of the service level P(wait ≤ t)."),
    slo_ms: float | None = typer.Option(None, "--slo-ms", help="Latency SLO to check, milliseconds."),
    slo_percentile: float = typer.Option(99.0, "--slo-percentile", help="Percentile of the SLO, e.g. 99."),
    as_json: bool = typer.Option(False, "--json", help="Print all metrics as JSON (times in ms)."),
    lang: str = LangOption,
) -> None:
    """Queue metrics: M/M/1, M/M/c (Erlang C), M/G/1, G/G/c or M/M/c/K, chosen from the inputs."""
    from workbench.capacity.finite import MAX_CAPACITY
    from workbench.capacity.queues import QueueSpec, slo_verdict, solve_queue
    from workbench.capacity.validate import offered_load

    code = lang_code(lang)
    with user_errors(lang):
        lam = _rate(rate)
        s = _ms(service_ms, "service_ms")
        c = whole(servers, F + "servers", maximum=MAX_SERVERS)
        cs, ca = _cv(service_cv, "service_cv"), _cv(arrival_cv, "arrival_cv")
        k = None if capacity is None else whole(capacity, F + "capacity", minimum=c, maximum=MAX_CAPACITY)
        offered_load(lam, s)  # a load needing more than 10 million servers is refused, naming the load
        wt = None if wait_target_ms is None else _ms(wait_target_ms, "wait_target_ms", allow_zero=True)
        if slo_ms is not None:
            _ms(slo_ms, "slo_ms")
        qs = _percentiles(percentiles)
        slo_q = _percentiles(str(slo_percentile))[0]
        qs = tuple(sorted(set(qs) | ({slo_q} if slo_ms is not None else set())))
        res = solve_queue(QueueSpec(arrival_rate=lam, service_time=s, servers=c, arrival_cv=ca, service_cv=cs,
                                    capacity=k, percentiles=qs, wait_target=wt))
    doc = queue_summary(res, slo_ms, slo_q)
    if as_json:
        echo_json(doc)
        return
    typer.echo(t("capacity.cli.model", code, model=t(f"capacity.model.{res.kind.value}", code)))
    if not res.stable:
        typer.echo(t("capacity.cli.unstable", code, rho=format_number(res.utilisation, code),
                     servers=f"{res.servers:,}", min_servers=f"{res.min_stable_servers():,}"))
        raise typer.Exit(code=1)
    rows: list[tuple[str, float | None]] = [
        (t("capacity.queue.utilisation", code), res.utilisation),
        (t("capacity.queue.prob_empty", code), res.prob_empty),
        (t("capacity.queue.prob_wait", code), res.prob_wait),
    ]
    if res.prob_blocked is not None:
        rows.append((t("capacity.queue.prob_blocked", code), res.prob_blocked))
    rows += [
        (t("capacity.queue.mean_wait", code), _to_ms(res.mean_wait)),
        (t("capacity.queue.mean_response", code), _to_ms(res.mean_response)),
        (t("capacity.queue.queue_length", code), res.mean_queue_length),
        (t("capacity.queue.in_system", code), res.mean_in_system),
    ]
    rows += [
        (t("capacity.queue.p_response", code, pct=f"{q * 100:g}"), v * 1e3) for q, v in res.response_percentiles.items()
    ]
    if res.service_level is not None:
        rows.append((t("capacity.queue.service_level", code, target=f"{wait_target_ms:g}"), res.service_level))
    _echo_rows(rows, code)
    if slo_ms is not None:
        key, got = slo_verdict(res, slo_ms / 1e3, slo_q)
        typer.echo(t(key, code, pct=f"{slo_q * 100:g}", value=format_number(got["value_ms"], code),
                     target=f"{slo_ms:g}", refused=format_number(got["refused_pct"], code)))
    if not res.exact:
        typer.echo(t("capacity.approx_note", code))


def erlang_cmd(
    blocking: float = typer.Option(..., "--blocking", help="Share refused, percent (e.g. 1 for 1 %)."),
    load: float | None = typer.Option(None, "--load", help="Offered load A in erlangs (λ × S)."),
    rate: float | None = typer.Option(None, "--rate", help="Arrival rate λ, requests/s (with --service-ms)."),
    service_ms: float | None = typer.Option(None, "--service-ms", help="Mean holding time S, milliseconds."),
    servers: int | None = typer.Option(None, "--servers", "-c", help="Servers: find the load they carry."),
    as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON."),
    lang: str = LangOption,
) -> None:
    """Erlang B backwards: fewest servers for a blocking target, or the most load a count carries."""
    from workbench.capacity.erlang import erlang_b
    from workbench.capacity.loss import load_for_blocking, servers_for_blocking
    from workbench.capacity.validate import MAX_LOAD, offered_load

    code = lang_code(lang)
    with user_errors(lang):
        b = fraction(blocking, F + "blocking", percent=True)
        if servers is not None:
            c = whole(servers, F + "servers", maximum=MAX_SERVERS)
            a = load_for_blocking(c, b)
            doc: dict[str, Any] = {"blocking": b, "servers": c, "max_load_erlangs": a}
            if service_ms is not None:
                doc["max_rate_rps"] = a / _ms(service_ms, "service_ms")
        else:
            if load is not None:
                a = number(load, F + "load", unit="erl", maximum=MAX_LOAD)
            elif rate is not None and service_ms is not None:
                a = offered_load(_rate(rate), _ms(service_ms, "service_ms"))
            else:
                raise InputError("errors.capacity.erlang_needs_load")
            c = servers_for_blocking(a, b)
            doc = {"blocking": b, "offered_load_erlangs": a, "servers": c, "blocking_achieved": erlang_b(c, a)}
    if as_json:
        echo_json(doc)
        return
    if "max_load_erlangs" in doc:
        typer.echo(
            t(
                "capacity.cli.erlang_load",
                code,
                servers=f"{doc['servers']:,}",
                pct=f"{blocking:.10g}",  # as typed: 99.99999 stays 99.99999, not 100
                load=format_number(doc["max_load_erlangs"], code),
            )
        )
    else:
        typer.echo(
            t(
                "capacity.cli.erlang_servers",
                code,
                servers=f"{doc['servers']:,}",
                pct=f"{blocking:.10g}",  # as typed: 99.99999 stays 99.99999, not 100
                load=format_number(doc["offered_load_erlangs"], code),
                achieved=format_number(doc["blocking_achieved"] * 100, code),
            )
        )


def staff_cmd(
    rate: float = typer.Option(..., "--rate", help="Arrivals per second (contacts, requests)."),
    aht_s: float = typer.Option(..., "--aht-s", help="Average handling time, seconds."),
    service_level: float | None = typer.Option(None, "--sl", help="Service level, percent answered within --wait-s."),
    wait_s: float | None = typer.Option(None, "--wait-s", help="Answer-within time of the service level, seconds."),
    asa_s: float | None = typer.Option(None, "--asa-s", help="Average speed of answer (mean wait) target, seconds."),
    max_occupancy: float | None = typer.Option(None, "--max-occupancy", help="Occupancy cap, percent."),
    shrinkage: float = typer.Option(0.0, "--shrinkage", help="Shrinkage (breaks, training, absence), percent."),
    as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON."),
    lang: str = LangOption,
) -> None:
    """Agents (or workers) for a service level, an ASA target and an occupancy cap, plus shrinkage."""
    from workbench.capacity.staffing import staff
    from workbench.capacity.validate import offered_load

    code = lang_code(lang)
    with user_errors(lang):
        lam = _rate(rate)
        aht = number(aht_s, F + "aht_s", unit="s", maximum=MAX_TIME_MS / 1e3, smallest=MIN_TIME_MS / 1e3)
        offered_load(lam, aht)
        sl = None if service_level is None else fraction(service_level, F + "service_level", percent=True)
        wt = (
            None
            if wait_s is None
            else number(wait_s, F + "wait_s", unit="s", maximum=MAX_TIME_MS / 1e3, allow_min=True,
                      smallest=MIN_TIME_MS / 1e3)
        )
        asa = (
            None
            if asa_s is None
            else number(asa_s, F + "asa_s", unit="s", maximum=MAX_TIME_MS / 1e3, smallest=MIN_TIME_MS / 1e3)
        )
        occ = (
            None if max_occupancy is None else number(max_occupancy, F + "max_occupancy", unit="%", maximum=100.0) / 100
        )
        shr = fraction(shrinkage, F + "shrinkage", percent=True, allow_zero=True)
        res = staff(
            lam,
            aht,
            wait_target=wt,
            service_level=sl,
            asa_target=asa,
            max_occupancy=None if occ == 1.0 else occ,
            shrinkage=shr,
        )
    if as_json:
        echo_json(res.model_dump(mode="json"))
        return
    typer.echo(
        t(
            "capacity.cli.staff",
            code,
            agents=res.agents,
            scheduled=res.scheduled,
            binding=t(f"capacity.staff.binding.{res.binding.value}", code),
            load=format_number(res.offered_load, code),
        )
    )
    rows: list[tuple[str, float | None]] = [
        (t("capacity.staff.occupancy", code), res.occupancy),
        (t("capacity.queue.prob_wait", code), res.prob_wait),
        (t("capacity.staff.asa", code), res.asa),
    ]
    if res.service_level is not None:
        rows.append((t("capacity.staff.service_level", code, wait=f"{wt:g}"), res.service_level))
    _echo_rows(rows, code)


def network_cmd(
    file: Path = typer.Argument(..., help="Stations CSV: name, service_ms, servers, external_rps, to_<station>…"),
    as_json: bool = typer.Option(False, "--json", help="Print per-station and end-to-end figures as JSON."),
    lang: str = LangOption,
) -> None:
    """Open network of queues (Jackson): visits, utilisation per station, end-to-end response time."""
    from workbench.capacity.jackson import solve_open_network
    from workbench.capacity.tables import read_open_network_csv

    code = lang_code(lang)
    with user_errors(lang):
        stations, routing = read_open_network_csv(_read(file))
        res = solve_open_network(stations, routing)
    doc: dict[str, Any] = {
        "stable": res.stable,
        "throughput_rps": res.throughput,
        "mean_response_ms": _to_ms(res.mean_response),
        "mean_in_system": res.mean_in_system,
        "bottleneck": res.bottleneck,
        "max_scale": res.max_scale,
        "stations": [
            {
                "name": n,
                "arrival_rate_rps": lam,
                "visits": v,
                "utilisation": q.utilisation,
                "mean_response_ms": _to_ms(q.mean_response),
                "prob_empty": q.prob_empty,
                "stable": q.stable,
            }
            for n, lam, v, q in zip(res.station_names, res.arrival_rates, res.visits, res.queues, strict=True)
        ],
    }
    if as_json:
        echo_json(doc)
        return
    for row in doc["stations"]:
        typer.echo(
            t(
                "capacity.cli.network_row",
                code,
                name=row["name"],
                visits=format_number(row["visits"], code),
                rate=format_number(row["arrival_rate_rps"], code),
                util=format_number(row["utilisation"], code),
                r=format_number(row["mean_response_ms"], code),
            )
        )
    if res.stable:
        typer.echo(
            t(
                "capacity.cli.network_total",
                code,
                r=format_number(doc["mean_response_ms"], code),
                name=res.bottleneck,
                scale=format_number(res.max_scale, code),
            )
        )
    else:
        typer.echo(t("capacity.cli.network_unstable", code, name=res.bottleneck))
        raise typer.Exit(code=1)


def usl_summary(fit: Any, code: str, target: float | None, predict_at: list[float]) -> dict[str, Any]:
    """The JSON document of ``usl --json``."""
    from workbench.capacity.usl import concurrency_for_throughput, predict

    def iv(i: Any) -> dict[str, float]:
        return {"estimate": i.estimate, "low": i.low, "high": i.high}

    doc: dict[str, Any] = {
        "sigma": iv(fit.sigma),
        "kappa": iv(fit.kappa),
        "lambda": iv(fit.lam),
        "confidence": fit.confidence,
        "r_squared": fit.r_squared,
        "points": fit.n_points,
        "levels": fit.n_levels,
        "residual_std": fit.residual_std,
        "peak_concurrency": fit.peak_concurrency,
        "peak_throughput": fit.peak_throughput,
        "warnings": [{"code": w.code.value, "message": t(w.key, code, **w.params)} for w in fit.warnings],
    }
    if predict_at:
        doc["predictions"] = [p.model_dump() for p in predict(fit, predict_at)]
    if target is not None:
        doc["target"] = {"throughput": target, "concurrency": concurrency_for_throughput(fit, target)}
    return doc


def usl_cmd(
    file: Path = typer.Argument(
        ...,
        help="Load-test file: a CSV (users/vus/threads, rps/tps…, p95_latency_ms…), "
        "a JMeter aggregate report or JTL, Locust stats history, k6 summary JSON, wrk text.",
    ),
    target: float | None = typer.Option(None, "--target", help="Find the concurrency that gives this throughput."),
    predict_at: list[float] = typer.Option([], "--predict", help="Predict throughput at this concurrency; repeatable."),
    as_json: bool = typer.Option(False, "--json", help="Print the fit as JSON."),
    lang: str = LangOption,
) -> None:
    """Fit the Universal Scalability Law (σ, κ, λ) to a load test; print peak and warnings."""
    from workbench.capacity.loadtest import read_loadtest
    from workbench.capacity.usl import fit_usl

    code = lang_code(lang)
    with user_errors(lang):
        if target is not None:
            _rate(target, "target_rps")
        points = [number(p, F + "concurrency", maximum=1e9) for p in predict_at]
        data = read_loadtest(_read(file), file.name)
        fit = fit_usl(data.concurrency, data.throughput)
        fit = fit.model_copy(update={"warnings": [*data.notes, *fit.warnings]})
        doc = usl_summary(fit, code, target, points)
        if data.source:
            doc["source"] = data.source
    if as_json:
        echo_json(doc)
        return
    for note in data.notes:
        if note.code.value == "read_as":
            typer.echo(t(note.key, code, **note.params))
    def f(v: float) -> str:
        return format_number(v, code, 6 if 1e-4 <= abs(v) < 0.01 else None)  # smaller: 3 significant digits

    typer.echo(
        t(
            "capacity.cli.usl_coef",
            code,
            sigma=f(fit.sigma.estimate),
            sigma_lo=f(fit.sigma.low),
            sigma_hi=f(fit.sigma.high),
            kappa=f(fit.kappa.estimate),
            kappa_lo=f(fit.kappa.low),
            kappa_hi=f(fit.kappa.high),
            lam=f(fit.lam.estimate),
            r2=format_number(fit.r_squared, code, 4),
        )
    )
    if fit.peak_concurrency is not None:
        typer.echo(
            t(
                "capacity.cli.usl_peak",
                code,
                n=format_number(fit.peak_concurrency, code),
                x=format_number(fit.peak_throughput, code),
            )
        )
    elif fit.peak_throughput is not None:
        typer.echo(t("capacity.cli.usl_no_peak", code, x=format_number(fit.peak_throughput, code)))
    for p in doc.get("predictions", []):
        typer.echo(
            f"N = {format_number(p['concurrency'], code)}: X = {format_number(p['throughput'], code)} "
            f"[{format_number(p['pi_low'], code)}, {format_number(p['pi_high'], code)}]"
        )
    if target is not None:
        n = doc["target"]["concurrency"]
        if n is None:
            typer.echo(
                t(
                    "capacity.usl.target_above_peak",
                    code,
                    target=format_number(target, code),
                    peak=format_number(fit.peak_throughput or 0.0, code),
                )
            )
        else:
            typer.echo(t("capacity.usl.target_n", code, target=format_number(target, code), n=format_number(n, code)))
    for w in doc["warnings"]:
        if w["code"] != "read_as":
            typer.echo(t("capacity.cli.warning", code, text=w["message"]), err=True)


def usl_solve_cmd(
    sigma: float = typer.Option(..., "--sigma", help="σ, contention (0 … 1)."),
    kappa: float = typer.Option(..., "--kappa", help="κ, coherency (≥ 0)."),
    lam: float = typer.Option(..., "--lambda", help="λ, throughput of one user, requests/s."),
    at: float | None = typer.Option(None, "--at", help="Concurrency N: throughput, latency, efficiency, σ vs κ."),
    latency_ms: float | None = typer.Option(
        None, "--latency-ms", help="Concurrency and throughput at this mean latency."
    ),
    target: float | None = typer.Option(None, "--target", help="Concurrency for this throughput (exact root)."),
    as_json: bool = typer.Option(False, "--json", help="Print the answers as JSON."),
    lang: str = LangOption,
) -> None:
    """The USL backwards from known coefficients: peak, latency target, throughput target, diagnostics."""
    from workbench.capacity.usl import (
        amdahl_concurrency_for,
        usl_at_latency,
        usl_concurrency_for,
        usl_diagnostics,
        usl_peak,
    )

    code = lang_code(lang)
    with user_errors(lang):
        s = number(sigma, F + "sigma", minimum=0.0, allow_min=True, maximum=1.0)
        k = number(kappa, F + "kappa", minimum=0.0, allow_min=True, maximum=1.0)
        lm = _rate(lam, "lambda")
        peak_n, peak_x = usl_peak(s, k, lm)
        doc: dict[str, Any] = {
            "sigma": s,
            "kappa": k,
            "lambda": lm,
            "peak_concurrency": peak_n,
            "peak_throughput": peak_x,
        }
        if at is not None:
            doc["at"] = usl_diagnostics(s, k, lm, number(at, F + "concurrency", maximum=1e9)).model_dump()
        if latency_ms is not None:
            got = usl_at_latency(s, k, lm, _ms(latency_ms, "latency_ms"))
            doc["latency"] = {"target_ms": latency_ms, "concurrency": got and got[0], "throughput": got and got[1]}
        if target is not None:
            x = _rate(target, "target_rps")
            doc["throughput_target"] = {
                "target": x,
                "concurrency": usl_concurrency_for(s, k, lm, x),
                "amdahl_concurrency": amdahl_concurrency_for(s, lm, x),
            }
    if as_json:
        echo_json(doc)
        return
    if peak_n is not None:
        typer.echo(t("capacity.cli.usl_peak", code, n=format_number(peak_n, code), x=format_number(peak_x, code)))
    elif peak_x is not None:
        typer.echo(t("capacity.cli.usl_no_peak", code, x=format_number(peak_x, code)))
    else:
        typer.echo(t("capacity.cli.usl_no_limit", code, x=format_number(lm, code)))
    if "at" in doc:
        d = doc["at"]
        typer.echo(
            t(
                "capacity.cli.usl_at",
                code,
                n=format_number(d["concurrency"], code),
                x=format_number(d["throughput"], code),
                r=format_number(d["latency"] * 1e3, code),
                eff=format_number(d["efficiency"] * 100, code),
                dominant=t(f"capacity.usl.dominant.{d['dominant']}", code),
            )
        )
    if "latency" in doc:
        lat = doc["latency"]
        if lat["concurrency"] is None:
            typer.echo(
                t(
                    "capacity.cli.usl_latency_impossible",
                    code,
                    target=f"{latency_ms:g}",
                    floor=format_number(1e3 / lm, code),
                )
            )
        else:
            typer.echo(
                t(
                    "capacity.cli.usl_latency",
                    code,
                    target=f"{latency_ms:g}",
                    n=format_number(lat["concurrency"], code),
                    x=format_number(lat["throughput"], code),
                )
            )
    if "throughput_target" in doc:
        tt = doc["throughput_target"]
        if tt["concurrency"] is None:
            typer.echo(
                t(
                    "capacity.usl.target_above_peak",
                    code,
                    target=format_number(tt["target"], code),
                    peak=format_number(peak_x or 0.0, code),
                )
            )
        else:
            typer.echo(
                t(
                    "capacity.usl.target_n",
                    code,
                    target=format_number(tt["target"], code),
                    n=format_number(tt["concurrency"], code),
                )
            )


def _pick_populations(users: int) -> list[int]:
    pts = {1, users}
    n = 1
    while n < users:
        pts.add(n)
        n *= 2
    step = max(1, users // 10)
    pts.update(range(step, users + 1, step))
    return sorted(pts)


def mva_cmd(
    file: Path = typer.Argument(..., help="Stations CSV: name, demand_ms, servers, kind (queue|delay)."),
    users: int = typer.Option(0, "--users", "-n", help="Population N (1 … 100,000); not with --classes."),
    think_ms: float = typer.Option(0.0, "--think-ms", help="Think time Z, milliseconds."),
    classes: Path | None = typer.Option(
        None,
        "--classes",
        help="User classes CSV: class, users, think_ms, one demand_ms column per station (multi-class exact MVA).",
    ),
    every: bool = typer.Option(False, "--all", help="With --json: every population, not a selection."),
    as_json: bool = typer.Option(False, "--json", help="Print results and bounds as JSON."),
    lang: str = LangOption,
) -> None:
    """Mean Value Analysis of a closed network: throughput and response time against users, all bounds."""
    from workbench.capacity.bounds import network_bounds
    from workbench.capacity.mva import mva_bounds, solve_network
    from workbench.capacity.tables import read_stations_csv

    code = lang_code(lang)
    with user_errors(lang):
        stations = read_stations_csv(_read(file))
        if classes is not None:
            _mva_classes(stations, classes, as_json, code)
            return
        n = whole(users, F + "users", maximum=MAX_USERS)
        z = _ms(think_ms, "think_ms", allow_zero=True)
        res = solve_network(stations, n, z)
        b = mva_bounds(stations, z)
        pops = res.populations if every else _pick_populations(n)
        full = network_bounds(stations, pops, z)
    idx = {p: i for i, p in enumerate(res.populations)}
    doc: dict[str, Any] = {
        "exact": res.exact,
        "think_time_ms": think_ms,
        "bounds": {
            "total_demand_ms": b.total_demand * 1e3,
            "max_demand_ms": b.max_demand * 1e3,
            "throughput_limit_rps": 1 / b.max_demand,
            "n_star": b.n_star,
            "bottleneck": b.bottleneck,
            "balanced": full.balanced,
        },
        "results": [_mva_row(res, idx[p], p, full, i) for i, p in enumerate(pops)],
        "stations": [
            {"name": name, "utilisation": res.utilisation[k][-1], "queue_length": res.queue_length[k][-1]}
            for k, name in enumerate(res.station_names)
        ],
    }
    if as_json:
        echo_json(doc)
        return
    typer.echo(t("capacity.mva.exact" if res.exact else "capacity.mva.approx", code))
    for row in doc["results"]:
        typer.echo(
            t(
                "capacity.cli.mva_row",
                code,
                n=row["users"],
                x=format_number(row["throughput_rps"], code),
                r=format_number(row["response_ms"], code),
            )
        )
    typer.echo(
        t(
            "capacity.cli.mva_bottleneck",
            code,
            name=b.bottleneck,
            xmax=format_number(1 / b.max_demand, code),
            nstar=format_number(b.n_star, code),
        )
    )


def _mva_row(res: Any, i: int, n: int, full: Any, j: int) -> dict[str, Any]:
    row: dict[str, Any] = {
        "users": n,
        "throughput_rps": res.throughput[i],
        "response_ms": res.response_time[i] * 1e3,
        "throughput_bounds_aba": [full.x_lower_aba[j], full.x_upper_aba[j]],
        "response_bounds_aba_ms": [full.r_lower_aba[j] * 1e3, full.r_upper_aba[j] * 1e3],
    }
    if full.balanced:
        row["throughput_bounds_bjb"] = [full.x_lower_bjb[j], full.x_upper_bjb[j]]
        row["response_bounds_bjb_ms"] = [full.r_lower_bjb[j] * 1e3, full.r_upper_bjb[j] * 1e3]
    return row


def _mva_classes(stations: list[Any], classes: Path, as_json: bool, code: str) -> None:
    from workbench.capacity.multiclass import multiclass_mva
    from workbench.capacity.tables import read_classes_csv

    if any(s.servers > 1 for s in stations if s.kind.value == "queue"):
        raise InputError("errors.capacity.classes_single_server")
    specs = read_classes_csv(_read(classes), [s.name for s in stations])
    res = multiclass_mva(specs, [s.name for s in stations], [s.kind for s in stations])
    doc: dict[str, Any] = {
        "exact": True,
        "classes": [
            {"name": n, "throughput_rps": x, "response_ms": r * 1e3}
            for n, x, r in zip(res.class_names, res.throughput, res.response_time, strict=True)
        ],
        "stations": [
            {"name": n, "utilisation": u, "queue_length": q}
            for n, u, q in zip(res.station_names, res.utilisation, res.queue_length, strict=True)
        ],
    }
    if as_json:
        echo_json(doc)
        return
    for row in doc["classes"]:
        typer.echo(
            t(
                "capacity.cli.class_row",
                code,
                name=row["name"],
                x=format_number(row["throughput_rps"], code),
                r=format_number(row["response_ms"], code),
            )
        )


def size_cmd(
    file: Path | None = typer.Argument(
        None,
        help="Tiers CSV (name, service_ms, service_cv, arrival_cv, workers, "
        "price_per_hour, visit_ratio, blocking_pct, queue_slots, asa_ms, shrinkage_pct, "
        "max_occupancy_pct | model=usl, usl_sigma, usl_kappa, usl_lambda).",
    ),
    rate: float = typer.Option(..., "--rate", help="Peak arrival rate at the front door, requests/s."),
    slo_ms: float = typer.Option(..., "--slo-ms", help="Latency SLO, milliseconds."),
    slo_percentile: float = typer.Option(99.0, "--slo-percentile", help="Percentile of the SLO, e.g. 99."),
    util_cap: float = typer.Option(70.0, "--util-cap", help="Utilisation cap, percent (below 100)."),
    azs: int = typer.Option(1, "--azs", help="Availability zones the instances are spread over."),
    name: str = typer.Option("tier", "--name", help="Tier name when no FILE is given."),
    service_ms: float | None = typer.Option(None, "--service-ms", help="Mean service time when no FILE is given."),
    service_cv: float = typer.Option(1.0, "--service-cv", help="CV of service time when no FILE is given."),
    workers: int = typer.Option(1, "--workers", help="Workers per instance when no FILE is given."),
    price: float | None = typer.Option(None, "--price", help="Price per instance-hour when no FILE is given."),
    blocking: float | None = typer.Option(None, "--blocking", help="At most this percent refused (no FILE)."),
    queue_slots: int | None = typer.Option(None, "--queue-slots", help="Bounded queue slots per instance (no FILE)."),
    asa_ms: float | None = typer.Option(None, "--asa-ms", help="Mean wait in queue at most this, ms (no FILE)."),
    shrinkage: float = typer.Option(0.0, "--shrinkage", help="Percent of instances out for deploys etc. (no FILE)."),
    as_json: bool = typer.Option(False, "--json", help="Print one object per tier as JSON."),
    lang: str = LangOption,
) -> None:
    """Fewest instances per tier meeting the latency SLO, the utilisation cap and any blocking/ASA target."""
    from workbench.capacity.explain import sizing_rows
    from workbench.capacity.models import LatencySLO, TierSpec
    from workbench.capacity.sizing import size_tiers
    from workbench.capacity.tables import read_tiers_csv

    code = lang_code(lang)
    with user_errors(lang):
        peak = _rate(rate)
        slo = _ms(slo_ms, "slo_ms")
        q = _percentiles(str(slo_percentile))[0]
        cap = fraction(util_cap, F + "util_cap", percent=True)
        n_azs = whole(azs, F + "azs", maximum=10)
        if file is not None:
            tiers = read_tiers_csv(_read(file))
        elif service_ms is None:
            raise InputError("errors.capacity.tier_needs_service_time", tier=name)
        else:
            tiers = [
                TierSpec(
                    name=name[:80] or "tier",
                    service_time=_ms(service_ms, "service_ms"),
                    service_cv=_cv(service_cv, "service_cv"),
                    workers_per_instance=whole(workers, F + "workers", maximum=10_000),
                    price_per_hour=None
                    if price is None
                    else number(price, F + "price", allow_min=True, maximum=MAX_PRICE),
                    max_blocking=None if blocking is None else fraction(blocking, F + "blocking", percent=True),
                    queue_per_instance=None
                    if queue_slots is None
                    else whole(queue_slots, F + "queue_slots", minimum=0, maximum=1_000_000),
                    asa_target=None if asa_ms is None else _ms(asa_ms, "asa_ms"),
                    shrinkage=fraction(shrinkage, F + "shrinkage", percent=True, allow_zero=True),
                )
            ]
        results = size_tiers(peak, tiers, LatencySLO(percentile=q, target=slo), cap, n_azs)
    rows = sizing_rows(results, code)
    if as_json:
        echo_json(
            {
                "peak_rps": rate,
                "slo": {"percentile": q, "target_ms": slo_ms},
                "util_cap": cap,
                "azs": n_azs,
                "tiers": rows,
            }
        )
        return
    for r, row in zip(results, rows, strict=True):
        if not r.feasible:
            typer.echo(t("capacity.cli.size_infeasible", code, tier=r.tier, reason=row["explanation"]))
            continue
        typer.echo(
            t(
                "capacity.cli.size_row",
                code,
                tier=r.tier,
                required=r.provisioned_instances or r.required_instances,
                az=r.instances_with_az_loss if r.instances_with_az_loss is not None else "—",
                binding=r.binding.value if r.binding else "—",
                util=format_number(r.utilisation_at_peak, code),
                latency=format_number((r.latency_at_peak or 0.0) * 1e3, code),
            )
        )
        typer.echo("  " + row["explanation"])
    if any(not r.feasible for r in results):
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    """Add the capacity commands."""
    app.command("queue")(queue_cmd)
    app.command("erlang")(erlang_cmd)
    app.command("staff")(staff_cmd)
    app.command("network")(network_cmd)
    app.command("usl")(usl_cmd)
    app.command("usl-solve")(usl_solve_cmd)
    app.command("mva")(mva_cmd)
    app.command("size")(size_cmd)
