"""Extension objects, created here and configured in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

from academy.db import Database

db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
#: storage from RATELIMIT_STORAGE_URI: memory by default, Redis when REDIS_URL is set
limiter = Limiter(key_func=get_remote_address)
talisman = Talisman()
