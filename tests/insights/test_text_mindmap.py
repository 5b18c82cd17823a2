"""Mind map: the lecture -> chapters -> points tree, drawn as a self-contained SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from academy.insights.text.mindmap import (
    FONT_FAMILY,
    PALETTE,
    build_mind_map,
    markmap_tree,
    render_svg,
)
from academy.insights.types import Chapter

SVG = "{http://www.w3.org/2000/svg}"
CHAPTERS = [
    Chapter(0.0, "客户生命周期", "……", ["获客期重在建立信任", "成熟期做资产配置"]),
    Chapter(95.5, "业务节奏管理", "……", ["做一份年度营销日历", "到期资金提前两周联系", "开门红"]),
    Chapter(210.0, "名单制管理", "……", []),
]


def texts_of(svg: str) -> str:
    root = ET.fromstring(svg)
    return "".join(element.text or "" for element in root.iter(f"{SVG}text"))


def test_tree_goes_lecture_chapters_points():
    tree = build_mind_map("客户经营", CHAPTERS)
    assert tree["title"] == "客户经营"
    assert [c["title"] for c in tree["children"]] == ["客户生命周期", "业务节奏管理", "名单制管理"]
    assert tree["children"][1]["start"] == 95.5
    points = [p["title"] for p in tree["children"][1]["children"]]
    assert points == ["做一份年度营销日历", "到期资金提前两周联系", "开门红"]
    assert tree["children"][2]["children"] == []


def test_svg_parses_and_shows_every_title_and_point():
    svg = render_svg(build_mind_map("客户经营", CHAPTERS))
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    shown = texts_of(svg)
    for text in ["客户经营", "客户生命周期", "业务节奏管理", "名单制管理", "到期资金提前两周联系"]:
        assert text in shown
    # One box per node, one curve per link.
    assert len(root.findall(f".//{SVG}rect[@rx]")) == 1 + 3 + 5
    assert len(root.findall(f".//{SVG}path")) == 3 + 5


def test_svg_is_self_contained_with_cjk_fonts():
    svg = render_svg(build_mind_map("客户经营", CHAPTERS))
    root = ET.fromstring(svg)
    assert root.get("font-family") == FONT_FAMILY
    assert "href" not in svg and "<script" not in svg and "<style" not in svg
    assert float(root.get("width")) > 0 and float(root.get("height")) > 0


def test_text_is_escaped():
    tree = build_mind_map(
        '<script>alert("x")</script> & 风险', [Chapter(0, "A&B <章>", "", ["1 < 2"])]
    )
    svg = render_svg(tree)
    assert "<script>" not in svg
    shown = texts_of(svg)
    assert '<script>alert("x")</script> & 风险' in shown
    assert "A&B <章>" in shown and "1 < 2" in shown


def test_size_follows_the_text():
    short = ET.fromstring(render_svg(build_mind_map("讲座", [Chapter(0, "章", "", ["点"])])))
    long_title = "很长的讲座标题" * 2
    long_point = "一条比较长的要点内容" * 2
    wide = ET.fromstring(
        render_svg(build_mind_map(long_title, [Chapter(0, "章", "", [long_point, "点"])]))
    )
    assert float(wide.get("width")) > float(short.get("width")) + 200
    assert float(wide.get("height")) > float(short.get("height"))


def test_long_text_wraps_instead_of_running_off():
    point = "这是一条非常非常长的要点，用来检查换行是否正常工作，不会超出方框"
    svg = render_svg(build_mind_map("讲座", [Chapter(0, "章", "", [point])]))
    lines = [e.text for e in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "".join(lines[2:]) == point
    assert len(lines) > 3


def test_markmap_nodes_escape_their_text_and_carry_their_chapters_colour():
    nodes = markmap_tree(build_mind_map("讲座 <b>一</b>", CHAPTERS))
    assert nodes["content"] == "讲座 &lt;b&gt;一&lt;/b&gt;"
    first, second = nodes["children"][:2]
    assert [p["content"] for p in second["children"]] == [
        "做一份年度营销日历",
        "到期资金提前两周联系",
        "开门红",
    ]
    assert first["payload"]["colour"] == PALETTE[0][0]
    assert {p["payload"]["colour"] for p in second["children"]} == {PALETTE[1][0]}
