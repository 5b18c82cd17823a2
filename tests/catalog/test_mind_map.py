"""The course page links each mind map: its nodes (for the interactive map) and its SVG have
URLs of their own, which browsers keep until the lesson is published again."""

import pytest

from academy.extensions import db
from academy.insights import services as insights


@pytest.fixture
def lesson(make):
    """A lesson of a free course (visitors see all of it) with a published mind map."""
    course = make.course()
    lesson = course.lessons[0]
    insight = make.insight(lesson, publish=False)
    insight.mind_map = {
        "title": "讲座标题 <一>",
        "children": [{"title": "导图分支甲", "children": []}],
    }
    db.session.commit()
    insights.publish(lesson)
    return lesson


def test_the_course_page_links_the_map_instead_of_carrying_it(anon, lesson):
    html = anon.get(f"/courses/{lesson.course_id}").get_data(as_text=True)
    assert f'data-mindmap="/lessons/{lesson.id}/mindmap.json"' in html
    assert f"/lessons/{lesson.id}/mindmap.svg" in html
    assert "讲座标题 &lt;一&gt;" not in html and "导图分支甲" not in html


def test_the_nodes_are_escaped_text(anon, lesson):
    nodes = anon.get(f"/lessons/{lesson.id}/mindmap.json").get_json()
    assert nodes["content"] == "讲座标题 &lt;一&gt;"
    assert [child["content"] for child in nodes["children"]] == ["导图分支甲"]


@pytest.mark.parametrize("name", ["mindmap.svg", "mindmap.json"])
def test_a_browser_that_kept_the_map_gets_304_until_it_is_published_again(anon, lesson, name):
    url = f"/lessons/{lesson.id}/{name}"
    first = anon.get(url)
    assert first.status_code == 200 and first.headers["ETag"]
    kept = {"If-None-Match": first.headers["ETag"]}
    assert anon.get(url, headers=kept).status_code == 304

    insight = insights.get_insight(lesson.id)
    insight.mind_map = {
        "title": "讲座标题 <一>",
        "children": [{"title": "导图分支乙", "children": []}],
    }
    db.session.commit()
    insights.publish(lesson)
    again = anon.get(url, headers=kept)
    assert again.status_code == 200 and "导图分支乙" in again.get_data(as_text=True)


def test_the_download_is_an_attachment(anon, lesson):
    response = anon.get(f"/lessons/{lesson.id}/mindmap.svg?download=1")
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="mindmap-{lesson.id}.svg"'
    )
