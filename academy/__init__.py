"""academy: continuing-education courses where a credit hour means a person really watched."""

from __future__ import annotations

from flask import Flask

from academy.config import ROOT, load_config
from academy.extensions import babel, csrf, db, limiter, login_manager
from academy.i18n import select_locale


def create_app(config: dict | None = None) -> Flask:
    """Build the application; `config` overrides the environment (tests)."""
    settings = load_config(config)
    app = Flask(
        __name__,
        instance_path=str(settings["INSTANCE_PATH"]),
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
    )
    app.config.update(settings)
    app.config["MEDIA_PATH"].mkdir(parents=True, exist_ok=True)
    register_operations(app)  # first: every request gets its id before anything logs
    register_request_bounds(app)  # its checks must run before CSRF reads a form
    register_extensions(app)
    register_security(app)
    register_jobs(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_operations(app: Flask) -> None:
    from academy import health, logs

    logs.init_app(app)
    app.register_blueprint(health.bp)


def register_request_bounds(app: Flask) -> None:
    from academy import request_bounds

    request_bounds.init_app(app)


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(ROOT / "academy" / "translations"),
    )
    login_manager.init_app(app)
    limiter.init_app(app)
    from academy.auth.views import init_login

    init_login(login_manager)


def register_security(app: Flask) -> None:
    from academy import headers

    headers.init_app(app)


def register_jobs(app: Flask) -> None:
    from academy import jobs
    from academy.commerce import tasks as _commerce_tasks  # noqa: F401  (registers with Huey)
    from academy.demo import tasks as _demo_tasks  # noqa: F401  (registers with Huey)
    from academy.documents import tasks as _document_tasks  # noqa: F401  (registers with Huey)
    from academy.insights import tasks  # noqa: F401  (registers the tasks with Huey)
    from academy.xapi import tasks as _xapi_tasks  # noqa: F401  (registers with Huey)

    jobs.init_app(app)


def register_blueprints(app: Flask) -> None:
    from academy.admin.views import bp as admin_bp
    from academy.api import bp as api_bp
    from academy.articles.views import bp as articles_bp
    from academy.auth.views import bp as auth_bp
    from academy.catalog.views import bp as catalog_bp
    from academy.commerce.sandbox_views import bp as sandbox_bp
    from academy.commerce.views import bp as commerce_bp
    from academy.community.views import bp as community_bp
    from academy.consult.views import bp as consult_bp
    from academy.credits.views import bp as credits_bp
    from academy.documents.views import bp as documents_bp
    from academy.learning.views import bp as learning_bp
    from academy.privacy.views import bp as privacy_bp
    from academy.search.views import bp as search_bp
    from academy.studio.views import bp as studio_bp

    for blueprint in (
        catalog_bp,
        auth_bp,
        learning_bp,
        credits_bp,
        commerce_bp,
        community_bp,
        consult_bp,
        documents_bp,
        privacy_bp,
        sandbox_bp,
        studio_bp,
        admin_bp,
        search_bp,
        articles_bp,
        api_bp,
    ):
        app.register_blueprint(blueprint)


def register_template_helpers(app: Flask) -> None:
    from academy import templating

    templating.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from academy import errorpages

    errorpages.init_app(app)


def register_commands(app: Flask) -> None:
    from academy import cli

    cli.init_app(app)
