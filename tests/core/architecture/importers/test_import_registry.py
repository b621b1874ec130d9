"""The registry: kinds recognised, sources merged, zips bounded, size limit named, CLI, every message translated."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from workbench.architecture.importers import (
    ImportRefused,
    SourceFile,
    import_sources,
    kind_of,
    max_import_bytes,
    read_paths,
)
from workbench.architecture.importers.base import spread
from workbench.architecture.loader import load_architecture
from workbench.cli.main import app
from workbench.i18n import catalogue

FIXTURES = ["terraform/tencentcloud_plan.json", "terraform/aws_state.json", "kubernetes/shop",
            "drawio/aws_three_tier.drawio", "drawio/tencent_shop.drawio"]


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("fixture", FIXTURES)
def test_every_report_entry_is_translated_in_both_languages(run, fixture: str) -> None:
    r = run(fixture)
    for e in r.report.entries:
        for lang in ("en", "zh-CN"):
            assert e.key in catalogue(lang), e.key
            assert "{" not in e.text(lang), (e.key, e.text(lang))


@pytest.mark.parametrize("fixture", FIXTURES)
def test_exported_import_reimports_to_the_same_model(run, fixture: str, tmp_path: Path) -> None:
    first = run(fixture).architecture
    out = tmp_path / "architecture.yaml"
    result = CliRunner().invoke(app, ["import", str(Path("sample_data/imports") / fixture), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    again = import_sources(read_paths([out])).architecture
    assert again == first == load_architecture(out.read_text(encoding="utf-8"))


def test_kinds_are_recognised_by_content(imports_dir: Path) -> None:
    assert [kind_of(f) for f in read_paths([imports_dir / p for p in FIXTURES])] == [
        "terraform", "terraform", "kubernetes", "kubernetes", "kubernetes", "drawio", "drawio"]
    with pytest.raises(ImportRefused) as err:
        kind_of(SourceFile("notes.txt", b"# shop\nweb talks to db\n"))
    assert err.value.params["found"] == "web talks to db"


def test_sources_of_several_kinds_merge(run) -> None:
    r = run("terraform/aws_state.json", "kubernetes/shop")
    assert r.report.sources == ["terraform", "kubernetes"]
    ids = r.architecture.components_by_id
    assert "aws_lb.web" in ids and "shop.web" in ids
    assert {g.id for g in r.architecture.regions} == {"us-east-1", "ap-guangzhou"}


def test_zip_of_manifests_and_zip_slip(imports_dir: Path) -> None:
    files = {p.name: p.read_bytes() for p in (imports_dir / "kubernetes/shop").glob("*.yaml")}
    r = import_sources([SourceFile("shop.zip", _zip(files))])
    assert {e.file for e in r.report.entries} == {f"shop.zip/{n}" for n in files}
    for bad in ("../evil.yaml", "/etc/evil.yaml", "a/../../evil.yaml"):
        with pytest.raises(ImportRefused) as err:
            import_sources([SourceFile("shop.zip", _zip({**files, bad: b"apiVersion: v1"}))])
        assert err.value.key == "errors.architecture_import.zip_path_outside" and err.value.params["entry"] == bad


def test_size_limit_names_the_limit_and_the_variable(monkeypatch: pytest.MonkeyPatch, imports_dir: Path) -> None:
    monkeypatch.setenv("WORKBENCH_MAX_IMPORT_MB", "0.002")  # 2 KB
    assert max_import_bytes() == int(0.002 * 1024 * 1024)
    with pytest.raises(ImportRefused) as err:
        read_paths([imports_dir / "terraform/tencentcloud_plan.json"])
    assert err.value.key == "errors.architecture_import.too_large"
    assert "WORKBENCH_MAX_IMPORT_MB" in err.value.translate("en") and err.value.params["limit_mb"] == "0.002"
    bomb = _zip({"big.yaml": b"apiVersion: v1\n" + b"#" * 10_000})  # compresses to far less than 2 KB
    with pytest.raises(ImportRefused) as zerr:
        import_sources([SourceFile("bomb.zip", bomb)])
    assert zerr.value.key == "errors.architecture_import.too_large"


def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "architecture.yaml"
    result = CliRunner().invoke(app, ["import", "sample_data/imports/helm/shop/templates/deployment.yaml",
                                      "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 2 and not out.exists()
    assert "helm template" in result.output and "第 4 行" in result.output


def test_cli_prints_the_report_and_types_shapes(tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["import", "sample_data/imports/drawio/tencent_shop.drawio", "-o", str(out),
                                      "--type", "风控系统=compute"])
    assert result.exit_code == 0, result.output
    assert "[Recognised] tencent_shop.drawio 电商架构#risk" in result.output
    assert any(c.name == "风控系统" for c in load_architecture(out.read_text(), filename="a.json").components)


@pytest.mark.parametrize(("azs", "replicas"), [(["a"], 1), (["a", "b"], 5), (["a", "b", "c"], 2), (["a", "a"], 3)])
def test_spread_conserves_replicas_and_balances(azs: list[str], replicas: int) -> None:
    placement = spread(azs, replicas)
    counts = [p.count for p in placement]
    assert sum(counts) == replicas and max(counts) - min(counts) <= 1
    assert len(placement) == min(len(set(azs)), replicas)
