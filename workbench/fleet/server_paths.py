"""Server-side fleet paths: the Fleet page may read a dataset already on the server, only when allowed.

Off by default: a web page that opens any path the user types would let anyone read the server's
files.  The operator turns it on by setting ``WORKBENCH_FLEET_SERVER_ROOT`` to a folder; the page then
offers a path input, and only paths that resolve *inside* that folder (after ``..`` and symbolic
links are resolved) are accepted.  Without the setting the page offers the size-limited upload only.
"""

from __future__ import annotations

import os
from pathlib import Path

from workbench.errors import InputError

ROOT_ENV = "WORKBENCH_FLEET_SERVER_ROOT"


def server_root() -> Path | None:
    """The folder server paths must lie in, or None when server paths are not allowed (the default)."""
    raw = os.environ.get(ROOT_ENV, "").strip()
    if not raw:
        return None
    root = Path(raw).expanduser().resolve()
    return root if root.is_dir() else None


def resolve_server_path(text: str, root: Path | None = None) -> Path:
    """``text`` (absolute, or relative to the root) as an existing path inside the allowed root.

    Raises :class:`InputError` when server paths are off, the path leaves the root, or it does not exist.
    """
    root = root if root is not None else server_root()
    if root is None:
        raise InputError("errors.fleet.server_paths_off", setting=ROOT_ENV)
    raw = text.strip()
    if not raw or "\x00" in raw:
        raise InputError("errors.fleet.server_path_outside", path=raw[:200], root=str(root))
    candidate = Path(raw).expanduser()
    path = (candidate if candidate.is_absolute() else root / candidate).resolve()
    if path != root and root not in path.parents:
        raise InputError("errors.fleet.server_path_outside", path=raw[:200], root=str(root))
    if not path.exists():
        raise InputError("errors.fleet.not_found", path=raw[:200])
    return path
