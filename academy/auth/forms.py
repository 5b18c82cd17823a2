"""Login, registration and password-change forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from academy.auth.passwords import MAX_LENGTH, MIN_LENGTH

#: password managers fill these in and may offer a strong password (ASVS 5.0 V6.2.7)
NEW_PASSWORD = {"autocomplete": "new-password"}


class LoginForm(FlaskForm):
    username = StringField(
        _l("用户名"),
        validators=[DataRequired(_l("请输入用户名。")), Length(max=40)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("密码"),
        validators=[DataRequired(_l("请输入密码。")), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("记住我（14 天内免登录）"))


class RegisterForm(FlaskForm):
    username = StringField(
        _l("用户名"),
        validators=[DataRequired(_l("请输入用户名。")), Length(3, 40)],
        render_kw={"autocomplete": "username"},
    )
    nickname = StringField(_l("昵称"), validators=[Length(0, 40)])
    password = PasswordField(
        _l("密码"),
        validators=[DataRequired(_l("请输入密码。")), Length(MIN_LENGTH, MAX_LENGTH)],
        render_kw=NEW_PASSWORD,
    )
    confirm = PasswordField(
        _l("确认密码"),
        validators=[EqualTo("password", _l("两次输入的密码不一致。"))],
        render_kw=NEW_PASSWORD,
    )


def current_password_field() -> PasswordField:
    """The owner's current password, asked again before a change that matters."""
    return PasswordField(
        _l("当前密码"),
        validators=[DataRequired(_l("请输入当前密码。")), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class PasswordChangeForm(FlaskForm):
    current_password = current_password_field()
    new_password = PasswordField(
        _l("新密码"),
        validators=[DataRequired(_l("请输入新密码。")), Length(MIN_LENGTH, MAX_LENGTH)],
        render_kw=NEW_PASSWORD,
    )
    confirm = PasswordField(
        _l("确认新密码"),
        validators=[EqualTo("new_password", _l("两次输入的密码不一致。"))],
        render_kw=NEW_PASSWORD,
    )


class ProfileForm(FlaskForm):
    """The profile page; the rules live in auth/profile.py, which sets errors on these fields."""

    nickname = StringField(_l("昵称"), render_kw={"autocomplete": "nickname", "maxlength": 40})
    real_name = StringField(_l("真实姓名"), render_kw={"autocomplete": "name", "maxlength": 40})
    birthday = StringField(_l("出生日期"), render_kw={"autocomplete": "bday", "min": "1900-01-01"})
    employer = StringField(
        _l("工作单位"), render_kw={"autocomplete": "organization", "maxlength": 100}
    )
    email = StringField(_l("电子邮箱"), render_kw={"autocomplete": "email", "maxlength": 120})
    phone = StringField(_l("手机号码"), render_kw={"autocomplete": "tel", "maxlength": 20})
