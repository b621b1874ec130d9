"""``python -m workbench forecast FILE --horizon 30d``: the forecast engine from a terminal."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import typer

from workbench.cli.common import LangOption, echo_json, lang_code, user_errors
from workbench.errors import InputError
from workbench.i18n import format_number, t

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> dt.timedelta:
    """'30d', '12h', '2w', '90m' → timedelta."""
    m = _DURATION.match(text.lower())
    if m is None:
        raise InputError("errors.forecast.duration", text=text)
    return dt.timedelta(**{_UNITS[m[2]]: float(m[1])})


def forecast_cmd(
    file: Path = typer.Argument(..., help="Load history: CSV, Excel, Parquet or Prometheus query_range JSON."),
    horizon: str = typer.Option("30d", "--horizon", help="How far ahead: 90m, 12h, 30d, 2w (max 18 months)."),
    freq: str = typer.Option("", "--freq", help="Resample to this step first, e.g. 5min or 1h (default: as read)."),
    event: list[str] = typer.Option([], "--event", help="NAME:START/END:xM or NAME:START/END:+U; repeatable."),
    growth: float = typer.Option(0.0, "--growth", help="Scenario growth, % per month (compound)."),
    model: str = typer.Option("", "--model", help="Force a model: seasonal_naive_daily, seasonal_naive_weekly, "
                              "multi_seasonal, holt_winters, mstl (default: lowest backtest MASE)."),
    china_holidays: bool = typer.Option(False, "--china-holidays", help="Same as --holidays CN."),
    holidays: str = typer.Option("", "--holidays", help="Holiday calendar of this country (ISO code: CN with "
                                 "调休, US, DE, GB, …); default: weekends only."),
    value: list[str] = typer.Option([], "--value", help="Value column to forecast (repeat to sum several); "
                                    "default: the first load-like numeric column, named in the notes."),
    series: str = typer.Option("", "--series", help="Prometheus/CloudWatch: the one series to keep "
                               "(default: all series summed, named in the notes)."),
    thorough: bool = typer.Option(False, "--thorough", help="Backtest the slow statsmodels models too."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary (model, backtest, peaks) as JSON."),
    out: Path | None = typer.Option(None, "--out", help="Write the forecast CSV (all scenarios) to this file."),
    lang: str = LangOption,
) -> None:
    """Backtest the models, forecast, and print the peak of the base forecast and of the scenario."""
    from workbench.forecast import ForecastOptions, ModelName, Scenario, forecast_load, parse_event
    from workbench.forecast.export import forecast_csv, summary
    from workbench.io import IngestOptions, read_load_file
    from workbench.io.texts import note_text

    code = lang_code(lang)
    with user_errors(lang):
        if not file.is_file():
            raise InputError("errors.forecast.file_not_found", path=str(file))
        ingest = read_load_file(file.read_bytes(), file.name, IngestOptions(
            freq=freq or None, value_columns=list(value) or None, prometheus_series=series or None))
        if model and model not in {m.value for m in ModelName}:
            raise InputError("errors.forecast.model_not_candidate", model=model)
        options = ForecastOptions(horizon=parse_duration(horizon), model=ModelName(model) if model else None,
                                  china_holidays=china_holidays, holiday_country=holidays or None,
                                  thorough=thorough)
        events = tuple(parse_event(e) for e in event)
        scenarios = (
            [Scenario(name="scenario", growth_pct_per_month=growth, events=events)] if (events or growth) else []
        )
        result = forecast_load(ingest.series, options, scenarios, series_name=str(ingest.series.name or file.stem))
        if out is not None:
            out.write_bytes(forecast_csv(result))
    if as_json:
        echo_json({**summary(result), "ingest_notes": [note_text(n, code) for n in ingest.report.notes]})
        return
    for note in ingest.report.notes:  # the same notes the page shows under "What was read"
        typer.echo(t("forecast.cli.note", code, text=note_text(note, code)))
    for key, params in result.notes:
        typer.echo(t("forecast.cli.note", code, text=t(key, code, **params)))
    for score in result.scores:
        if score.skipped:
            typer.echo(t("forecast.cli.skipped", code, model=t(f"forecast.model.{score.model.value}", code),
                         reason=t(score.skipped, code, **score.skipped_params)))
    typer.echo(t("forecast.cli.model", code, model=t(f"forecast.model.{result.model.value}", code)))
    for name, scen in result.scenarios.items():
        p = scen.peak.peak
        typer.echo(t("forecast.cli.peak", code, scenario=name, point=format_number(p.point, code),
                     time=scen.peak.peak_time.isoformat(timespec="minutes"),
                     p80=format_number(p.p80, code), p95=format_number(p.p95, code)))
    if out is not None:
        typer.echo(t("forecast.cli.written", code, path=str(out)))


def register(app: typer.Typer) -> None:
    """Add the ``forecast`` command."""
    app.command("forecast")(forecast_cmd)
