"""The studio's document forms: upload a PDF, and change a document's title and free pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from academy.documents.models import MAX_TITLE_CHARS
from academy.documents.rules import DEFAULT_FREE_PAGES


class DocumentSettingsForm(FlaskForm):
    title = StringField(
        _l("资料标题"),
        validators=[Length(max=MAX_TITLE_CHARS, message=_l("标题最多 %(max)d 个字。"))],
    )
    free_pages = IntegerField(
        _l("免费试读页数"),
        default=DEFAULT_FREE_PAGES,
        validators=[
            InputRequired(_l("请填写免费试读页数，0 表示不提供试读。")),
            NumberRange(min=0, message=_l("免费试读页数不能小于 0。")),
        ],
    )


class DocumentUploadForm(DocumentSettingsForm):
    title = StringField(
        _l("资料标题（可不填，默认用文件名）"),
        validators=[Optional(), Length(max=MAX_TITLE_CHARS, message=_l("标题最多 %(max)d 个字。"))],
    )
    file = FileField(_l("PDF 文件"))
