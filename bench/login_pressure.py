"""Does a flood of wrong passwords still slow other people down? Over HTTP, against gunicorn.

Starts the app on gunicorn (2 workers x 4 threads without Redis, so each worker counts its own
login throttle; production argon2 settings) on a free loopback port with a throwaway instance, then:
  1. times logins for a real name and an unknown name (wrong password both), medians;
  2. measures GET /api/v1/courses alone, then while 16 threads send wrong passwords for
     `--seconds`, and prints the catalog's latency figures and how the login attempts were
     answered (401 = a hash was computed, 429 = refused before hashing).
Usage: python bench/login_pressure.py [--seconds 20]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(url: str, body: dict | None = None) -> tuple[int, float]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if body is not None else {}
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers), timeout=30) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - started


def catalog_latencies(base: str, seconds: float) -> list[float]:
    out, until = [], time.perf_counter() + seconds
    while time.perf_counter() < until:
        out.append(request(f"{base}/api/v1/courses")[1])
        time.sleep(0.05)
    return out


def figures(label: str, samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[int(len(ms) * 0.95) - 1]
    median = statistics.median(ms)
    return f"{label}: n={len(ms)} median {median:.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms"


def main(seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ACADEMY_INSTANCE": tmp, "SECRET_KEY": "bench"}
        env.pop("REDIS_URL", None)
        flask = [str(VENV_BIN / "flask"), "--app", "wsgi", "academy"]
        subprocess.run([*flask, "init"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run(
            [*flask, "create-user", "realname", "--password", "a-long-real-password-9"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        port = free_port()
        server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    request(f"{base}/api/v1/courses")
                    break
                except OSError:
                    time.sleep(0.1)
            login = f"{base}/api/v1/auth/login"
            # Two names, few attempts each (below the per-account limit), alternating, after
            # warming both workers up (each makes its dummy hash once)
            for i in range(4):
                request(login, {"username": f"warm{i}", "password": "x"})
            real, unknown = [], []
            for i in range(4):
                real.append(request(login, {"username": "realname", "password": f"x{i}"})[1])
                unknown.append(request(login, {"username": f"ghost{i}", "password": "x"})[1])
            print(figures("login, real name, wrong password", real))
            print(figures("login, unknown name", unknown))

            print(figures("catalog alone", catalog_latencies(base, 5)))
            answers: Counter[int] = Counter()
            stop = threading.Event()

            def attacker(n: int) -> None:
                i = 0
                while not stop.is_set():
                    status, _ = request(login, {"username": f"victim{n}-{i}", "password": "x"})
                    answers[status] += 1
                    i += 1

            threads = [threading.Thread(target=attacker, args=(n,)) for n in range(16)]
            for thread in threads:
                thread.start()
            under_attack = catalog_latencies(base, seconds)
            stop.set()
            for thread in threads:
                thread.join()
            print(
                figures(
                    f"catalog during 16 threads of wrong logins ({seconds:.0f} s)", under_attack
                )
            )
            print(f"login attempts answered: {dict(sorted(answers.items()))}")
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    main(parser.parse_args().seconds)
