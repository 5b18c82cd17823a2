"""Markdown is rendered, and whatever could run or restyle the page is removed."""

from __future__ import annotations

from academy.articles.markdown import plain_text, render


def test_ordinary_formatting_is_rendered():
    html = str(render("## 要点\n\n**加粗** 与 _斜体_\n\n- 一\n- 二\n\n> 引用"))
    for tag in ("<h2>", "<strong>加粗</strong>", "<em>斜体</em>", "<li>一</li>", "<blockquote>"):
        assert tag in html


def test_script_tags_are_removed_with_their_content():
    html = str(render('前言\n\n<script>alert("x")</script>\n\n后记'))
    assert "<script" not in html and "alert" not in html
    assert "前言" in html and "后记" in html


def test_javascript_links_lose_their_target():
    html = str(render('[点我](javascript:alert(1)) <a href="JaVaScRiPt:alert(1)">再点</a>'))
    assert "href" not in html  # the Markdown link stays text, the HTML one loses its href


def test_links_get_noopener_nofollow():
    html = str(render("[人民银行](https://www.pbc.gov.cn/)"))
    assert '<a href="https://www.pbc.gov.cn/" rel="noopener nofollow">人民银行</a>' in html


def test_on_attributes_are_removed():
    html = str(render('<img src="/media/a.png" onerror="alert(1)"> <b onmouseover="x()">粗</b>'))
    assert "onerror" not in html and "onmouseover" not in html and "alert" not in html


def test_style_attributes_and_style_tags_are_removed():
    html = str(render('<p style="color:red">红</p>\n\n<style>body{display:none}</style>'))
    assert "style" not in html and "display" not in html
    assert "<p>红</p>" in html


def test_images_only_from_our_own_origin():
    markdown = (
        "![本站](/media/chart.png) ![外站](https://evil.example/x.png) "
        "![协议](//evil.example/y.png)"
    )
    html = str(render(markdown))
    assert 'src="/media/chart.png"' in html
    assert "evil" not in html


def test_plain_text_has_no_markup():
    assert plain_text("# 标题\n\n**反洗钱** & <i>合规</i>") == "标题 反洗钱 & 合规"
