"""Extension objects, created here and configured in create_app."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from academy.db import Database

db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
