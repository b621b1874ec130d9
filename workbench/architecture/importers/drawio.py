"""draw.io (diagrams.net) XML, plain or compressed → architecture.

What and why
    A ``.drawio`` file is ``<mxfile><diagram>…</diagram></mxfile>``; each diagram holds an ``<mxGraphModel>``
    either as XML or compressed (draw.io's "Compressed" option: the model XML URI-encoded, raw-deflated,
    base64-encoded; see drawio's ``Graph.decompress`` and the "Extract the XML" page of the diagrams.net docs).
    Cells are ``<mxCell>`` elements (``vertex="1"`` shapes, ``edge="1"`` connectors, ``parent`` for nesting),
    sometimes wrapped in ``<UserObject label=…>``/``<object>``.

    - Shapes are typed from their style (:mod:`drawio_shapes`: AWS ``mxgraph.aws4.*``, generic shapes,
      Tencent Cloud icons by image name) and, failing that, from their label (an assumption, reported).
      Shapes that stay untyped are listed as *unknown* for the user to type (``types`` maps a label or a
      cell id to a catalogue type); they are not guessed.
    - Region and AZ containers (AWS groups, or a container whose label names a region/AZ such as
      ``ap-guangzhou-3``, ``us-east-1a``, "Availability Zone", "可用区") give the failure domains; a shape is in
      the containers its ``parent`` chain, or else its centre, falls in.
    - Shapes with the same label and type are replicas of one component (the usual "Web in AZ a, Web in AZ
      b" drawing); edges are links from source to target (dashed = asynchronous, assumed).
    XML with a DOCTYPE or entities is refused (entity expansion, CWE-776); decompression is bounded.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import urllib.parse
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, field
from typing import Any

from workbench.architecture.importers.base import (
    Draft,
    EntryKind,
    ImportRefused,
    SourceFile,
    max_import_bytes,
    max_import_mb,
)
from workbench.architecture.importers.drawio_shapes import (
    AWS_ICONS,
    AZ_GROUPS,
    GENERIC_SHAPES,
    GENERIC_WORDS,
    REGION_GROUPS,
    TENCENT_WORDS,
)
from workbench.architecture.importers.terraform import region_of_az
from workbench.architecture.model import Placement

NAME = "drawio"
MAX_CELLS = 200_000
_TAG = re.compile(r"<[^>]+>")
_AWS_REGION = r"[a-z]{2}(?:-gov)?-(?:east|west|north|south|central|northeast|northwest|southeast|southwest)-\d+"
_TENCENT_REGION = r"(?:ap|na|eu|sa)-[a-z]+(?:-[a-z]+)?"
_AZ_ID = re.compile(rf"\b({_AWS_REGION}[a-z]|{_TENCENT_REGION}-\d+)\b")
_REGION_ID = re.compile(rf"\b({_AWS_REGION}|{_TENCENT_REGION})\b")
_AZ_WORDS = ("availability zone", "可用区", "az ", "zone ")
_REGION_WORDS = ("region", "地域", "地区")
_TOKENS = re.compile(r"[a-z0-9]+")
_GLOBAL_TYPES = {"cdn", "dns"}


def sniff(head: str) -> bool:
    return "<mxfile" in head or "<mxGraphModel" in head


@dataclass
class _Cell:
    id: str
    label: str
    style: dict[str, str]
    shape: str
    vertex: bool
    edge: bool
    parent: str
    source: str
    target: str
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0
    page: str = ""


@dataclass
class _Domain:
    kind: str  # "region" | "az"
    id: str
    cell: _Cell
    assumed: bool = False


@dataclass
class _Page:
    file: str
    name: str
    cells: dict[str, _Cell] = field(default_factory=dict)


def _style(text: str) -> tuple[dict[str, str], str]:
    out: dict[str, str] = {}
    shape = ""
    for i, part in enumerate(p for p in text.split(";") if p):
        if "=" in part:
            k, _, v = part.partition("=")
            out[k.strip()] = v.strip()
        elif i == 0:
            shape = part.strip()
    return out, out.get("shape", shape)


def _label(raw: str) -> str:
    text = _TAG.sub(" ", raw.replace("<br>", " ").replace("<br/>", " "))
    return " ".join(html.unescape(text).split())


def _inflate(file: str, text: str) -> str:
    """Compressed diagram content → mxGraphModel XML (base64 → raw deflate → URI decoding), bounded."""
    try:
        raw = base64.b64decode(text.strip(), validate=False)
        d = zlib.decompressobj(-15)
        out = d.decompress(raw, max_import_bytes())
        if d.unconsumed_tail:
            raise ImportRefused("errors.architecture_import.too_large", file=file, size_mb="?",
                                limit_mb=f"{max_import_mb():g}")
        return urllib.parse.unquote(out.decode("utf-8"))
    except (binascii.Error, zlib.error, UnicodeDecodeError):
        raise ImportRefused("errors.architecture_import.drawio_bad_compressed", file=file) from None


def _xml(file: str, text: str) -> ET.Element:
    head = text[:4096].upper()
    if "<!DOCTYPE" in head or "<!ENTITY" in text.upper():
        raise ImportRefused("errors.architecture_import.xml_doctype", file=file)
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise ImportRefused("errors.architecture_import.xml_syntax", file=file, line=exc.position[0],
                            problem=str(exc)[:200]) from None


def _pages(file: SourceFile) -> list[_Page]:
    root = _xml(file.name, file.text())
    if root.tag == "mxGraphModel":
        models = [("", root)]
    elif root.tag == "mxfile":
        models = []
        for d in root.findall("diagram"):
            model = d.find("mxGraphModel")
            if model is None and (d.text or "").strip():
                model = _xml(file.name, _inflate(file.name, d.text or ""))
            if model is not None:
                models.append((d.get("name", ""), model))
    else:
        raise ImportRefused("errors.architecture_import.drawio_not_diagram", file=file.name, found=root.tag[:50])
    pages = []
    count = 0
    for name, model in models:
        page = _Page(file.name, name)
        root_el = model.find("root")
        for el in list(root_el) if root_el is not None else []:
            cell, label = (el, _label(el.get("value", ""))) if el.tag == "mxCell" else (
                el.find("mxCell"), _label(el.get("label", "")))
            if cell is None:
                continue
            count += 1
            if count > MAX_CELLS:
                raise ImportRefused("errors.architecture_import.too_many_cells", file=file.name, limit=MAX_CELLS)
            style, shape = _style(cell.get("style", ""))
            geo = cell.find("mxGeometry")
            c = _Cell(id=str(el.get("id") or cell.get("id", "")), label=label, style=style, shape=shape,
                      vertex=cell.get("vertex") == "1", edge=cell.get("edge") == "1",
                      parent=cell.get("parent", ""), source=cell.get("source", ""), target=cell.get("target", ""),
                      page=name)
            if geo is not None:
                c.x, c.y = _num(geo.get("x")), _num(geo.get("y"))
                c.w, c.h = _num(geo.get("width")), _num(geo.get("height"))
            page.cells[c.id] = c
        pages.append(page)
    return pages


def _num(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return 0.0


def _words(text: str, words: tuple[str, ...]) -> bool:
    low = text.lower()
    tokens = set(_TOKENS.findall(low))
    for w in words:
        if w.isascii():
            if (" " in w and w in " ".join(_TOKENS.findall(low))) or w in tokens:
                return True
        elif w in low:
            return True
    return False


def classify(cell: _Cell) -> tuple[str, str | None, str] | None:
    """(type, product, rule) for a shape, or None when nothing in its style or label names a type.

    ``rule`` is ``style`` (a library icon: recognised) or ``label``/``image`` (an assumption to report).
    """
    names = [cell.shape, cell.style.get("resIcon", ""), cell.style.get("prIcon", "")]
    for n in names:
        if n.startswith(("mxgraph.aws4.", "mxgraph.aws3.")):
            key = n.rsplit(".", 1)[-1]
            if key in AWS_ICONS:
                return (*AWS_ICONS[key], "style")
    image = urllib.parse.unquote(cell.style.get("image", "")).lower()
    if "tencent" in image or "qcloud" in image or "tencent" in cell.shape.lower():
        stem = image.rsplit("/", 1)[-1][:100]
        for words, type_, product in TENCENT_WORDS:
            if _words(stem.replace("_", " ").replace("-", " "), words):
                return type_, product, "image"
    for words, type_, product in TENCENT_WORDS:
        if product and _words(cell.label, words):
            return type_, product, "label"
    if cell.shape in GENERIC_SHAPES:
        return GENERIC_SHAPES[cell.shape], None, "style"
    for gwords, gtype in GENERIC_WORDS:
        if _words(cell.label, gwords):
            return gtype, None, "label"
    return None


def _domain_of(cell: _Cell) -> tuple[str, str, bool] | None:
    """('region'|'az', id, assumed) for a region/AZ container, else None."""
    group = cell.style.get("grIcon", "").rsplit(".", 1)[-1]
    label = cell.label.lower()
    if group in REGION_GROUPS:
        region = _REGION_ID.search(label)
        return ("region", region.group(1), False) if region else ("region", _slug(cell.label) or cell.id, True)
    az = _AZ_ID.search(label)
    if group in AZ_GROUPS or (az and _is_container(cell)) or (_is_container(cell) and _words(label, _AZ_WORDS)):
        if az:
            return "az", az.group(1), False
        return "az", _slug(cell.label) or f"az-{cell.id}", True
    region = _REGION_ID.search(label)
    if group in REGION_GROUPS or (_is_container(cell) and (region or _words(label, _REGION_WORDS))):
        if region:
            return "region", region.group(1), False
        return "region", _slug(cell.label) or f"region-{cell.id}", True
    return None


def _is_container(cell: _Cell) -> bool:
    return (cell.style.get("container") == "1" or cell.shape in ("swimlane", "mxgraph.aws4.group")
            or cell.style.get("swimlane") is not None or "group" in cell.shape) or (cell.w > 200 and cell.h > 150)


def _slug(label: str) -> str:
    return "-".join(_TOKENS.findall(label.lower()))[:60]


class _Builder:
    def __init__(self, pages: list[_Page], types: dict[str, str]) -> None:
        self.pages = pages
        self.types = types
        self.draft = Draft()

    def note(self, kind: EntryKind, key: str, page: _Page, cell: _Cell | None, about: str | None = None, /,
             **params: str | float) -> None:
        address = f"{page.name}#{cell.id}" if cell is not None and page.name else (cell.id if cell else page.name)
        self.draft.note(kind, key, file=page.file, address=address, line=None, about=about, **params)

    def _absolute(self, page: _Page) -> dict[str, tuple[float, float]]:
        """Cell id → absolute (x, y): geometry is relative to the parent (iterative, cycle-safe)."""
        out: dict[str, tuple[float, float]] = {}
        for cid in page.cells:
            chain: list[str] = []
            cur = cid
            while cur in page.cells and cur not in out and cur not in chain and len(chain) < 200:
                chain.append(cur)
                cur = page.cells[cur].parent
            base = out.get(cur, (0.0, 0.0))
            for c in reversed(chain):
                cell = page.cells[c]
                base = (base[0] + cell.x, base[1] + cell.y)
                out[c] = base
        return out

    def _enclosing(self, page: _Page, cell: _Cell, domains: dict[str, _Domain],
                   pos: dict[str, tuple[float, float]]) -> tuple[_Domain | None, _Domain | None]:
        """The innermost AZ and region holding ``cell``: by parent chain first, else by geometry."""
        az = region = None
        cur, steps = cell.parent, 0
        while cur in page.cells and steps < 200:
            d = domains.get(cur)
            if d is not None:
                if d.kind == "az" and az is None:
                    az = d
                elif d.kind == "region" and region is None:
                    region = d
            cur, steps = page.cells[cur].parent, steps + 1
        if az is None or region is None:
            x, y = pos.get(cell.id, (0.0, 0.0))
            cx, cy = x + cell.w / 2, y + cell.h / 2
            for d in sorted(domains.values(), key=lambda d: d.cell.w * d.cell.h):
                dx, dy = pos.get(d.cell.id, (0.0, 0.0))
                if d.cell.id != cell.id and dx <= cx <= dx + d.cell.w and dy <= cy <= dy + d.cell.h:
                    if d.kind == "az" and az is None:
                        az = d
                    elif d.kind == "region" and region is None:
                        region = d
        return az, region

    def build(self) -> Draft:
        unknown = 0
        for page in self.pages:
            domains: dict[str, _Domain] = {}
            for cell in page.cells.values():
                if cell.vertex:
                    dom = _domain_of(cell)
                    if dom is not None:
                        domains[cell.id] = _Domain(dom[0], dom[1], cell, dom[2])
            pos = self._absolute(page)
            self._domains(page, domains, pos)
            by_key: dict[tuple[str, str], str] = {}
            comp_of: dict[str, str] = {}
            for cell in page.cells.values():
                if not cell.vertex or cell.id in domains:
                    continue
                typed = self._type(page, cell)
                if typed is None:
                    if cell.label and not _is_container(cell) and not cell.shape.startswith("text"):
                        unknown += 1
                        self.note(EntryKind.UNKNOWN, "architecture_import.drawio.unknown_shape", page, cell,
                                  label=cell.label[:80], shape=cell.shape or cell.style.get("image", "")[:60] or "-")
                    continue
                type_, product, rule = typed
                az, region = self._enclosing(page, cell, domains, pos)
                key = (type_, cell.label.lower() or cell.id)
                cid = by_key.get(key)
                if cid is None:
                    body: dict[str, Any] = {"name": cell.label[:500], "type": type_, "placement": [],
                                            "tags": {"drawio.cell": cell.id}}
                    if product:
                        body["product"] = product
                    cid = self.draft.add_component(_slug(cell.label) or f"shape-{cell.id}", **body)
                    by_key[key] = cid
                    self.note(EntryKind.RECOGNISED if rule in ("style", "user") else EntryKind.ASSUMED,
                              f"architecture_import.drawio.shape_{rule}", page, cell, cid, component=cid,
                              type=type_, label=cell.label[:80] or cell.id)
                else:
                    self.note(EntryKind.ASSUMED, "architecture_import.drawio.replica", page, cell, cid, component=cid)
                comp_of[cell.id] = cid
                self._place(page, cell, cid, type_, az, region)
            self._edges(page, comp_of)
        for body in self.draft.components.values():
            body["replicas"] = sum(p["count"] for p in body["placement"]) or 1
            if not body["placement"]:
                body.pop("placement")
            elif body["replicas"] > 1 and body["type"] in ("compute", "container_service", "load_balancer"):
                body.setdefault("ha_mode", "active_active")
            elif len({p.get("az") for p in body["placement"]}) > 1:
                body.setdefault("ha_mode", "multi_az")
        if not self.draft.components:
            raise ImportRefused("errors.architecture_import.drawio_no_shapes",
                                file=", ".join(p.file for p in self.pages[:1]) or "-",
                                count=sum(len(p.cells) for p in self.pages), unknown=unknown)
        return self.draft

    def _type(self, page: _Page, cell: _Cell) -> tuple[str, str | None, str] | None:
        override = self.types.get(cell.id) or self.types.get(cell.label)
        if override:
            return override, None, "user"
        return classify(cell)

    def _domains(self, page: _Page, domains: dict[str, _Domain], pos: dict[str, tuple[float, float]]) -> None:
        for d in domains.values():
            if d.kind == "az":
                _, region = self._enclosing(page, d.cell, {k: v for k, v in domains.items() if v.kind == "region"},
                                            pos)
                region_id = region.id if region else region_of_az(d.id)
                if region_id == d.id:
                    region_id = "default"
                self.draft.add_az(region_id, d.id)
            else:
                self.draft.add_region(d.id)
            self.note(EntryKind.ASSUMED if d.assumed else EntryKind.RECOGNISED,
                      f"architecture_import.drawio.{d.kind}{'_assumed' if d.assumed else ''}", page, d.cell,
                      id=d.id, label=d.cell.label[:80] or d.cell.id)

    def _place(self, page: _Page, cell: _Cell, cid: str, type_: str, az: _Domain | None,
               region: _Domain | None) -> None:
        body = self.draft.components[cid]
        if az is not None:
            p = Placement(az=az.id)
        elif type_ in _GLOBAL_TYPES:
            return
        else:
            region_id = region.id if region else next(iter(self.draft.regions), "default")
            self.draft.add_region(region_id)
            p = Placement(region=region_id)
            self.note(EntryKind.ASSUMED, "architecture_import.drawio.no_az", page, cell, cid, component=cid,
                      region=region_id)
        for existing in body["placement"]:
            if existing.get("az") == p.az and existing.get("region") == p.region:
                existing["count"] += 1
                return
        body["placement"].append(p.model_dump(exclude_none=True))

    def _edges(self, page: _Page, comp_of: dict[str, str]) -> None:
        def owner(cell_id: str) -> str | None:
            cur, steps = cell_id, 0
            while cur in page.cells and steps < 200:
                if cur in comp_of:
                    return comp_of[cur]
                cur, steps = page.cells[cur].parent, steps + 1
            return None

        for cell in page.cells.values():
            if not cell.edge:
                continue
            s, t = owner(cell.source), owner(cell.target)
            if s is None or t is None:
                self.note(EntryKind.IGNORED, "architecture_import.drawio.edge_unconnected", page, cell,
                          label=cell.label[:80] or cell.id)
                continue
            dashed = cell.style.get("dashed") == "1"
            if self.draft.add_link(s, t, **({"mode": "async"} if dashed else {})):
                self.note(EntryKind.ASSUMED if dashed else EntryKind.RECOGNISED,
                          "architecture_import.drawio.edge_async" if dashed else "architecture_import.drawio.edge",
                          page, cell, s, source=s, target=t)


def import_files(files: list[SourceFile], types: dict[str, str] | None = None) -> Draft:
    pages = [p for f in files for p in _pages(f)]
    return _Builder(pages, types or {}).build()
