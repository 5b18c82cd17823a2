"""Access decorators for views."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def role_required(*roles: str):
    """Only logged-in users with one of these roles; others get 403 (anonymous: log in first)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


admin_required = role_required("admin")
