"""Input checks in the user's units and words, shared by the page and the CLI.

A number a user typed is checked *before* any conversion, so a message says "Mean service time (ms)
must be greater than zero (got -1 ms)", never "service_time must be greater than zero (got -0.001)".
Limits are plausibility limits: far beyond any real system, but small enough that every model stays
finite (no overflow, no traceback, no number printed digit by digit).
"""

from __future__ import annotations

import math
from typing import Any

from workbench.errors import InputError

# Plausibility limits: beyond these a value is a typo or a unit mistake, and the maths would overflow.
MAX_RATE = 1e9  # requests per second (a billion)
MAX_TIME_MS = 1e10  # milliseconds (about 116 days)
MAX_SERVERS = 10_000_000
MAX_USERS = 100_000
MAX_CV = 10.0
MAX_PRICE = 1e9
MAX_LOAD = 1e7  # erlangs: needs more than MAX_SERVERS servers
# Floors for strictly positive rates and times: below these a value is a typo or a unit mistake, and a
# product such as λ·S (or ms → s) would underflow to zero and reach the models as "0".
MIN_RATE = 1e-9  # requests per second (one request in about 32 years)
MIN_TIME_MS = 1e-6  # milliseconds (a nanosecond)


def show(value: Any) -> str:
    """A user's number as they would recognise it: 120, 0.5, 1.1e+25, NaN, inf (never 25 digits)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)[:40]
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, float) and math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if isinstance(value, int) or float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.6g}"


class FieldError(InputError):
    """An input error about one field; ``field`` is an i18n key, translated with the message."""

    def translate(self, lang: str) -> str:
        from workbench.i18n import t

        params = dict(self.params)
        params["field"] = t(str(params.get("field", "")), lang)
        return t(self.key, lang, **params)


def number(
    value: Any,
    field: str,
    *,
    unit: str = "",
    minimum: float | None = 0.0,
    maximum: float | None = None,
    allow_min: bool = False,
    integer: bool = False,
    smallest: float | None = None,
) -> float:
    """``value`` if it is a finite number in range, else a :class:`FieldError` naming field and unit.

    ``field`` is the i18n key of the field's label (e.g. ``capacity.queue.service_ms``); ``unit`` is
    appended to numbers in the message (" ms", " req/s").  ``minimum`` is exclusive unless ``allow_min``.
    ``smallest`` is a plausibility floor for positive values (0 itself is judged by ``minimum``).
    """
    u = f" {unit}" if unit else ""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise FieldError("errors.capacity.field_not_number", field=field, value=show(value))
    if integer and (not float(value).is_integer() if math.isfinite(value) else False):
        raise FieldError("errors.capacity.field_not_whole", field=field, value=show(value))
    if minimum is not None and (value < minimum or (value == minimum and not allow_min)):
        key = "errors.capacity.field_not_positive" if minimum == 0 and not allow_min else (
            "errors.capacity.field_negative" if minimum == 0 else "errors.capacity.field_too_small")
        raise FieldError(key, field=field, value=show(value), unit=u, minimum=show(minimum))
    if maximum is not None and value > maximum:
        raise FieldError("errors.capacity.field_too_large", field=field, value=show(value), unit=u,
                         maximum=show(maximum))
    if not math.isfinite(value):
        raise FieldError("errors.capacity.field_too_large", field=field, value=show(value), unit=u,
                         maximum=show(maximum if maximum is not None else 1e300))
    if smallest is not None and 0.0 < value < smallest:
        raise FieldError("errors.capacity.field_implausibly_small", field=field, value=show(value), unit=u,
                         smallest=show(smallest))
    return float(value)


def whole(value: Any, field: str, *, minimum: int = 1, maximum: int) -> int:
    """A whole number in [minimum, maximum] (no silent clamping: −5 workers is refused, not made 1)."""
    v = number(value, field, minimum=minimum, allow_min=True, maximum=maximum, integer=True)
    return int(v)


def fraction(value: Any, field: str, *, percent: bool = False, allow_zero: bool = False) -> float:
    """A share strictly between 0 and 1 (or 0 and 100 % when ``percent``), returned as a fraction."""
    top = 100.0 if percent else 1.0
    u = "%" if percent else ""
    v = number(value, field, unit=u, minimum=0.0, allow_min=allow_zero, maximum=top)
    if v >= top:
        raise FieldError("errors.capacity.field_below", field=field, value=show(v), unit=f" {u}" if u else "",
                         maximum=show(top))
    return v / top if percent else v


def offered_load(rate_rps: float, service_s: float) -> float:
    """A = λ·S, refused when it needs more servers than can be modelled — naming the load as the cause."""
    a = rate_rps * service_s
    if not math.isfinite(a) or a > MAX_LOAD:
        raise InputError("errors.capacity.load_too_large", rate=show(rate_rps), service_ms=show(service_s * 1e3),
                         load=show(a), limit=show(MAX_SERVERS))
    return a
