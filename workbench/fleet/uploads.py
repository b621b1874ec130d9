"""In-memory fleets (a page upload or the bundled sample) staged as a folder the radar can read.

An upload is size-limited (count and total bytes) before anything is written; file names are reduced
to their base name so an upload can never write outside the staging folder.
"""

from __future__ import annotations

import io
from pathlib import Path, PurePath

from workbench.errors import InputError
from workbench.fleet.sample import make_fleet

MAX_UPLOAD_FILES = 500
MAX_UPLOAD_MB = 100


def check_upload(files: dict[str, bytes]) -> None:
    """Refuse an upload over :data:`MAX_UPLOAD_FILES` files or :data:`MAX_UPLOAD_MB` MB in total."""
    if len(files) > MAX_UPLOAD_FILES:
        raise InputError("errors.fleet.too_many_files", count=len(files), limit=MAX_UPLOAD_FILES)
    total = sum(len(b) for b in files.values())
    if total > MAX_UPLOAD_MB * 1024 * 1024:
        raise InputError("errors.fleet.too_large", mb=round(total / 1024 / 1024, 1), limit=MAX_UPLOAD_MB)


def stage(files: dict[str, bytes], folder: Path) -> Path:
    """Write ``files`` (name → bytes) into ``folder`` under their base names; returns ``folder``."""
    check_upload(files)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        base = PurePath(name.replace("\\", "/")).name
        if not base or base.startswith("."):
            raise InputError("errors.fleet.bad_file_name", name=name[:80])
        (folder / base).write_bytes(data)
    return folder


def sample_files(services: int = 8, days: int = 21, seed: int = 7) -> tuple[dict[str, bytes], bytes]:
    """The sample fleet in memory: ({service.csv: bytes}, capacity CSV bytes), with one broken service."""
    histories, capacity = make_fleet(services, days, seed)
    files: dict[str, bytes] = {}
    for name, s in histories.items():
        buf = io.StringIO()
        buf.write("time,qps\n")
        for ts, v in zip(s.index.strftime("%Y-%m-%dT%H:%M:%S%z"), s.round(3).to_numpy(), strict=True):
            buf.write(f"{ts},{v}\n")
        files[f"{name}.csv"] = buf.getvalue().encode("utf-8")
    files["svc-broken.csv"] = b"time,qps\nnot a time,abc\nyesterday,-\n"
    cap = capacity.drop(columns=["seeded_over"])
    cap.loc[len(cap)] = {"service": "svc-broken", "instances": 2, "per_instance_rps": 100.0,
                         "workshop": "customer-0", "tier": "api"}
    return files, cap.to_csv(index=False).encode("utf-8")
