"""The admin's player settings: one row, read when a session starts, changed within bounds."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from academy.errors import Refusal
from academy.extensions import db
from academy.learning.models import PlayerSettings

#: the lowest and highest value the admin may set for each setting
SETTING_BOUNDS = {
    "max_rate_centi": (50, 300),
    "popups_per_50min": (0, 30),
    "min_popups_per_lesson": (1, 20),
    "heartbeat_seconds": (2, 30),
    "tolerance_ms": (0, 10000),
    "knowledge_checks": (0, 1),
    "wrong_answer_rewind_seconds": (0, 600),
}


def get_player_settings() -> PlayerSettings:
    """The admin's player settings; the defaults are written on first use."""
    settings = db.session.get(PlayerSettings, 1)
    if settings is None:
        settings = PlayerSettings(id=1)
        db.session.add(settings)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            settings = db.session.get(PlayerSettings, 1)
    return settings


def update_player_settings(values: dict[str, int]) -> PlayerSettings:
    """Change the player settings after checking each value is within its bounds."""
    settings = get_player_settings()
    for name, value in values.items():
        low, high = SETTING_BOUNDS[name]
        if not isinstance(value, int) or not low <= value <= high:
            raise Refusal(
                "invalid_setting",
                _("%(name)s 须在 %(low)d 到 %(high)d 之间。", name=name, low=low, high=high),
                422,
            )
    for name, value in values.items():
        setattr(settings, name, value)
    db.session.commit()
    return settings
