"""The admin's plan form (yuan and hours on screen; fen and hundredths stored)."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

from academy.formfields import FiniteDecimalField, decimal_places


class PlanForm(FlaskForm):
    name = StringField(
        _l("方案名称"),
        validators=[InputRequired(_l("请填写。")), Length(max=60, message=_l("最多 60 个字。"))],
    )
    price = FiniteDecimalField(
        _l("价格（元）"),
        places=2,
        validators=[
            InputRequired(_l("请填写。")),
            NumberRange(0, 100000, _l("须在 0 到 100000 元之间。")),
            decimal_places(2),
        ],
    )
    days = IntegerField(
        _l("有效天数"),
        validators=[
            InputRequired(_l("请填写。")),
            NumberRange(1, 3650, _l("须在 1 到 3650 天之间。")),
        ],
    )
    discount_percent = IntegerField(
        _l("会员购课折扣（减免 %）"),
        default=0,
        validators=[InputRequired(_l("请填写。")), NumberRange(0, 100, _l("须在 0 到 100 之间。"))],
    )
    quota_hours = FiniteDecimalField(
        _l("会员学时额度（学时/期）"),
        places=2,
        default=Decimal(25),
        validators=[
            InputRequired(_l("请填写。")),
            NumberRange(0, 1000, _l("须在 0 到 1000 之间。")),
            decimal_places(2),
        ],
    )
    active = BooleanField(_l("在售"), default=True)

    def values(self) -> dict:
        """The service's values: fen and hundredths of an hour."""
        return {
            "name": self.name.data,
            "price_fen": int(self.price.data * 100),
            "days": self.days.data,
            "discount_percent": self.discount_percent.data,
            "quota_centihours": int(self.quota_hours.data * 100),
            "active": bool(self.active.data),
        }
