"""Login and registration forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请输入用户名。"))])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。"))])


class RegisterForm(FlaskForm):
    username = StringField(
        _l("用户名"), validators=[DataRequired(_l("请输入用户名。")), Length(3, 40)]
    )
    nickname = StringField(_l("昵称"), validators=[Length(0, 40)])
    password = PasswordField(
        _l("密码"), validators=[DataRequired(_l("请输入密码。")), Length(8, 128)]
    )
    confirm = PasswordField(
        _l("确认密码"), validators=[EqualTo("password", _l("两次输入的密码不一致。"))]
    )
