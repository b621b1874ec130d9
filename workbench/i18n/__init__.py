"""Bilingual texts (zh-CN and English) from data files, and number/date formatting per language.

Catalogues live in ``locales/<lang>/<domain>.yaml``; nested keys are flattened with dots, so
``forecast.yaml`` holding ``forecast: {title: ...}`` gives the key ``forecast.title``.  Each
engine owns its own domain file, so teams never edit the same catalogue.  ``t(key, lang, **params)``
formats ``{name}`` placeholders; a missing key falls back to English, then to the key itself
(and the catalogue test fails on it).

Plural forms: ``{count|server|servers}`` is ``server`` when the parameter ``count`` is exactly one and
``servers`` otherwise (English has these two forms, CLDR plural rules "one"/"other"; a fraction such as 1.5 or
"1.0" is "other").  It prints no number: write ``{count} {count|server|servers}``.  Chinese has no plural
inflection (CLDR: zh has only "other"), so the zh-CN catalogue simply does not use it.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import string
from pathlib import Path
from typing import Any

import yaml

LANGUAGES: tuple[str, ...] = ("zh-CN", "en")
DEFAULT_LANGUAGE = "en"
_LOCALES = Path(__file__).with_name("locales")


def normalise_language(lang: str | None) -> str:
    """Map a browser locale or user choice ('zh', 'zh_CN', 'zh-Hans-CN', 'en-US', None) to a catalogue."""
    if not lang:
        return DEFAULT_LANGUAGE
    low = lang.strip().lower().replace("_", "-")
    if low.startswith("zh"):
        return "zh-CN"
    return "en"


def _flatten(prefix: str, node: Any, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    else:
        out[prefix] = str(node)


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """All keys of one language, flattened (cached: catalogues are read once per process)."""
    lang = normalise_language(lang)
    out: dict[str, str] = {}
    for path in sorted((_LOCALES / lang).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        _flatten("", data, out)
    return out


class _SafeDict(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_PLURAL = re.compile(r"\{(\w+)\|([^{}|]*)\|([^{}|]*)\}")
"""``{name|one|other}``: the form for exactly one, and for any other count."""


def is_one(value: Any) -> bool:
    """True when ``value`` is the count one (CLDR English "one": the integer 1 with no visible fraction)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value == 1
    if isinstance(value, float):
        return value == 1.0
    return isinstance(value, str) and value.strip() == "1"


def plural(text: str, params: dict[str, Any]) -> str:
    """``text`` with each ``{name|one|other}`` replaced by the form ``params[name]`` calls for (see module doc);
    a marker whose parameter is not given takes the "other" form."""
    return _PLURAL.sub(lambda m: m[2] if is_one(params.get(m[1])) else m[3], text)


def placeholders(text: str) -> set[str]:
    """The parameter names ``text`` uses, a plural marker counting as its parameter's name."""
    return {name for _, name, _, _ in string.Formatter().parse(_PLURAL.sub(r"{\1}", text)) if name}


def t(key: str, lang: str | None = None, /, **params: Any) -> str:
    """The text for ``key`` in ``lang`` with ``{placeholders}`` filled from ``params`` and plural markers
    ``{count|one|other}`` resolved from the count's value."""
    lang = normalise_language(lang)
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    text = plural(text, params) if "|" in text else text
    if not params:
        return text
    formatted = {k: (format_number(v, lang) if isinstance(v, float) else v) for k, v in params.items()}
    return string.Formatter().vformat(text, (), _SafeDict(formatted))


def t_or(key: str, fallback: str, lang: str | None = None) -> str:
    """The text for ``key``, or ``fallback`` when no catalogue has it (names that may be unknown, e.g. a model)."""
    lang = normalise_language(lang)
    return catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or fallback


def format_number(value: float | None, lang: str | None = None, digits: int | None = None) -> str:
    """A number for display: thousands separators, a sensible number of digits, '—' for None/NaN,
    and 4 significant digits in e-notation from 10¹⁵ on (never a number printed digit by digit).

    Both zh-CN and en group by thousands with ',' and use '.' as decimal mark (GB/T 15835 usage in
    technical texts); large values in zh-CN get 万/亿 only through :func:`format_compact`.
    """
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return "—" if value is None or math.isnan(value) else ("∞" if value > 0 else "-∞")
    if isinstance(value, int) and digits is None:
        return f"{value:,}"
    if abs(value) >= 1e15:  # beyond this, grouped digits are noise (and 1e300 would print 300 of them)
        return f"{value:.4g}"
    if digits is None:
        mag = abs(value)
        if 0 < mag < 1:  # three significant digits (0.5, 0.0123), more where 3 would round up to "1"
            text = f"{value:.3g}"
            for more in (4, 5, 6):
                if abs(float(text)) < 1:
                    break
                text = f"{value:.{more}g}"
            return text
        digits = 0 if mag >= 1000 else 1 if mag >= 100 else 2 if mag >= 1 or mag == 0 else 4
    return f"{value:,.{digits}f}"


def format_percent(share: float | None, lang: str | None = None, digits: int = 1) -> str:
    """A share (0..1) as a percentage number with ``digits`` decimals, more where rounding would show a share
    below 1 as "100.0" (a 99.98 % utilised system is not full) or one above 0 as "0.0"."""
    if share is None or math.isnan(share):
        return format_number(share, lang)
    pct = share * 100
    for more in range(digits, digits + 4):
        text = format_number(pct, lang, more)
        if (share >= 1 or float(text.replace(",", "")) < 100) and (share <= 0 or float(text.replace(",", "")) > 0):
            return text
    return text


def format_compact(value: float, lang: str | None = None) -> str:
    """A short form for headlines: 12.3K / 4.5M in English, 1.2万 / 3.4亿 in Chinese."""
    lang = normalise_language(lang)
    mag = abs(value)
    if lang == "zh-CN":
        for div, unit in ((1e8, "亿"), (1e4, "万")):
            if mag >= div:
                return f"{value / div:.1f}{unit}"
        return format_number(value, lang)
    for div, unit in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if mag >= div:
            return f"{value / div:.1f}{unit}"
    return format_number(value, lang)


def format_date(value: dt.date | dt.datetime, lang: str | None = None, with_time: bool = False) -> str:
    """A date as the language writes it: '2026年11月25日' or '25 Nov 2026' (with ' 14:05' on request)."""
    lang = normalise_language(lang)
    text = f"{value.year}年{value.month}月{value.day}日" if lang == "zh-CN" else value.strftime("%d %b %Y").lstrip("0")
    if with_time and isinstance(value, dt.datetime):
        text += value.strftime(" %H:%M")
    return text
