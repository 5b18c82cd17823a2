"""The certificate of completion (PDF with the course title, a CJK font and a QR code to the
verify page) and the public verification page."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image

from academy.credits import certificates
from academy.credits import services as credits
from academy.extensions import db
from tests.credits.conftest import complete, enrol
from tests.web import login

TITLE = "个人所得税专项附加扣除实务"


def needs(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is missing: run .ci/install (Debian package poppler-utils)")
    return path


@pytest.fixture
def finished(api, movable_clock, make, learner, afp):
    """The learner, named 王小明, has completed a bought course worth 1.5 AFP/CFP hours."""
    learner.real_name = "王小明"
    db.session.commit()
    course = make.course(credits={"afp-cfp": 150}, price_fen=12900, title=TITLE)
    enrol(learner, course, "purchase")
    complete(api, movable_clock, course)
    return course


def download(api, course) -> bytes:
    response = api.client.get(f"/me/courses/{course.id}/certificate.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return response.data


def pdf_text(data: bytes) -> str:
    done = subprocess.run(
        [needs("pdftotext"), "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def first_page_png(data: bytes, folder) -> Image.Image:
    (folder / "certificate.pdf").write_bytes(data)
    subprocess.run(
        [needs("pdftoppm"), "-png", "-r", "150", "-singlefile", "certificate.pdf", "page"],
        cwd=folder,
        check=True,
    )
    return Image.open(io.BytesIO((folder / "page.png").read_bytes()))


def test_certificate_pdf_names_the_course_learner_and_hours_in_chinese(api, finished):
    text = pdf_text(download(api, finished))
    assert TITLE in text
    assert "王小明" in text
    assert "结业证书" in text
    assert "继续教育再认证 1.5 学时" in text


def test_certificate_embeds_the_cjk_font(api, finished):
    fonts = subprocess.run(
        [needs("pdffonts"), "-"], input=download(api, finished), capture_output=True, check=True
    ).stdout.decode()
    # a subset of WenQuanYi Micro Hei, embedded ("emb yes"), so any reader shows the Chinese
    assert re.search(r"\+WenQuanYiMicroHei\S*\s+TrueType\s+\S+\s+yes", fonts), fonts


def test_certificate_qr_code_opens_its_verify_page(api, finished, anon, tmp_path):
    data = download(api, finished)
    [found] = zxingcpp.read_barcodes(first_page_png(data, tmp_path))
    assert found.format == zxingcpp.BarcodeFormat.QRCode
    url = found.text
    assert re.fullmatch(r"http://localhost/verify/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", url)
    assert url.rsplit("/", 1)[1] in pdf_text(data)  # the printed code is the QR's
    page = anon.get(url.removeprefix("http://localhost")).get_data(as_text=True)
    assert "有效" in page and TITLE in page


def test_verify_shows_only_the_masked_name_and_the_facts(api, finished, anon, learner):
    code = certificates.find_certificate(learner.id, finished.id).code
    response = anon.get(f"/verify/{code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "王*明" in page and "王小明" not in page
    assert learner.username not in page
    assert TITLE in page and "1.5" in page
    assert "有效" in page


def test_verify_says_revoked_after_the_order_is_refunded(api, finished, anon, learner):
    credits.reverse_course_credits(learner.id, [finished.id], "订单 A100 已退款")
    db.session.commit()
    code = certificates.find_certificate(learner.id, finished.id).code
    page = anon.get(f"/verify/{code}").get_data(as_text=True)
    assert "已撤销" in page
    assert "status-valid" not in page
    assert api.client.get(f"/me/courses/{finished.id}/certificate.pdf").status_code == 410


def test_verify_of_an_unknown_code_is_not_found(anon):
    response = anon.get("/verify/AAAA-BBBB-CCCC")
    assert response.status_code == 404
    assert "未找到" in response.get_data(as_text=True)


def test_no_certificate_for_a_course_not_completed(api, make, learner):
    course = make.course()
    enrol(learner, course)
    assert api.client.get(f"/me/courses/{course.id}/certificate.pdf").status_code == 404


def test_a_learner_cannot_download_someone_elses_certificate(app, finished, make):
    make.user("other")
    other = app.test_client()
    login(other, "other")
    assert other.get(f"/me/courses/{finished.id}/certificate.pdf").status_code == 404


def test_the_name_is_fixed_at_the_first_download(api, finished, anon, learner):
    first = pdf_text(download(api, finished))
    learner.real_name = "张伟"  # an edit later, by anyone holding the login
    db.session.commit()

    again = pdf_text(download(api, finished))
    assert "王小明" in first and "王小明" in again and "张伟" not in again
    code = certificates.find_certificate(learner.id, finished.id).code
    page = anon.get(f"/verify/{code}").get_data(as_text=True)
    assert "王*明" in page and "张*" not in page


def test_no_certificate_without_a_real_name(api, finished, learner):
    learner.real_name = ""
    learner.nickname = "小张<i>"
    db.session.commit()
    response = api.client.get(f"/me/courses/{finished.id}/certificate.pdf")
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/profile")
    page = api.client.get("/me/profile").get_data(as_text=True)
    assert "请先在个人资料中填写真实姓名" in page
    assert certificates.find_certificate(learner.id, finished.id).holder_name == ""
    assert "证书上印有真实姓名" in api.client.get("/me/credits").get_data(as_text=True)

    learner.real_name = "张伟"
    db.session.commit()
    assert "张伟" in pdf_text(download(api, finished))
