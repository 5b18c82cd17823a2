"""A disk that fills during an upload: refused cleanly (507, `storage_full`), nothing partial
kept, the upload not marked complete. The disk is a real tmpfs of 1 MB (a full disk's ENOSPC
from the kernel), mounted where each upload writes."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from academy.articles import services as articles
from academy.documents.models import CourseDocument
from academy.errors import Refusal
from academy.extensions import db
from academy.insights.models import ProcessingJob
from academy.studio.models import Upload
from tests.documents.conftest import pdf_bytes
from tests.factories import put_chunk
from tests.web import csrf_of, login

#: bigger than the 1 MB disk
TOO_BIG = 2 * 1024 * 1024


def files_in(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def test_a_lecture_chunk_that_fills_the_disk_is_refused_and_nothing_is_kept(
    app, studio_api, draft, small_disk
):
    course, lesson = draft
    uploads = small_disk(Path(app.config["INSTANCE_PATH"]) / "uploads")
    status, body = studio_api.post(
        f"/api/v1/lessons/{lesson.id}/uploads", {"filename": "第一讲.mp4", "size": 3 * TOO_BIG}
    )
    assert status == 201, body
    token = body["upload"]

    status, body = put_chunk(studio_api, token, 0, os.urandom(TOO_BIG))

    assert status == 507
    assert body["error"]["code"] == "storage_full"
    assert "存储空间已满" in body["error"]["message"]
    assert files_in(uploads) == []  # neither the part file nor its lock
    db.session.expire_all()
    upload = db.session.query(Upload).filter_by(token=token).one()
    assert (upload.status, upload.error, upload.received) == ("refused", "storage_full", 0)
    assert lesson.media_path == "" and db.session.query(ProcessingJob).count() == 0
    status, body = put_chunk(studio_api, token, 0, b"more")  # it cannot be continued
    assert status == 409 and body["error"]["code"] == "upload_closed"


def test_a_document_that_fills_the_disk_is_refused_on_the_page_and_nothing_is_kept(
    app, instructor, make, small_disk
):
    course = make.course(price_fen=9900)
    course.instructor_id = instructor.instructor_profile.id
    db.session.commit()
    documents = small_disk(Path(app.config["MEDIA_PATH"]) / "documents")
    client = app.test_client()
    login(client, "teacher1")
    page = client.get(f"/studio/courses/{course.id}/documents").get_data(as_text=True)
    handout = pdf_bytes(8) + b"%" + os.urandom(TOO_BIG)  # a PDF with a comment of noise

    # encoded here, in memory: the test client would spool a body this size to a file it
    # never closes
    boundary, body = encode_multipart(
        {
            "csrf_token": csrf_of(page),
            "title": "讲义",
            "free_pages": "3",
            "file": FileStorage(io.BytesIO(handout), "讲义.pdf", content_type="application/pdf"),
        }
    )
    response = client.post(
        f"/studio/courses/{course.id}/documents",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )

    assert response.status_code == 507
    assert "存储空间已满" in response.get_data(as_text=True)
    assert files_in(documents) == []
    assert list(documents.rglob("*")) in ([], [documents / str(course.id)])
    assert db.session.query(CourseDocument).count() == 0


def test_a_cover_that_fills_the_disk_is_refused_and_the_old_one_stays(app, make, small_disk):
    writer = make.user("editor1", role="admin")
    article = articles.create_article(writer, {"title": "资管新规解读", "body": "正文"})
    covers = small_disk(Path(app.config["MEDIA_PATH"]) / articles.COVER_FOLDER, size="64k")
    noise = Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3))
    out = io.BytesIO()
    noise.save(out, format="PNG")  # ~120 KB: noise does not compress

    with pytest.raises(Refusal) as refused:
        articles.set_cover(article, out.getvalue())

    assert (refused.value.code, refused.value.status) == ("storage_full", 507)
    assert files_in(covers) == []
    db.session.expire_all()
    assert article.cover_path == ""
