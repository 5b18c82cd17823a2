"""The article form of the studio."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from academy.articles.models import MAX_AUTHOR_CHARS, MAX_BODY_CHARS, MAX_TITLE_CHARS
from academy.articles.services import parse_tags
from academy.errors import Refusal


class ArticleForm(FlaskForm):
    title = StringField(
        _l("标题"),
        validators=[
            DataRequired(_l("请填写标题。")),
            Length(max=MAX_TITLE_CHARS, message=_l("标题最多 %(max)d 个字。")),
        ],
    )
    author_name = StringField(
        _l("作者"),
        validators=[
            DataRequired(_l("请填写作者。")),
            Length(max=MAX_AUTHOR_CHARS, message=_l("作者最多 %(max)d 个字。")),
        ],
    )
    tags = StringField(_l("标签（用逗号或空格分隔）"))
    body = TextAreaField(
        _l("正文（Markdown）"),
        validators=[
            DataRequired(_l("请填写正文。")),
            Length(max=MAX_BODY_CHARS, message=_l("正文最多 %(max)d 个字。")),
        ],
        render_kw={"rows": 18},  # an article, not a comment: room to write
    )
    cover = FileField(_l("封面图片（PNG 或 JPEG，可不传）"))

    def validate_tags(self, field) -> None:
        try:
            parse_tags(field.data or "")
        except Refusal as refusal:
            raise ValidationError(refusal.message) from None
