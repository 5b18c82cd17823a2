"""The floor of bench/load.py's figures on this machine: the same locust users at the same rates
against a WSGI app that does nothing (no Flask, no database), served by gunicorn as production
mode serves academy (2 workers per core, 4 threads). Whatever latency this shows, the load
generator, gunicorn and the operating system add to every figure of bench/load.py; academy's own
cost is the difference.

    .venv/bin/python bench/floor.py --rates 100,250,500,1000 --seconds 20
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

HEARTBEAT = 2  # seconds between one user's requests, as bench/load.py's viewers


def app(environ, start_response):
    """The least a JSON endpoint can do."""
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
    return [b"{}"]


def serve(port: int, workers: int, threads: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--chdir",
            str(Path(__file__).resolve().parent),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
            "floor:app",
        ],  # fmt: skip
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    sys.exit("gunicorn did not start")


def measure(url: str, rate: int, seconds: int) -> dict:
    # Here, not at the top: gunicorn's workers import this module for `app`, and locust would
    # patch their standard library for gevent.
    import load

    Ceiling = load.ceiling_class(HEARTBEAT)
    Ceiling.host = url
    stats, elapsed = load.measure(Ceiling, rate * HEARTBEAT, 100, HEARTBEAT * 2, seconds)
    live = stats.get("livez", "GET")
    return {
        "served": live.num_requests / elapsed,
        "p50": live.get_response_time_percentile(0.50) or 0,
        "p95": live.get_response_time_percentile(0.95) or 0,
        "p99": live.get_response_time_percentile(0.99) or 0,
        "errors": live.num_failures,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rates", default="100,250,500,1000", help="requests a second")
    parser.add_argument("--seconds", type=int, default=20, help="measured time per step")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import load  # noqa: F401  (locust and its gevent patching, before any socket is made)

    cores = os.cpu_count() or 1
    from tests.conftest import free_port  # on the path once load is imported

    port = free_port()
    server = serve(port, workers=2 * cores, threads=4)
    try:
        print(f"do-nothing WSGI app, gunicorn {2 * cores} workers × 4 threads, users beat every "
              f"{HEARTBEAT} s")  # fmt: skip
        print(f"{'offered/s':>9} {'served/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
              f"{'errors':>6}")  # fmt: skip
        for rate in (int(r) for r in args.rates.split(",")):
            row = measure(f"http://127.0.0.1:{port}", rate, args.seconds)
            print(
                f"{rate:>9} {row['served']:>8.1f} {row['p50']:>7.0f} {row['p95']:>7.0f} "
                f"{row['p99']:>7.0f} {row['errors']:>6}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
