"""``python -m workbench queue|usl|mva|size``: the capacity engine from a terminal (fields: docs/cli-capacity.md)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import typer

from workbench.cli.common import LangOption, echo_json, lang_code, user_errors
from workbench.errors import InputError
from workbench.i18n import format_number, t


def _pkey(q: float) -> str:
    return f"p{q * 100:g}"


def _ms(v: float | None) -> float | None:
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
            raise InputError("errors.capacity.percentile_range", value=part.strip()) from None
        q = q / 100 if q >= 1 else q
        if not 0 < q < 1:
            raise InputError("errors.capacity.percentile_range", value=part.strip())
        out.append(q)
    return tuple(sorted(set(out)))


def queue_summary(res: Any, slo_ms: float | None, slo_q: float) -> dict[str, Any]:
    """The JSON document of ``queue --json`` (documented in docs/cli-capacity.md)."""
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
        "prob_wait": res.prob_wait,
        "mean_wait_ms": _ms(res.mean_wait),
        "mean_response_ms": _ms(res.mean_response),
        "mean_queue_length": res.mean_queue_length,
        "mean_in_system": res.mean_in_system,
        "wait_percentiles_ms": {_pkey(q): v * 1e3 for q, v in res.wait_percentiles.items()},
        "response_percentiles_ms": {_pkey(q): v * 1e3 for q, v in res.response_percentiles.items()},
        "wait_target_ms": _ms(res.wait_target),
        "service_level": res.service_level,
    }
    if slo_ms is not None:
        p = res.response_percentiles.get(slo_q)
        doc["slo"] = {"percentile": slo_q, "target_ms": slo_ms, "value_ms": _ms(p),
                      "met": bool(p is not None and p * 1e3 <= slo_ms)}
    return doc


def queue_cmd(
    rate: float = typer.Option(..., "--rate", help="Arrival rate λ, requests per second."),
    service_ms: float = typer.Option(..., "--service-ms", help="Mean service time S, milliseconds."),
    servers: int = typer.Option(1, "--servers", "-c", help="Servers c (instances × workers)."),
    service_cv: float = typer.Option(1.0, "--service-cv", help="CV of service time (1 exponential, 0 constant)."),
    arrival_cv: float = typer.Option(1.0, "--arrival-cv", help="CV of inter-arrival times (1 = Poisson)."),
    percentiles: str = typer.Option("50,95,99", "--percentiles", help="Percentiles to report, e.g. 50,95,99,99.9."),
    wait_target_ms: float | None = typer.Option(None, "--wait-target-ms", help="t of the service level P(wait ≤ t)."),
    slo_ms: float | None = typer.Option(None, "--slo-ms", help="Latency SLO to check, milliseconds."),
    slo_percentile: float = typer.Option(99.0, "--slo-percentile", help="Percentile of the SLO, e.g. 99."),
    as_json: bool = typer.Option(False, "--json", help="Print all metrics as JSON (times in ms)."),
    lang: str = LangOption,
) -> None:
    """Queue metrics: M/M/1, M/M/c (Erlang C), M/G/1 or G/G/c, chosen from the CVs and the server count."""
    from workbench.capacity.queue import solve_queue

    code = lang_code(lang)
    with user_errors(lang):
        qs = _percentiles(percentiles)
        slo_q = _percentiles(str(slo_percentile))[0]
        qs = tuple(sorted(set(qs) | ({slo_q} if slo_ms is not None else set())))
        for name, value in (("service_ms", service_ms), ("rate", rate)):
            if not math.isfinite(value):
                raise InputError("errors.capacity.not_a_number", field=name, value=str(value))
        wt = None if wait_target_ms is None else wait_target_ms / 1e3
        res = solve_queue(rate, service_ms / 1e3, servers, arrival_cv, service_cv, qs, wt)
    doc = queue_summary(res, slo_ms, slo_q)
    if as_json:
        echo_json(doc)
        return
    typer.echo(t("capacity.cli.model", code, model=t(f"capacity.model.{res.kind.value}", code)))
    if not res.stable:
        typer.echo(t("capacity.cli.unstable", code, rho=format_number(res.utilisation, code),
                     servers=res.servers, min_servers=res.min_stable_servers()))
        raise typer.Exit(code=1)

    def ms(seconds: float | None) -> float | None:
        return None if seconds is None else seconds * 1e3

    rows: list[tuple[str, float | None]] = [
        (t("capacity.queue.utilisation", code), res.utilisation),
        (t("capacity.queue.prob_wait", code), res.prob_wait),
        (t("capacity.queue.mean_wait", code), ms(res.mean_wait)),
        (t("capacity.queue.mean_response", code), ms(res.mean_response)),
        (t("capacity.queue.queue_length", code), res.mean_queue_length),
    ]
    rows += [
        (t("capacity.queue.p_response", code, pct=f"{q * 100:g}"), v * 1e3) for q, v in res.response_percentiles.items()
    ]
    if res.service_level is not None:
        rows.append((t("capacity.queue.service_level", code, target=f"{wait_target_ms:g}"), res.service_level))
    for name, metric in rows:
        typer.echo(t("capacity.cli.metric", code, name=name, value=format_number(metric, code)))
    if slo_ms is not None:
        slo_value_ms = res.response_percentiles[slo_q] * 1e3
        key = "capacity.queue.slo_met" if slo_value_ms <= slo_ms else "capacity.queue.slo_missed"
        typer.echo(t(key, code, pct=f"{slo_q * 100:g}", value=format_number(slo_value_ms, code), target=f"{slo_ms:g}"))
    if not res.exact:
        typer.echo(t("capacity.approx_note", code))


def usl_summary(fit: Any, code: str, target: float | None, predict_at: list[float]) -> dict[str, Any]:
    """The JSON document of ``usl --json``."""
    from workbench.capacity.usl import concurrency_for_throughput, predict

    def iv(i: Any) -> dict[str, float]:
        return {"estimate": i.estimate, "low": i.low, "high": i.high}

    doc: dict[str, Any] = {
        "sigma": iv(fit.sigma), "kappa": iv(fit.kappa), "lambda": iv(fit.lam), "confidence": fit.confidence,
        "r_squared": fit.r_squared, "points": fit.n_points, "levels": fit.n_levels,
        "residual_std": fit.residual_std, "peak_concurrency": fit.peak_concurrency,
        "peak_throughput": fit.peak_throughput,
        "warnings": [{"code": w.code.value, "message": t(w.key, code, **w.params)} for w in fit.warnings],
    }
    if predict_at:
        doc["predictions"] = [p.model_dump() for p in predict(fit, predict_at)]
    if target is not None:
        doc["target"] = {"throughput": target, "concurrency": concurrency_for_throughput(fit, target)}
    return doc


def usl_cmd(
    file: Path = typer.Argument(..., help="Load-test CSV: concurrency, throughput[, latency]."),
    target: float | None = typer.Option(None, "--target", help="Find the concurrency that gives this throughput."),
    predict_at: list[float] = typer.Option([], "--predict", help="Predict throughput at this concurrency; repeatable."),
    as_json: bool = typer.Option(False, "--json", help="Print the fit as JSON."),
    lang: str = LangOption,
) -> None:
    """Fit the Universal Scalability Law (σ, κ, λ) to a load test; print peak and warnings."""
    from workbench.capacity.loadtest import read_loadtest_csv
    from workbench.capacity.usl import fit_usl

    code = lang_code(lang)
    with user_errors(lang):
        data = read_loadtest_csv(_read(file))
        fit = fit_usl(data.concurrency, data.throughput)
        fit = fit.model_copy(update={"warnings": [*data.notes, *fit.warnings]})
        doc = usl_summary(fit, code, target, list(predict_at))
    if as_json:
        echo_json(doc)
        return
    def f(v: float) -> str:
        return format_number(v, code, 6 if abs(v) < 0.01 else None)

    typer.echo(t("capacity.cli.usl_coef", code, sigma=f(fit.sigma.estimate), sigma_lo=f(fit.sigma.low),
                 sigma_hi=f(fit.sigma.high), kappa=f(fit.kappa.estimate), kappa_lo=f(fit.kappa.low),
                 kappa_hi=f(fit.kappa.high), lam=f(fit.lam.estimate), r2=format_number(fit.r_squared, code, 4)))
    if fit.peak_concurrency is not None:
        typer.echo(t("capacity.cli.usl_peak", code, n=format_number(fit.peak_concurrency, code),
                     x=format_number(fit.peak_throughput, code)))
    elif fit.peak_throughput is not None:
        typer.echo(t("capacity.cli.usl_no_peak", code, x=format_number(fit.peak_throughput, code)))
    for p in doc.get("predictions", []):
        typer.echo(f"N = {format_number(p['concurrency'], code)}: X = {format_number(p['throughput'], code)} "
                   f"[{format_number(p['pi_low'], code)}, {format_number(p['pi_high'], code)}]")
    if target is not None:
        n = doc["target"]["concurrency"]
        if n is None:
            typer.echo(t("capacity.usl.target_above_peak", code, target=format_number(target, code),
                         peak=format_number(fit.peak_throughput or 0.0, code)))
        else:
            typer.echo(t("capacity.usl.target_n", code, target=format_number(target, code), n=format_number(n, code)))
    for w in doc["warnings"]:
        typer.echo(t("capacity.cli.warning", code, text=w["message"]), err=True)


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
    users: int = typer.Option(..., "--users", "-n", help="Population N (1 … 100,000)."),
    think_ms: float = typer.Option(0.0, "--think-ms", help="Think time Z, milliseconds."),
    every: bool = typer.Option(False, "--all", help="With --json: every population, not a selection."),
    as_json: bool = typer.Option(False, "--json", help="Print results and bounds as JSON."),
    lang: str = LangOption,
) -> None:
    """Mean Value Analysis of a closed network: throughput and response time against users, bounds."""
    from workbench.capacity.mva import mva_bounds, solve_network
    from workbench.capacity.tables import read_stations_csv

    code = lang_code(lang)
    with user_errors(lang):
        stations = read_stations_csv(_read(file))
        res = solve_network(stations, users, think_ms / 1e3)
        b = mva_bounds(stations, think_ms / 1e3)
    pops = res.populations if every else _pick_populations(users)
    idx = {n: i for i, n in enumerate(res.populations)}
    doc: dict[str, Any] = {
        "exact": res.exact,
        "think_time_ms": think_ms,
        "bounds": {
            "total_demand_ms": b.total_demand * 1e3,
            "max_demand_ms": b.max_demand * 1e3,
            "throughput_limit_rps": 1 / b.max_demand,
            "n_star": b.n_star,
            "bottleneck": b.bottleneck,
        },
        "results": [
            {"users": n, "throughput_rps": res.throughput[idx[n]], "response_ms": res.response_time[idx[n]] * 1e3}
            for n in pops
        ],
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
        typer.echo(t("capacity.cli.mva_row", code, n=row["users"], x=format_number(row["throughput_rps"], code),
                     r=format_number(row["response_ms"], code)))
    typer.echo(t("capacity.cli.mva_bottleneck", code, name=b.bottleneck, xmax=format_number(1 / b.max_demand, code),
                 nstar=format_number(b.n_star, code)))


def size_cmd(
    file: Path | None = typer.Argument(None, help="Tiers CSV (name, service_ms, service_cv, arrival_cv, workers, "
                                       "price_per_hour, visit_ratio | model=usl, usl_sigma, usl_kappa, usl_lambda)."),
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
    as_json: bool = typer.Option(False, "--json", help="Print one object per tier as JSON."),
    lang: str = LangOption,
) -> None:
    """Fewest instances per tier meeting the latency SLO and the utilisation cap, and with one AZ lost."""
    from workbench.capacity.explain import sizing_rows
    from workbench.capacity.models import LatencySLO, TierSpec
    from workbench.capacity.sizing import size_tiers
    from workbench.capacity.tables import read_tiers_csv

    code = lang_code(lang)
    with user_errors(lang):
        if file is not None:
            tiers = read_tiers_csv(_read(file))
        elif service_ms is None:
            raise InputError("errors.capacity.tier_needs_service_time", tier=name)
        else:
            if not math.isfinite(service_ms) or service_ms <= 0:
                raise InputError("errors.capacity.not_positive", field="service_ms", value=service_ms)
            tiers = [TierSpec(name=name, service_time=service_ms / 1e3, service_cv=service_cv,
                              workers_per_instance=max(1, workers), price_per_hour=price)]
        if not math.isfinite(slo_ms) or slo_ms <= 0:
            raise InputError("errors.capacity.not_positive", field="slo_ms", value=slo_ms)
        q = _percentiles(str(slo_percentile))[0]
        results = size_tiers(rate, tiers, LatencySLO(percentile=q, target=slo_ms / 1e3), util_cap / 100, azs)
    rows = sizing_rows(results, code)
    if as_json:
        echo_json({"peak_rps": rate, "slo": {"percentile": q, "target_ms": slo_ms}, "util_cap": util_cap / 100,
                   "azs": azs, "tiers": rows})
        return
    for r, row in zip(results, rows, strict=True):
        if not r.feasible:
            typer.echo(t("capacity.cli.size_infeasible", code, tier=r.tier, reason=row["explanation"]))
            continue
        typer.echo(t("capacity.cli.size_row", code, tier=r.tier, required=r.required_instances,
                     az=r.instances_with_az_loss if r.instances_with_az_loss is not None else "—",
                     binding=r.binding.value if r.binding else "—",
                     util=format_number(r.utilisation_at_peak, code),
                     latency=format_number((r.latency_at_peak or 0.0) * 1e3, code)))
        typer.echo("  " + row["explanation"])
    if any(not r.feasible for r in results):
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    """Add the ``queue``, ``usl``, ``mva`` and ``size`` commands."""
    app.command("queue")(queue_cmd)
    app.command("usl")(usl_cmd)
    app.command("mva")(mva_cmd)
    app.command("size")(size_cmd)
