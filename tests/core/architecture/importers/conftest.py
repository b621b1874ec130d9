"""Fixtures for importer tests: the sample sources in sample_data/imports and their generators."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT
from workbench.architecture.importers import ImportResult, import_sources, read_paths

IMPORTS = ROOT / "sample_data" / "imports"


@pytest.fixture
def imports_dir() -> Path:
    return IMPORTS


@pytest.fixture(scope="session")
def generator() -> Callable[[str], ModuleType]:
    """``sample_data/imports/<name>.py`` as a module (the fixture writers double as builders)."""

    def load(name: str) -> ModuleType:
        spec = importlib.util.spec_from_file_location(f"_fixture_{name}", IMPORTS / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


@pytest.fixture
def run() -> Callable[..., ImportResult]:
    """Import files/folders given relative to sample_data/imports."""

    def _run(*relative: str, **kwargs: object) -> ImportResult:
        return import_sources(read_paths([IMPORTS / r for r in relative]), **kwargs)  # type: ignore[arg-type]

    return _run
