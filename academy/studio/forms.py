"""Studio forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from academy.errors import Refusal
from academy.formfields import FiniteDecimalField, decimal_places
from academy.insights import bounds


class CourseForm(FlaskForm):
    title = StringField(
        _l("课程名称"),
        validators=[
            DataRequired(_l("请填写课程名称。")),
            Length(max=bounds.MAX_COURSE_TITLE_CHARS, message=_l("课程名称最多 %(max)d 个字。")),
        ],
    )
    subtitle = StringField(
        _l("副标题"),
        validators=[
            Length(max=bounds.MAX_COURSE_SUBTITLE_CHARS, message=_l("副标题最多 %(max)d 个字。"))
        ],
    )
    description = TextAreaField(
        _l("课程简介"),
        validators=[
            Length(
                max=bounds.MAX_COURSE_DESCRIPTION_CHARS, message=_l("课程简介最多 %(max)d 个字。")
            )
        ],
    )
    category_id = SelectField(_l("分类"), coerce=int)
    price = FiniteDecimalField(
        _l("价格（元）"),
        places=2,
        default=0,
        validators=[
            InputRequired(_l("请填写价格，免费填 0。")),
            NumberRange(0, 100000, _l("价格须在 0 到 100000 元之间。")),
            decimal_places(2),
        ],
    )
    transcript_script = SelectField(
        _l("转写文字"),
        choices=[
            SelectChoice("simplified", _l("简体中文")),
            SelectChoice("traditional", _l("繁体中文")),
        ],
    )
    glossary = TextAreaField(_l("术语表（每行一个，帮助语音识别与关键词提取）"))
    visitor_insights = SelectField(
        _l("未购买的访客可见的 AI 内容"),
        choices=[
            SelectChoice("", _l("按价格：免费课程全部可见，付费课程仅关键词、摘要与章节标题")),
            SelectChoice("full", _l("全部（含全文转写、章节摘要、思维导图、要点回顾题目）")),
            SelectChoice("outline", _l("仅关键词、全文摘要与章节标题")),
        ],
        default="",
    )

    def validate_glossary(self, field) -> None:
        try:
            bounds.check_glossary(field.data or "")
        except Refusal as refusal:
            raise ValidationError(refusal.message) from None


class LessonForm(FlaskForm):
    title = StringField(
        _l("课时名称"),
        validators=[
            DataRequired(_l("请填写课时名称。")),
            Length(max=bounds.MAX_LESSON_TITLE_CHARS, message=_l("课时名称最多 %(max)d 个字。")),
        ],
    )
