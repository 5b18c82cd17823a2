"""Form fields the domains' forms share."""

from __future__ import annotations

from flask_babel import gettext as _
from wtforms import DecimalField
from wtforms.validators import StopValidation


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
