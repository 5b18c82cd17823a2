"""gunicorn settings for academy: `gunicorn -c python:academy.gunicorn_config wsgi:app`.

The command line adds bind, workers and threads; this file holds what every deployment wants.
"""

import gc

from academy import logs

#: a request may take this long; longer ones are cut (the player beats every few seconds)
timeout = 60
#: on SIGTERM, running requests get this long to finish before workers are stopped
graceful_timeout = 30
keepalive = 5
#: the app and jieba's dictionaries (~150 MB) are loaded once in the master and shared by the
#: forked workers' memory pages, instead of once per worker (bench/worker_memory.py --gunicorn).
#: Code changes then need a restart, not a HUP.
preload_app = True


def when_ready(server) -> None:
    """In the master, after the app is loaded and before any worker is forked: load jieba's
    dictionaries, then move everything loaded so far out of the garbage collector's sight, so
    that its passes in a worker do not write to (and so copy) the pages the workers share."""
    from academy.insights.text.words import warm_up

    _warn_if_limits_are_per_process(server)
    warm_up()
    gc.freeze()


def _warn_if_limits_are_per_process(server) -> None:
    """Rate limits and the login throttle count in process memory without Redis: with several
    workers a guesser gets each worker's allowance (docs/security.md)."""
    if server.cfg.workers <= 1:
        return
    storage = server.app.wsgi().config["RATELIMIT_STORAGE_URI"]
    if storage.startswith("memory://"):
        server.log.warning(
            "%d workers without REDIS_URL: rate limits and the login throttle count per "
            "process, so each worker allows the full limit; set REDIS_URL or use --workers 1",
            server.cfg.workers,
        )


def post_fork(server, worker) -> None:
    """A worker must not use database connections its master opened (none are, but a future
    start-up query would leave one in the pool): drop them without closing the master's."""
    app = worker.app.wsgi()
    with app.app_context():
        from academy.extensions import db

        db.engine.dispose(close=False)


def post_worker_init(worker) -> None:
    """Each worker logs as the app's LOG_FORMAT says (JSON lines in production mode), and has
    jieba's dictionaries before its first request (shared from the master: warm_up is then a
    no-op; else the first search in each worker would wait 1–2 s, its other threads behind)."""
    from academy.insights.text.words import warm_up

    logs.configure(worker.wsgi)
    warm_up()
