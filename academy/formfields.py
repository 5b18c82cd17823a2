"""Form fields the domains' forms share."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DecimalField
from wtforms.validators import StopValidation, ValidationError

_PLACES_MESSAGES = {1: _l("最多一位小数。"), 2: _l("最多两位小数。")}


def decimal_places(places: int):
    """A validator: at most `places` decimals (money in fen, hours in hundredths, seconds in
    tenths); more is refused, never cut, as 0.005 yuan cut to 0.00 would make a course free."""

    def check(form, field) -> None:
        if field.data is not None and _places(field.data) > places:
            raise ValidationError(_PLACES_MESSAGES[places])

    return check


def _places(number) -> int:
    """Decimals a finite Decimal has, trailing zeros aside (1.250 has two), read from its digits:
    arithmetic on 1e999999 would overflow the context."""
    sign, digits, exponent = number.as_tuple()
    while digits and digits[-1] == 0 and exponent < 0:
        digits, exponent = digits[:-1], exponent + 1
    return max(0, -exponent)


class FiniteDecimalField(DecimalField):
    """A DecimalField that refuses NaN, sNaN and infinities, which Decimal parses happily.

    WTForms' NumberRange raises on sNaN (math.isnan cannot convert it: a 500), and no form here
    asks for a number that is not finite; so they are refused while parsing, with one message.
    """

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        # without a value in the post, data is the form's default, which may be a float
        if valuelist and self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(_("请填写一个有效的数字。"))

    def pre_validate(self, form):
        # Text that is no number: a range has nothing to add (empty is left to InputRequired).
        if self.process_errors and self.raw_data and self.raw_data[0].strip():
            raise StopValidation()
