"""Gather the files of an import: single files, folders and zip archives, within bounds.

What and why
    Kubernetes manifests arrive as a folder (CLI) or a zip of one (browser upload).  A zip is untrusted: an
    entry named ``../../etc/passwd`` or ``/abs/path`` ("Zip Slip", CWE-22) is refused, and so is an archive
    that expands beyond the import size limit or holds too many files (zip bomb, CWE-409).  Nothing is ever
    extracted to disk: entries are read into memory, bounded.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path

from workbench.architecture.importers.base import (
    MAX_FILES,
    ImportRefused,
    SourceFile,
    max_import_bytes,
    max_import_mb,
)

_SKIP_SUFFIXES = (".md", ".txt", ".png", ".jpg", ".svg", ".tpl", ".lock")


def _limit_mb() -> str:
    return f"{max_import_mb():g}"


def _check_total(total: int, what: str) -> None:
    if total > max_import_bytes():
        raise ImportRefused("errors.architecture_import.too_large", file=what, size_mb=f"{total / 1048576:.3g}",
                            limit_mb=_limit_mb())


def unzip(name: str, data: bytes) -> list[SourceFile]:
    """The files of a zip archive, refusing paths outside its folder and archives that expand too far."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportRefused("errors.architecture_import.bad_zip", file=name) from None
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_FILES:
            raise ImportRefused("errors.architecture_import.too_many_files", file=name, count=len(infos),
                                limit=MAX_FILES)
        for info in infos:
            clean = posixpath.normpath(info.filename.replace("\\", "/"))
            if info.filename.startswith(("/", "\\")) or clean.startswith("..") or ":" in clean.split("/")[0]:
                raise ImportRefused("errors.architecture_import.zip_path_outside", file=name,
                                    entry=info.filename[:200])
        _check_total(sum(i.file_size for i in infos), name)
        out: list[SourceFile] = []
        budget = max_import_bytes()
        for info in sorted(infos, key=lambda i: i.filename):
            if info.filename.lower().endswith(_SKIP_SUFFIXES) or "/." in "/" + info.filename:
                continue
            with archive.open(info) as fh:  # read at most the budget: a lying header cannot blow memory
                body = fh.read(budget + 1)
            budget -= len(body)
            if budget < 0:
                _check_total(max_import_bytes() + 1, name)
            out.append(SourceFile(name=f"{name}/{info.filename}", data=body))
    return out


def expand(files: list[SourceFile]) -> list[SourceFile]:
    """Zip archives replaced by their entries; the total size checked against the import limit."""
    out: list[SourceFile] = []
    for f in files:
        if f.data[:4] == b"PK\x03\x04" or f.name.lower().endswith(".zip"):
            out.extend(unzip(f.name, f.data))
        else:
            out.append(f)
    _check_total(sum(len(f.data) for f in out), ", ".join(f.name for f in files)[:200])
    if len(out) > MAX_FILES:
        raise ImportRefused("errors.architecture_import.too_many_files", file=files[0].name if files else "-",
                            count=len(out), limit=MAX_FILES)
    return out


def read_paths(paths: list[Path]) -> list[SourceFile]:
    """Files and folders (recursively: ``*.yaml``, ``*.yml``, ``*.json``, ``*.drawio``, ``*.xml``) as sources."""
    out: list[SourceFile] = []
    total = 0
    for path in paths:
        if path.is_dir():
            members = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in
                             (".yaml", ".yml", ".json", ".drawio", ".xml", ".zip")
                             and not any(part.startswith(".") for part in p.relative_to(path).parts))
            names = [(p, f"{path.name}/{p.relative_to(path).as_posix()}") for p in members]
        else:
            names = [(path, path.name)]
        for p, name in names:
            try:
                size = p.stat().st_size
                total += size
                _check_total(total, name)
                out.append(SourceFile(name=name, data=p.read_bytes()))
            except OSError as exc:
                raise ImportRefused("errors.architecture_import.unreadable", file=str(p),
                                    reason=exc.strerror or type(exc).__name__) from None
            if len(out) > MAX_FILES:
                raise ImportRefused("errors.architecture_import.too_many_files", file=str(path), count=len(out),
                                    limit=MAX_FILES)
    return expand(out)
