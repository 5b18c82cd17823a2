"""Fixtures for articles: a writer, a builder of articles, and logged-in browsers."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from academy.articles import services as articles
from academy.articles.models import ArticleStatus
from tests.web import login


@pytest.fixture
def writer(make):
    return make.user("editor1", role="admin", nickname="资讯编辑")


@pytest.fixture
def write(writer, movable_clock):
    """Build an article (published unless told otherwise), a second later than the last."""

    def build(title="资管新规解读", body="正文", tags="", *, published=True):
        movable_clock.advance(1)
        article = articles.create_article(writer, {"title": title, "body": body, "tags": tags})
        if published:
            articles.set_status(article, ArticleStatus.PUBLISHED)
        return article

    return build


@pytest.fixture
def staff(app, writer):
    client = app.test_client()
    login(client, "editor1")
    return client


@pytest.fixture
def reader(app, learner):
    client = app.test_client()
    login(client, "learner1")
    return client


def png_bytes(size=(32, 18)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 60, 90)).save(out, format="PNG")
    return out.getvalue()
