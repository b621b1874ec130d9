"""Shared pieces of the fuzz suite: a hang guard, mutation strategies and the message-key check.

The suite is bounded and reproducible: every test uses ``FUZZ`` settings (few examples, no per-example
deadline, ``derandomize=True`` so CI sees the same inputs on every run).  Speed is not asserted; the only
time limit is :func:`no_hang`, a generous alarm that fails a call which does not return at all.
"""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from workbench.i18n import catalogue

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_data"
ARCHITECTURES = sorted((SAMPLES / "architectures").glob("*.yaml"))
DEMO_WORKSHOP = SAMPLES / "demo_workshop.en.json"
HANG_SECONDS = 10

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


class Hang(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` under test can swallow it."""


@contextmanager
def no_hang(cpu_seconds: float = HANG_SECONDS, wall_seconds: float = 12 * HANG_SECONDS) -> Iterator[None]:
    """Fail a call that has not returned after ``cpu_seconds`` of CPU (a busy machine does not count) or
    ``wall_seconds`` of wall-clock time (a call stuck waiting).  Both bounds are generous: a hang, not slowness."""

    def _alarm(signum: int, _frame: FrameType | None) -> None:
        raise Hang(f"no answer within {cpu_seconds} s of CPU or {wall_seconds} s (signal {signum})")

    previous = {sig: signal.signal(sig, _alarm) for sig in (signal.SIGPROF, signal.SIGALRM)}
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, wall_seconds)  # pytest-timeout's own alarm, if any
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if outer > 0:  # give the outer alarm back what is left of it
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))


def assert_key_in_both_catalogues(key: str) -> None:
    for lang in ("en", "zh-CN"):
        assert key in catalogue(lang), f"{key} missing in {lang}"


# --- mutations ----------------------------------------------------------------------------------------

BINARY_HEADERS = [
    b"PAR1", b"PK\x03\x04", b"\x1f\x8b\x08", b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\x80\x04\x95", b"SQLite format 3\x00", b"\xff\xfe", b"\xef\xbb\xbf",
]
HOSTILE_SNIPPETS = [
    b"9" * 5000, b"-" + b"1" * 4400, b"1e99999", b"NaN", b"Infinity", b".inf", b"-.nan", b"0x" + b"f" * 300,
    b"[" * 3000, b"{" * 3000, b"]" * 50, b"\t", b"\x00", b"\"\\u0000\"", b"\xc3\x28", b"\xed\xa0\x80",
    b"&a [*a]", b"*missing", b"!!python/object/apply:os.system ['true']", b"---\n", b"\r", "\u202e".encode(),
    b"x-ext: &x {a: 1}", b"<<: *x", b"description: \xe8\xaf\xb4\xe6\x98\x8e", b"id: \"db\\u200b\"", b"replicas: 0",
    b'"' * 7, b"''", b"? ", b": ", b"- ", b"%YAML 1.1\n", b"\xe2\x80\x8b",
]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A seed document with 1-4 byte-level mutations: flip, insert junk or a hostile snippet, cut, repeat."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "insert", "snippet", "cut", "repeat", "header", "truncate"]))
        pos = draw(st.integers(0, len(data)))
        if op == "flip" and data:
            i = min(pos, len(data) - 1)
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "snippet":
            data[pos:pos] = draw(st.sampled_from(HOSTILE_SNIPPETS))
        elif op == "cut":
            del data[pos : pos + draw(st.integers(1, 64))]
        elif op == "repeat":
            chunk = bytes(data[pos : pos + draw(st.integers(1, 64))])
            data[pos:pos] = chunk * draw(st.integers(1, 50))
        elif op == "header":
            data[0:0] = draw(st.sampled_from(BINARY_HEADERS))
        else:
            del data[pos:]
    return bytes(data)


HOSTILE_VALUES: list[Any] = [
    10**5000, -(10**4400), float("nan"), float("inf"), "", " ", "\x00", "db\u200b", "DB ", "\u202egnp.exe",
    "x" * 100_000, [], {}, None, True, -1, 0, 2**63, 1e308, "1e99999", [[[[[[[[]]]]]]]],
]


def deep(levels: int) -> Any:
    value: Any = "bottom"
    for i in range(levels):
        value = [value] if i % 2 else {"k": value}
    return value


@st.composite
def structurally_mutated(draw: st.DrawFn, document: Any) -> Any:
    """``document`` (parsed JSON) with 1-3 nodes replaced by hostile values, deep nesting, or removed."""
    doc = json.loads(json.dumps(document))
    for _ in range(draw(st.integers(1, 3))):
        parent, key = _pick_node(draw, doc)
        if parent is None:
            continue
        op = draw(st.sampled_from(["hostile", "deep", "delete", "wrong_type", "duplicate"]))
        if op == "hostile":
            parent[key] = draw(st.sampled_from(HOSTILE_VALUES))
        elif op == "deep":
            parent[key] = deep(draw(st.sampled_from([60, 300, 2000])))
        elif op == "delete":
            del parent[key]
        elif op == "wrong_type":
            parent[key] = draw(st.sampled_from(["text", 1, 1.5, [1], {"a": 1}, None, False]))
        elif isinstance(parent, list):
            parent.append(parent[key])
        else:
            parent[f"x-{key}"] = parent[key]
    return doc


def _pick_node(draw: st.DrawFn, doc: Any) -> tuple[Any, Any]:
    """A random (container, key) along a random path from the root."""
    parent: Any = None
    key: Any = None
    node = doc
    for _ in range(draw(st.integers(1, 6))):
        if isinstance(node, dict) and node:
            k = draw(st.sampled_from(sorted(node)))
        elif isinstance(node, list) and node:
            k = draw(st.integers(0, len(node) - 1))
        else:
            break
        parent, key, node = node, k, node[k]
    return parent, key


def dumps_loose(doc: Any) -> bytes:
    """JSON text of ``doc`` even with NaN and huge integers (as a careless exporter would write it)."""
    import sys

    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return json.dumps(doc, ensure_ascii=False, allow_nan=True).encode("utf-8", errors="surrogatepass")
    except RecursionError:
        return b"[" * 5000
    finally:
        sys.set_int_max_str_digits(limit)
