"""Erlang B used backwards: the fewest servers for a blocking target, and the largest load a count carries.

Advisors ask both questions of trunks, database connections, licences and pooled workers with no
waiting room: "how many for at most 1 % refused?" and "how much traffic do 40 of them carry at 1 %?".

Source: the Erlang B formula (Kleinrock, *Queueing Systems* Vol. 1, 1975, §3.7 eq. 3.46) as computed
by :func:`workbench.capacity.erlang.erlang_b`; B(c, A) decreases strictly in c and increases strictly
in A (Jagerman 1974, "Some properties of the Erlang loss function", Bell Syst. Tech. J. 53(3)), so
both inverses are unique: the server count by the recursion (small c) or doubling + bisection, the
load by Brent's method on log B.  Checked against the published Erlang B tables (e.g. 4.46 erlangs
on 10 circuits at 1 %, 84.06 erlangs on 100 circuits at 1 %).  Units: A in erlangs = λ·S.
"""

from __future__ import annotations

import math

from scipy.optimize import brentq

from workbench.capacity.erlang import erlang_b
from workbench.errors import InputError

MAX_SERVERS = 10_000_000


def _check_target(target: float) -> float:
    if isinstance(target, bool) or not isinstance(target, (int, float)) or not math.isfinite(target):
        raise InputError("errors.capacity.blocking_range", value=str(target))
    if not 0.0 < target < 1.0:
        raise InputError("errors.capacity.blocking_range", value=str(target))
    return float(target)


def servers_for_blocking(offered_load: float, target: float) -> int:
    """The fewest servers c with B(c, A) ≤ ``target`` (a fraction, e.g. 0.01 for 1 %).

    Small loads run the Erlang B recursion B(k) = A·B(k−1)/(k + A·B(k−1)) until it holds (one
    multiply-add per server); large loads double from ⌈A·(1 − target)⌉ and bisect (B is monotone).
    """
    target = _check_target(target)
    if not math.isfinite(offered_load) or offered_load <= 0.0:
        raise InputError("errors.capacity.load_not_positive", value=offered_load)
    if offered_load < 200.0:
        b, k = 1.0, 0
        while b > target:
            k += 1
            b = offered_load * b / (k + offered_load * b)
        return max(k, 1)
    lo = max(0, math.floor(offered_load * (1.0 - target)) - 1)  # B(c) ≥ 1 − c/A, so fewer cannot do
    if lo > 0 and erlang_b(lo, offered_load) <= target:
        lo = 0
    step = max(1, int(math.sqrt(offered_load)))
    hi = lo + step
    while erlang_b(hi, offered_load) > target:
        lo, step = hi, step * 2
        hi = lo + step
        if hi > MAX_SERVERS:
            raise InputError("errors.capacity.too_many_servers", limit=MAX_SERVERS)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if erlang_b(mid, offered_load) <= target:
            hi = mid
        else:
            lo = mid
    return hi


def load_for_blocking(servers: int, target: float) -> float:
    """The largest offered load A (erlangs) that ``servers`` carry with B(c, A) ≤ ``target``.

    Solved by Brent's method on ln B(c, A) − ln target over A ∈ (0, A_hi], A_hi = c/(1 − target)
    (beyond it B > target, since B(c, A) ≥ 1 − c/A).  Relative tolerance 1e-13.
    """
    target = _check_target(target)
    if isinstance(servers, bool) or not isinstance(servers, int) or servers < 1:
        raise InputError("errors.capacity.servers_not_positive", value=servers)
    if servers > MAX_SERVERS:
        raise InputError("errors.capacity.too_many_servers", limit=MAX_SERVERS)
    log_t = math.log(target)
    hi = servers / (1.0 - target) + 1.0
    # B(c, A) ≤ A^c/c!, so at A_lo = (target·c!)^{1/c} the blocking is at most the target
    lo = min(math.exp((log_t + math.lgamma(servers + 1.0)) / servers), hi) * (1.0 - 1e-12)
    # below ~1e-300 B underflows; clamping keeps the sign (B < target there) and the root is unaffected
    return float(brentq(lambda a: math.log(max(erlang_b(servers, a), 1e-300)) - log_t, lo, hi, xtol=1e-300, rtol=1e-13))
