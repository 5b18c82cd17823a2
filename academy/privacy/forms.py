from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired

from academy.auth.forms import current_password_field


class EraseAccountForm(FlaskForm):
    password = current_password_field()
    understood = BooleanField(
        _l("我已了解：注销后无法恢复，也不能再用此账号登录"),
        validators=[DataRequired(_l("请勾选确认。"))],
    )
