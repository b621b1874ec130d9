"""draw.io import: library styles, containers as regions/AZs, edges, compressed = plain, unknown shapes, refusals."""

from __future__ import annotations

import re

import pytest

from workbench.architecture.importers import EntryKind, ImportRefused, SourceFile, import_sources
from workbench.architecture.importers.drawio import _inflate
from workbench.architecture.loader import dump_architecture, load_architecture


def _links(r) -> set[tuple[str, str, str]]:
    return {(lk.source, lk.target, lk.mode.value) for lk in r.architecture.links}


def test_aws_compressed_diagram(run) -> None:
    r = run("drawio/aws_three_tier.drawio")
    comps = r.architecture.components_by_id
    assert [(g.id, [a.id for a in g.azs]) for g in r.architecture.regions] == [
        ("us-east-1", ["us-east-1a", "us-east-1b"])]
    assert (comps["web-server"].type, comps["web-server"].azs) == ("compute", ["us-east-1a", "us-east-1b"])
    assert comps["orders-db"].type == "relational_db" and comps["orders-db"].ha_mode.value == "multi_az"
    assert comps["application-load-balancer"].placement[0].region == "us-east-1"  # in the VPC, not in an AZ
    assert comps["cloudfront"].placement == []  # a CDN outside any region is global
    assert _links(r) == {("cloudfront", "application-load-balancer", "sync"),
                         ("application-load-balancer", "web-server", "sync"), ("web-server", "orders-db", "sync"),
                         ("web-server", "assets", "async")}
    unknown = r.report.of_kind(EntryKind.UNKNOWN)
    assert [(e.address, e.params["label"]) for e in unknown] == [("Three tier#legacy", "Legacy billing")]
    assert load_architecture(dump_architecture(r.architecture)) == r.architecture


def test_compressed_and_plain_give_the_same_model(imports_dir) -> None:
    raw = (imports_dir / "drawio/aws_three_tier.drawio").read_text()
    body = re.search(r"<diagram[^>]*>(.*)</diagram>", raw, re.DOTALL)
    assert body is not None
    plain = raw.replace(body.group(1), _inflate("x", body.group(1)))
    a = import_sources([SourceFile("a.drawio", raw.encode())]).architecture
    b = import_sources([SourceFile("a.drawio", plain.encode())]).architecture
    assert a == b


def test_tencent_icons_and_chinese_labels(run) -> None:
    r = run("drawio/tencent_shop.drawio")
    comps = r.architecture.components_by_id
    assert {c.id: c.product for c in comps.values()} == {
        "clb": "clb", "cvm": "cvm", "mysql": "tencentdb_mysql", "redis": "redis", "ckafka": "ckafka", "cdn": "cdn"}
    assert comps["mysql"].azs == ["ap-guangzhou-3", "ap-guangzhou-4"]
    assert ("cvm", "ckafka", "async") in _links(r)
    entry = next(e for e in r.report.entries if e.key.endswith("shape_image") and e.component == "cvm")
    assert "云服务器" in entry.text("zh-CN") and "Compute" in entry.text("en")  # type shown by its name
    assert [e.params["label"] for e in r.report.of_kind(EntryKind.UNKNOWN)] == ["风控系统"]


def test_user_types_unknown_shapes(run) -> None:
    r = run("drawio/tencent_shop.drawio", types={"风控系统": "compute"})
    risk = [c for c in r.architecture.components if c.name == "风控系统"]
    assert len(risk) == 1 and risk[0].type == "compute" and risk[0].azs == ["ap-guangzhou-4"]
    assert not r.report.of_kind(EntryKind.UNKNOWN)
    with pytest.raises(ImportRefused) as err:
        run("drawio/tencent_shop.drawio", types={"风控系统": "mainframe"})
    assert err.value.key == "errors.architecture_import.unknown_type"


@pytest.mark.parametrize(("text", "key"), [
    ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><mxfile><diagram>&a;</diagram></mxfile>', "xml_doctype"),
    ("<mxfile><diagram>not base64 at all!!</diagram></mxfile>", "drawio_bad_compressed"),
    ("<mxfile><diagram><mxGraphModel><root>", "xml_syntax"),
])
def test_bad_diagrams_get_a_message(text: str, key: str) -> None:
    with pytest.raises(ImportRefused) as err:
        import_sources([SourceFile("d.drawio", text.encode())])
    assert err.value.key == f"errors.architecture_import.{key}"


def test_diagram_without_recognisable_shapes(run) -> None:
    with pytest.raises(ImportRefused) as err:
        run("drawio/no_shapes.drawio")
    assert err.value.key == "errors.architecture_import.drawio_no_shapes"
    assert "no_shapes.drawio" in err.value.translate("en")
