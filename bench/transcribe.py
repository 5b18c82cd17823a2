"""Real-time factor and peak memory of our transcribe() versus plain faster-whisper, on this host.

Both run the default Whisper base model on the CPU (int8) with the same decoding options
(academy.insights.transcribe.whisper_options); ours also probes the file, feeds faster-whisper
slices of at most 5.5 min and converts the script. Each runs in a fresh subprocess so that its
peak RSS (VmHWM) is its own; model load is timed apart from transcription. Runs of one kind
differ by up to a few seconds per minute of audio: a window that fails Whisper's checks is
decoded again by sampling, at random.
Usage: python bench/transcribe.py [MEDIA] [--runs N] [--threads N] [--instance DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from academy.config import ROOT  # noqa: E402

DEFAULT_MEDIA = ROOT / "academy" / "demo" / "media" / "client-communication.mp4"
KINDS = ("faster-whisper", "academy")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("media", nargs="?", type=Path, default=DEFAULT_MEDIA)
    parser.add_argument("--runs", type=int, default=1, help="fresh processes per kind (median)")
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--instance", type=Path, help="instance folder to keep the model in")
    parser.add_argument("--child", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.media, args.model_dir, args.threads)))
        return

    from academy.insights.model_store import ensure_whisper_model
    from academy.insights.transcribe import probe_media

    duration = probe_media(args.media).duration
    with tempfile.TemporaryDirectory(prefix="bench-transcribe-") as tmp:
        began = time.perf_counter()
        model_dir = ensure_whisper_model(args.instance or Path(tmp))
        prepared = time.perf_counter() - began
        results = {kind: [] for kind in KINDS}
        for _ in range(args.runs):
            for kind in KINDS:  # alternate, so drift in machine load hits both alike
                results[kind].append(run_child(kind, args.media, model_dir, args.threads))

    print(f"media: {args.media} ({duration:.1f} s of audio)")
    print(f"cpu threads: {args.threads}; runs per kind: {args.runs} (medians shown)")
    print(f"model join + sha256 check on first use: {prepared:.2f} s")
    header = f"{'':16}{'load s':>8}{'transcribe s':>14}{'RTF':>7}{'RSS loaded MB':>15}"
    print(header + f"{'peak RSS MB':>13}{'segments':>10}")
    for kind, rows in results.items():
        med = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
        print(
            f"{kind:16}{med['load_s']:8.2f}{med['transcribe_s']:14.2f}"
            f"{med['transcribe_s'] / duration:7.3f}{med['rss_loaded_mb']:15.0f}"
            f"{med['peak_rss_mb']:13.0f}{med['segments']:10.0f}"
        )


def run_child(kind: str, media: Path, model_dir: Path, threads: int) -> dict:
    """Measure one kind in a fresh interpreter and return its figures."""
    command = [sys.executable, __file__, str(media), "--child", kind]
    command += ["--model-dir", str(model_dir), "--threads", str(threads)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(kind: str, media: Path, model_dir: Path, threads: int) -> dict:
    """Load the model, then transcribe media fully; time both and read this process's memory."""
    from academy.insights import transcribe as ours

    began = time.perf_counter()
    if kind == "academy":
        ours.load_model(model_dir, device="cpu", compute_type="int8", cpu_threads=threads)
    else:
        from faster_whisper import WhisperModel

        model = WhisperModel(str(model_dir), device="cpu", compute_type="int8", cpu_threads=threads)
    loaded = time.perf_counter()
    rss_loaded = memory_mb("VmRSS")
    if kind == "academy":
        segments = ours.transcribe(
            media, model_dir=model_dir, device="cpu", compute_type="int8", cpu_threads=threads
        )
    else:
        options = ours.whisper_options(language="zh", script="simplified", glossary=())
        pieces, _ = model.transcribe(str(media), **options)
        segments = list(pieces)
    finished = time.perf_counter()
    return {
        "load_s": loaded - began,
        "transcribe_s": finished - loaded,
        "rss_loaded_mb": rss_loaded,
        "peak_rss_mb": memory_mb("VmHWM"),
        "segments": len(segments),
    }


def memory_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


if __name__ == "__main__":
    main()
