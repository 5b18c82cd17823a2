"""How much memory the web tier holds.

In process (the default): one worker's memory after the app is created, after warm_up (jieba's
dictionaries, as gunicorn's post_worker_init loads them) and after the pages and API calls a
learner makes.

With `--gunicorn N`: N gunicorn workers as production mode runs them (academy.gunicorn_config),
each sent the same requests, then every worker's resident memory (RSS), its proportional share
of pages shared with the others (PSS) and what is its own (private), from /proc/PID/smaps_rollup,
with the app preloaded in the master (the setting) and, for comparison, loaded by each worker.

The database (SQLite, a course with a published transcript and a learner) is made by a child
process, so nothing the seeding loads is counted.
Usage: python bench/worker_memory.py [-v] [--gunicorn N]
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: libraries that take tens of MB each, and whether a web worker loaded them
HEAVY = ("pypinyin", "alipay", "reportlab", "faster_whisper", "ctranslate2", "numpy")
PAGES = ("/", "/categories/general", "/courses/1", "/search?q=尽职调查")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def environment(folder: Path) -> dict[str, str]:
    """The settings of the app under test: its own instance folder (SQLite, media)."""
    return {**os.environ, "ACADEMY_INSTANCE": str(folder / "instance"), "SECRET_KEY": "bench"}


def seed() -> None:
    """Run in a child with environment(): the database, a course with a transcript, a learner."""
    from academy import create_app
    from academy.extensions import db
    from academy.search import services as search
    from tests.factories import Factory

    app = create_app({"ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1}})
    with app.app_context():
        db.create_all()
        make = Factory(app)
        course = make.course(title="反洗钱与客户尽职调查", lessons=[600_000])
        make.insight(course.lessons[0])
        make.user("learner1")
        search.reindex_all()  # so the bench's search finds the course, as a real one would


def seeded(folder: Path) -> None:
    subprocess.run(
        [sys.executable, __file__, "--seed"], check=True, env=environment(folder), cwd=ROOT
    )


def in_process(folder: Path, verbose: bool) -> None:
    seeded(folder)
    os.environ.update(environment(folder))
    began = rss_mb()
    from academy import create_app
    from academy.insights.text.words import warm_up
    from tests.factories import ApiClient

    app = create_app()
    created = rss_mb()
    warm_up()  # as gunicorn's post_worker_init does (academy/gunicorn_config.py)
    warmed = rss_mb()
    pages = app.test_client()
    for url in PAGES:
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
    print(f"after create_app: {created:.0f} MB")
    print(f"after warm_up (jieba and IDF tables, before the first request): {warmed:.0f} MB")
    print(f"after pages, search, a login, a lesson start and a beat: {served:.0f} MB")
    loaded = [name for name in HEAVY if name in sys.modules]
    print(f"heavy libraries the worker loaded: {', '.join(loaded) or 'none'}")


def smaps_mb(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) / 1024
    return {
        "rss": fields["Rss"],
        "pss": fields["Pss"],
        "private": fields["Private_Clean"] + fields["Private_Dirty"],
    }


def under_gunicorn(folder: Path, workers: int, preload: bool) -> dict[str, float]:
    """Start gunicorn, send every page to it workers x 10 times, measure each worker, stop."""
    config = folder / f"gunicorn_{'preload' if preload else 'each'}.py"
    # not preloaded: as before preloading, the master loads nothing either (no when_ready)
    unloaded = "" if preload else "\n\ndef when_ready(server):\n    pass\n"
    config.write_text(
        f"from academy.gunicorn_config import *  # noqa\npreload_app = {preload}\n{unloaded}"
    )
    from tests.conftest import free_port

    port = free_port()
    master = subprocess.Popen(
        [ROOT / ".venv/bin/gunicorn", "-c", f"python:{config.stem}", "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers), "--threads", "4", "wsgi:app"],
        cwd=ROOT, env={**environment(folder), "PYTHONPATH": f"{folder}:{ROOT}"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/livez", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for _ in range(10 * workers):
            for url in PAGES:
                quoted = urllib.parse.quote(url, safe="/?=")
                urllib.request.urlopen(base + quoted, timeout=30).read()
        children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
        each = [smaps_mb(int(pid)) for pid in children]
        own = smaps_mb(master.pid)
    finally:
        master.send_signal(signal.SIGTERM)
        master.wait(timeout=60)
    return {
        "rss": sum(e["rss"] for e in each) / len(each),
        "pss": sum(e["pss"] for e in each) / len(each),
        "private": sum(e["private"] for e in each) / len(each),
        "total_pss": sum(e["pss"] for e in each) + own["pss"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-v", action="store_true", help="in process: the figure after each page")
    parser.add_argument("--gunicorn", type=int, metavar="N", help="measure N gunicorn workers")
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed()
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if not args.gunicorn:
            in_process(folder, args.v)
            return
        seeded(folder)
        print(f"{args.gunicorn} gunicorn workers × 4 threads, after every page 10 × per worker")
        print(
            f"{'app loaded':22} {'RSS/worker':>10} {'PSS/worker':>10} {'private':>8} {'all PSS':>8}"
        )
        for preload, label in ((True, "once, in the master"), (False, "by each worker")):
            row = under_gunicorn(folder, args.gunicorn, preload)
            print(
                f"{label:22} {row['rss']:>7.0f} MB {row['pss']:>7.0f} MB "
                f"{row['private']:>5.0f} MB {row['total_pss']:>5.0f} MB"
            )


if __name__ == "__main__":
    main()
