"""Admin forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from academy.formfields import FiniteDecimalField, decimal_places


class PlayerSettingsForm(FlaskForm):
    max_rate = FiniteDecimalField(
        _l("最高播放倍速"),
        places=2,
        validators=[
            InputRequired(_l("请填写。")),
            NumberRange(0.5, 3.0, _l("须在 0.5 到 3.0 之间。")),
            decimal_places(2),
        ],
    )
    popups_per_50min = IntegerField(
        _l("每 50 分钟弹窗数"),
        validators=[InputRequired(_l("请填写。")), NumberRange(0, 30, _l("须在 0 到 30 之间。"))],
    )
    min_popups_per_lesson = IntegerField(
        _l("每节课最少弹窗数"),
        validators=[InputRequired(_l("请填写。")), NumberRange(1, 20, _l("须在 1 到 20 之间。"))],
    )
    heartbeat_seconds = IntegerField(
        _l("进度上报间隔（秒）"),
        validators=[InputRequired(_l("请填写。")), NumberRange(2, 30, _l("须在 2 到 30 之间。"))],
    )
    knowledge_checks = BooleanField(_l("弹窗使用已发布的要点回顾题（答案只在服务器核对）"))
    wrong_answer_rewind_seconds = IntegerField(
        _l("答错后退回重看（秒）"),
        validators=[InputRequired(_l("请填写。")), NumberRange(0, 600, _l("须在 0 到 600 之间。"))],
    )
    tolerance_seconds = FiniteDecimalField(
        _l("网络抖动容差（秒）"),
        places=1,
        validators=[
            InputRequired(_l("请填写。")),
            NumberRange(0, 10, _l("须在 0 到 10 之间。")),
            decimal_places(1),
        ],
    )
