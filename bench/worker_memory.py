"""How much memory one web worker holds: after the app is created (what gunicorn forks per
worker), and after it has served the pages and API calls a learner makes. Each worker of
`.ci/serve-production` (2 per core) holds this much, so it sets how many fit in a box's memory.

The database (SQLite, one course with a published transcript and a learner) is made by a child
process, so that nothing the seeding loads is counted; this process only creates the app and
serves. Usage: python bench/worker_memory.py [-v]   (-v: the figure after each request too)
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

#: libraries that take tens of MB each, and whether a web worker loaded them
HEAVY = ("pypinyin", "alipay", "reportlab", "faster_whisper", "ctranslate2", "numpy")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_app(folder: Path):
    from academy import create_app

    return create_app(
        {
            "INSTANCE_PATH": folder / "instance",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
            "MEDIA_PATH": folder / "media",
            "SECRET_KEY": "bench",
            "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
        }
    )


def seed(folder: Path) -> None:
    from academy.extensions import db
    from tests.factories import Factory

    app = make_app(folder)
    with app.app_context():
        db.create_all()
        make = Factory(app)
        course = make.course(title="反洗钱与客户尽职调查", lessons=[600_000])
        make.insight(course.lessons[0])
        make.user("learner1")


def main(verbose: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subprocess.run([sys.executable, __file__, "--seed", tmp], check=True)
        began = rss_mb()
        app = make_app(folder)
        created = rss_mb()
        from academy.insights.text.words import warm_up
        from tests.factories import ApiClient

        warm_up()  # as gunicorn's post_worker_init does (academy/gunicorn_config.py)
        warmed = rss_mb()

        pages = app.test_client()
        for url in ("/", "/categories/general", "/courses/1", "/search?q=尽职调查"):
            assert pages.get(url).status_code == 200, url
            if verbose:
                print(f"  after GET {url}: {rss_mb():.0f} MB")
        api = ApiClient(app, "learner1")
        api.enroll(1)
        status, start = api.start(1)
        assert status == 201, start
        api.beat(start["session"], 1, 0.0)  # refused as too soon or not: the same code runs
        served = rss_mb()
    print(f"python and this script: {began:.0f} MB")
    print(f"after create_app (what each gunicorn worker starts with): {created:.0f} MB")
    print(f"after warm_up (jieba and IDF tables, before the first request): {warmed:.0f} MB")
    print(f"after pages, search, a login, a lesson start and a beat: {served:.0f} MB")
    loaded = [name for name in HEAVY if name in sys.modules]
    print(f"heavy libraries the worker loaded: {', '.join(loaded) or 'none'}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--seed"]:
        seed(Path(sys.argv[2]))
    else:
        main(verbose="-v" in sys.argv[1:])
