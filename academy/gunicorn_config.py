"""gunicorn settings for academy: `gunicorn -c python:academy.gunicorn_config wsgi:app`.

The command line adds bind, workers and threads; this file holds what every deployment wants.
"""

from academy import logs

#: a request may take this long; longer ones are cut (the player beats every few seconds)
timeout = 60
#: on SIGTERM, running requests get this long to finish before workers are stopped
graceful_timeout = 30
keepalive = 5


def post_worker_init(worker) -> None:
    """Each worker logs as the app's LOG_FORMAT says (JSON lines in production mode), and
    loads jieba's dictionaries before its first request: else the first search in each worker
    waits 1–2 s for them, and every other thread of that worker waits behind it."""
    from academy.insights.text.words import warm_up

    logs.configure(worker.wsgi)
    warm_up()
