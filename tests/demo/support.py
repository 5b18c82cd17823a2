"""Loading the demo in tests: as `academy init --demo` does, without encoding any video."""

from __future__ import annotations

import shutil
from pathlib import Path

from academy.demo import loader, media
from academy.demo.lectures import LECTURES
from tests.factories import CLIP


def load_demo_with_the_clip(monkeypatch) -> list[str]:
    """Load the demo content with a copy of the committed 41 s clip standing in for every
    lecture (encoding twelve videos takes half a minute) and nothing queued for the
    transcription pipeline; returns what the command would print. Needs an app context."""

    def clip_for_every_lecture(media_dir: Path) -> dict[str, tuple[Path, float]]:
        seconds = media.probe_duration(CLIP)
        copies = {}
        for slug in LECTURES:
            target = Path(media_dir) / f"{slug}.mp4"
            shutil.copyfile(CLIP, target)
            copies[slug] = (target, seconds)
        return copies

    monkeypatch.setattr(media, "ensure_demo_media", clip_for_every_lecture)
    monkeypatch.setattr(loader, "_queue_demo_pipeline", lambda: 0)
    return list(loader.load_demo())
