"""``python -m workbench fleet run INPUT --capacity capacity.csv --horizon 30d -o out/``: the fleet radar."""

from __future__ import annotations

import math
from pathlib import Path

import typer

from workbench.cli.common import LangOption, lang_code, user_errors
from workbench.cli.forecast import parse_duration
from workbench.errors import InputError
from workbench.i18n import format_number, t

fleet_app = typer.Typer(help="Forecast every service's peak and rank capacity risks across a fleet (on Dask).",
                        no_args_is_help=True)


def _models(text: str) -> tuple[str, ...]:
    return tuple(m.strip() for m in text.split(",") if m.strip())


def _in_range(option: str, value: int, minimum: int, maximum: int) -> None:
    """Whole-number options are refused out of range (not clamped), in the user's language (exit 2)."""
    if not minimum <= value <= maximum:
        raise InputError("errors.fleet.option_range", option=option, value=value, minimum=minimum, maximum=maximum)


@fleet_app.command("run")
def run_cmd(
    input_path: Path = typer.Argument(..., metavar="INPUT",
                                      help="Folder with one load file per service, or a Parquet file with a "
                                           "'service' column."),
    capacity: Path = typer.Option(..., "--capacity", help="CSV: service, and capacity_rps or instances + "
                                                          "per_instance_rps (optional workshop, tier)."),
    horizon: str = typer.Option("30d", "--horizon", help="How far ahead: 12h, 30d, 2w (max 18 months)."),
    out: Path = typer.Option(Path("fleet_out"), "-o", "--out", help="Output folder (radar.parquet, summary.csv)."),
    scheduler: str = typer.Option("", "--scheduler", envvar="DASK_SCHEDULER_ADDRESS",
                                  help="Address of an existing Dask scheduler, e.g. tcp://host:8786 "
                                       "(default: a local cluster sized to this machine)."),
    workers: int = typer.Option(0, "--workers", help="Workers of the local cluster (default: one per core)."),
    models: str = typer.Option("", "--models", help="Comma-separated candidate models (default: "
                               "seasonal_naive_daily,seasonal_naive_weekly,multi_seasonal)."),
    freq: str = typer.Option("", "--freq", help="Resample every history to this step first, e.g. 1h."),
    threads: bool = typer.Option(False, "--threads", help="Local cluster with threads in one process instead "
                                 "of worker processes (lighter start, less parallel)."),
    top: int = typer.Option(10, "--top", help="Print the first N services of the ranking."),
    batch_size: int = typer.Option(400, "--batch-size", help="Services per Dask task (1–5000); same-grid "
                                   "services in a task are fitted in one solve."),
    lang: str = LangOption,
) -> None:
    """Analyse every service, print the riskiest ones, write radar.parquet and summary.csv."""
    from workbench.fleet import FleetOptions, discover_services, read_capacity, run_fleet, write_results
    from workbench.fleet.models import MAX_BATCH_SIZE, MAX_WORKERS
    from workbench.forecast import ModelName

    code = lang_code(lang)
    with user_errors(lang):
        _in_range("--workers", workers, 0, MAX_WORKERS)  # 0: one per core
        _in_range("--batch-size", batch_size, 1, MAX_BATCH_SIZE)
        _in_range("--top", top, 0, 1_000_000)
        if not capacity.is_file():
            raise InputError("errors.fleet.not_found", path=str(capacity))
        caps = read_capacity(capacity.read_bytes())
        names = _models(models)
        known = {m.value for m in ModelName}
        for name in names:
            if name not in known:
                raise InputError("errors.forecast.model_not_candidate", model=name)
        extra = {"candidates": tuple(ModelName(n) for n in names)} if names else {}
        options = FleetOptions(horizon=parse_duration(horizon), scheduler=scheduler or None,
                               workers=workers or None, freq=freq or None,
                               processes=not threads, batch_size=batch_size, **extra)
        sources = discover_services(input_path)
        step = max(1, math.ceil(len(sources) / 20))

        def progress(done: int, total: int) -> None:
            if done % step == 0 or done == total:
                typer.echo(t("fleet.cli.progress", code, done=done, total=total), err=True)

        run = run_fleet(sources, caps, options, progress)
        parquet, csv = write_results(run.table, out)
    table = run.table
    counts = table["status"].value_counts()
    typer.echo(t("fleet.cli.summary", code, total=len(table), workers=run.workers, scheduler=run.scheduler,
                 breach=int(counts.get("breach", 0)), at_risk=int(counts.get("at_risk", 0)),
                 failed=int(counts.get("failed", 0))))
    for row in table.head(top).itertuples():
        day = row.first_exceed_point or row.first_exceed_p95 or "-"
        typer.echo(t("fleet.cli.top", code, rank=row.rank, service=row.service,
                     status=t(f"fleet.status.{row.status}", code), p95=format_number(row.peak_p95, code),
                     capacity=format_number(row.capacity_rps, code), day=day))
    typer.echo(t("fleet.cli.written", code, parquet=str(parquet), csv=str(csv)))


def register(app: typer.Typer) -> None:
    """Add the ``fleet`` command group."""
    app.add_typer(fleet_app, name="fleet")
