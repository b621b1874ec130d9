"""Build the optional C twin of the staffing hot path in place (workbench/capacity/_native*.so).

Run by ``make run`` / ``make test``.  Never fails the caller: without a C compiler or Python's headers it
says so in one line and the pure-Python twin (the same answers, ~10× slower per call) is used.
Compiled with -ffp-contract=off so that no fused multiply-add changes a rounding against the Python twin.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    try:
        from setuptools import Distribution, Extension
    except ImportError:
        print("native staffing path not built (setuptools missing); the Python twin is used")
        return 0
    ext = Extension(
        "workbench.capacity._native",
        sources=[str(Path("workbench") / "capacity" / "_native.c")],
        extra_compile_args=["-O2", "-ffp-contract=off"] if sys.platform != "win32" else ["/fp:strict"],
    )
    try:
        with tempfile.TemporaryDirectory(prefix="workbench-native-") as tmp:
            args = ["-q", "build_ext", "--inplace", "--build-temp", tmp, "--build-lib", tmp]
            dist = Distribution({"name": "workbench-native", "ext_modules": [ext], "script_args": args})
            dist.parse_command_line()
            dist.run_commands()
    except BaseException as exc:  # a missing compiler surfaces as SystemExit or CompileError: never fatal
        print(f"native staffing path not built ({type(exc).__name__}: {exc}); the Python twin is used")
        return 0
    print("native staffing path built")
    return 0


if __name__ == "__main__":
    import os

    os.chdir(ROOT)
    raise SystemExit(main())
