"""Write the draw.io fixtures as diagrams.net saves them.

Format: an ``<mxfile>`` of ``<diagram>`` pages, each an ``<mxGraphModel>`` of ``<mxCell>`` elements
(``vertex``/``edge``, ``parent``, ``style``, ``<mxGeometry>``).  With File ▸ Properties ▸ "Compressed",
diagrams.net stores the model URI-encoded, raw-deflated and base64-encoded inside ``<diagram>`` (see
diagrams.net "Extract the XML of a diagram"); ``aws_three_tier.drawio`` is written that way.
Styles are those of the diagrams.net AWS 2021+ library (``mxgraph.aws4``) and of Tencent Cloud's icon set
used as image shapes.  Run ``python sample_data/imports/make_drawio.py`` to regenerate.
"""

from __future__ import annotations

import base64
import urllib.parse
import zlib
from pathlib import Path
from xml.sax.saxutils import quoteattr

HERE = Path(__file__).resolve().parent / "drawio"
HEAD = ('<mxfile host="app.diagrams.net" agent="Mozilla/5.0 (X11; Linux x86_64)" version="24.7.17">'
        '<diagram id="{id}" name="{name}">')
MODEL = ('<mxGraphModel dx="1434" dy="786" grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" '
         'fold="1" page="1" pageScale="1" pageWidth="1169" pageHeight="827" math="0" shadow="0"><root>'
         '<mxCell id="0"/><mxCell id="1" parent="0"/>{cells}</root></mxGraphModel>')
AWS_GROUP = ("sketch=0;outlineConnect=0;gradientColor=none;html=1;whiteSpace=wrap;fontSize=12;fontStyle=0;"
             "shape=mxgraph.aws4.group;grIcon=mxgraph.aws4.{icon};strokeColor={color};fillColor=none;"
             "verticalAlign=top;align=left;spacingLeft=30;fontColor={color};dashed={dashed};container=1;"
             "pointerEvents=0;collapsible=0;recursiveResize=0;")
AWS_ICON = ("sketch=0;outlineConnect=0;fontColor=#232F3E;gradientColor=none;fillColor={fill};strokeColor=none;"
            "dashed=0;verticalLabelPosition=bottom;verticalAlign=top;align=center;html=1;fontSize=12;fontStyle=0;"
            "aspect=fixed;pointerEvents=1;shape=mxgraph.aws4.{icon};")
AWS_RES = ("sketch=0;points=[[0,0,0],[0.25,0,0],[0.5,0,0],[0.75,0,0],[1,0,0]];outlineConnect=0;fontColor=#232F3E;"
           "fillColor={fill};strokeColor=#ffffff;dashed=0;verticalLabelPosition=bottom;verticalAlign=top;"
           "align=center;html=1;fontSize=12;fontStyle=0;aspect=fixed;shape=mxgraph.aws4.resourceIcon;"
           "resIcon=mxgraph.aws4.{icon};")
TC_ICON = ("shape=image;verticalLabelPosition=bottom;labelBackgroundColor=default;verticalAlign=top;aspect=fixed;"
           "imageAspect=0;image=https://cloudcache.tencent-cloud.com/qcloud/ui/static/static_source_business/"
           "icons/{icon}.svg;")
EDGE = "edgeStyle=orthogonalEdgeStyle;rounded=0;orthogonalLoop=1;jettySize=auto;html=1;{extra}"


def vertex(id_: str, value: str, style: str, parent: str, x: int, y: int, w: int, h: int) -> str:
    return (f'<mxCell id="{id_}" value={quoteattr(value)} style={quoteattr(style)} vertex="1" parent="{parent}">'
            f'<mxGeometry x="{x}" y="{y}" width="{w}" height="{h}" as="geometry"/></mxCell>')


def edge(id_: str, source: str, target: str, extra: str = "", value: str = "") -> str:
    return (f'<mxCell id="{id_}" value={quoteattr(value)} style={quoteattr(EDGE.format(extra=extra))} edge="1" '
            f'parent="1" source="{source}" target="{target}"><mxGeometry relative="1" as="geometry"/></mxCell>')


def aws_cells() -> str:
    c = [
        vertex("region", "us-east-1", AWS_GROUP.format(icon="group_region", color="#00A4A6", dashed=1),
               "1", 40, 120, 1000, 560),
        vertex("vpc", "VPC shop", AWS_GROUP.format(icon="group_vpc2", color="#8C4FFF", dashed=0),
               "region", 20, 40, 960, 500),
        vertex("az-a", "Availability Zone us-east-1a",
               AWS_GROUP.format(icon="group_availability_zone", color="#147EBA", dashed=1), "vpc", 220, 40, 340, 420),
        vertex("az-b", "Availability Zone us-east-1b",
               AWS_GROUP.format(icon="group_availability_zone", color="#147EBA", dashed=1), "vpc", 590, 40, 340, 420),
        vertex("alb", "Application Load Balancer", AWS_ICON.format(icon="application_load_balancer",
                                                                   fill="#8C4FFF"), "vpc", 60, 200, 78, 78),
        vertex("web-a", "Web server", AWS_RES.format(icon="ec2", fill="#ED7100"), "az-a", 40, 60, 78, 78),
        vertex("web-b", "Web server", AWS_RES.format(icon="ec2", fill="#ED7100"), "az-b", 40, 60, 78, 78),
        vertex("db-a", "Orders DB", AWS_RES.format(icon="rds", fill="#C925D1"), "az-a", 40, 260, 78, 78),
        vertex("db-b", "Orders DB", AWS_RES.format(icon="rds", fill="#C925D1"), "az-b", 40, 260, 78, 78),
        vertex("legacy", "Legacy billing", "rounded=1;whiteSpace=wrap;html=1;", "az-a", 200, 160, 120, 60),
        vertex("s3", "Assets", AWS_RES.format(icon="s3", fill="#7AA116"), "region", 40, 480, 78, 78),
        vertex("cf", "CloudFront", AWS_RES.format(icon="cloudfront", fill="#8C4FFF"), "1", 40, 20, 78, 78),
        vertex("note", "Draft for the review with the customer, 28 Nov",
               "text;html=1;align=left;verticalAlign=middle;", "1", 700, 20, 300, 30),
        edge("e1", "cf", "alb"), edge("e2", "alb", "web-a"), edge("e3", "alb", "web-b"),
        edge("e4", "web-a", "db-a"), edge("e5", "web-b", "db-a"), edge("e6", "web-a", "s3", "dashed=1;"),
        edge("e7", "web-a", "legacy"), edge("e8", "db-a", "db-b", "dashed=1;", "replication"),
    ]
    return "".join(c)


def tencent_cells() -> str:
    region_style = "swimlane;whiteSpace=wrap;html=1;startSize=23;container=1;"
    az_style = "rounded=0;whiteSpace=wrap;html=1;dashed=1;fillColor=none;verticalAlign=top;container=1;"
    c = [
        vertex("r", "华南地区（广州）ap-guangzhou", region_style, "1", 40, 140, 900, 520),
        vertex("z3", "广州三区 ap-guangzhou-3", az_style, "r", 20, 120, 400, 380),
        vertex("z4", "广州四区 ap-guangzhou-4", az_style, "r", 470, 120, 400, 380),
        vertex("clb", "CLB 负载均衡", TC_ICON.format(icon="CLB"), "r", 400, 40, 60, 60),
        vertex("cvm3", "应用服务器 CVM", TC_ICON.format(icon="CVM"), "z3", 40, 60, 60, 60),
        vertex("cvm4", "应用服务器 CVM", TC_ICON.format(icon="CVM"), "z4", 40, 60, 60, 60),
        vertex("db3", "云数据库 MySQL", TC_ICON.format(icon="CDB"), "z3", 40, 200, 60, 60),
        vertex("db4", "云数据库 MySQL", TC_ICON.format(icon="CDB"), "z4", 40, 200, 60, 60),
        vertex("redis", "Redis 缓存", TC_ICON.format(icon="Redis"), "z3", 200, 200, 60, 60),
        vertex("kafka", "CKafka 消息队列", TC_ICON.format(icon="CKafka"), "z3", 200, 300, 60, 60),
        vertex("risk", "风控系统", "rounded=1;whiteSpace=wrap;html=1;", "z4", 200, 60, 120, 60),
        vertex("cdn", "CDN", TC_ICON.format(icon="CDN"), "1", 60, 30, 60, 60),
        edge("e1", "cdn", "clb"), edge("e2", "clb", "cvm3"), edge("e3", "clb", "cvm4"),
        edge("e4", "cvm3", "db3"), edge("e5", "cvm4", "db3"), edge("e6", "cvm3", "redis"),
        edge("e7", "cvm3", "kafka", "dashed=1;"), edge("e8", "cvm4", "risk"), edge("e9", "cvm3", "nowhere"),
    ]
    return "".join(c)


def no_shape_cells() -> str:
    return "".join([
        vertex("t1", "Our platform (to be detailed)", "text;html=1;align=center;", "1", 40, 40, 200, 30),
        vertex("e1", "", "ellipse;whiteSpace=wrap;html=1;", "1", 40, 100, 80, 80),
        vertex("c1", "", "shape=cloud;whiteSpace=wrap;html=1;", "1", 200, 100, 120, 80),
    ])


def compress(xml: str) -> str:
    """draw.io's compression: encodeURIComponent, raw deflate, base64."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    quoted = urllib.parse.quote(xml, safe="~()*!.'")
    raw = deflater.compress(quoted.encode("utf-8")) + deflater.flush()
    return base64.b64encode(raw).decode("ascii")


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    aws = MODEL.format(cells=aws_cells())
    (HERE / "aws_three_tier.drawio").write_text(
        HEAD.format(id="aws3tier", name="Three tier") + compress(aws) + "</diagram></mxfile>\n", encoding="utf-8")
    (HERE / "tencent_shop.drawio").write_text(
        HEAD.format(id="tcshop", name="电商架构") + MODEL.format(cells=tencent_cells()) + "</diagram></mxfile>\n",
        encoding="utf-8")
    (HERE / "no_shapes.drawio").write_text(
        HEAD.format(id="blank", name="Page-1") + MODEL.format(cells=no_shape_cells()) + "</diagram></mxfile>\n",
        encoding="utf-8")


if __name__ == "__main__":
    main()
