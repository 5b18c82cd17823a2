"""Build demo lecture videos (espeak-ng Mandarin narration over Pillow slides) and covers."""

from __future__ import annotations

import argparse
import array
import math
import os
import re
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from pypinyin import Style, lazy_pinyin, load_phrases_dict

from .lectures import LECTURES, Slide, narration_text

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
PACKAGE_MEDIA = Path(__file__).with_name("media")
WIDTH, HEIGHT = 640, 360
FPS = 5
KEYINT = 2 * FPS  # a keyframe at least every 2 s keeps browser seeking cheap
LEAD_S = 0.2  # silence before each slide's narration
GAP_S = 0.5  # minimum pause after it

# Voice choice: in Debian's espeak-ng 1.51, `-v cmn` (Latin read as English)
# maps hanzi to pinyin and then reads it with English sounds and digit names
# (客 -> "ke four"), which no listener or recogniser takes for Mandarin.
# `cmn-latn-pinyin` reads tone-numbered pinyin as Mandarin; we feed it
# pypinyin's phrase-aware output, which also beats espeak's own hanzi lookup
# on polyphones (银行 hang2 not xing2, 重新 chong2, 了解 liao3).
VOICE = "cmn-latn-pinyin"
RATE_WPM = "165"  # slightly under espeak's default 175 for clearer syllables

# Static slides make the 2 s keyframes nearly the whole video size, so they are
# coded no finer than P-frames (ipratio=1) at a high CRF: text stays legible and
# the committed short clip stays under 400 KB.
ENCODE_ARGS = (
    "-c:v libx264 -profile:v main -preset veryslow -tune stillimage -crf 38"
    f" -x264-params ipratio=1.0 -r {FPS} -g {KEYINT} -keyint_min {KEYINT}"
    " -c:a aac -b:a 48k -ac 1 -movflags +faststart"
).split()

NAVY, GOLD, INK, MUTED, PAPER = "#1d3557", "#c9a227", "#1f2937", "#6b7280", "#f7f8fb"

# pypinyin's phrase data misreads these script terms (所得 as de5, 最长 as zhang3).
load_phrases_dict(
    {
        "所得": [["suǒ"], ["dé"]],
        "偏好": [["piān"], ["hào"]],
        "生子": [["shēng"], ["zǐ"]],
        "最长": [["zuì"], ["cháng"]],
    }
)

# Sentence-final marks become "." (long pause); others become "," (short pause).
_PAUSES = str.maketrans(
    {**dict.fromkeys("。！？；!?;…", " . "), **dict.fromkeys("，、：,:—", " , ")}
)
_NO_LINE_START = "，。、；：）”！？"


def _run(args: list[str]) -> str:
    """Run a tool, returning stdout; raise RuntimeError if missing or failing."""
    if shutil.which(args[0]) is None:
        raise RuntimeError(f"{args[0]} not found on PATH (Debian packages: espeak-ng, ffmpeg)")
    proc = subprocess.run(args, capture_output=True, text=True, errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")
    return proc.stdout


def to_pinyin(text: str) -> str:
    """Convert hanzi to tone-numbered pinyin, keeping punctuation as pauses."""
    syllables = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, tone_sandhi=True)
    spoken = " ".join(syllables).translate(_PAUSES)
    spoken = re.sub(r"[^\w,. ]", " ", spoken)  # drop quotes, brackets and other symbols
    return re.sub(r" ([,.])", r"\1", " ".join(spoken.split()))


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, size)


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    """Wrap CJK text per character, never starting a line with punctuation."""
    lines = [""]
    for ch in text:
        too_wide = draw.textlength(lines[-1] + ch, font=font) > width
        if too_wide and lines[-1] and ch not in _NO_LINE_START:
            lines.append("")
        lines[-1] += ch
    return lines


def render_slide(lecture_title: str, slide: Slide, index: int, total: int, out_path: Path) -> None:
    """Render one 640x360 slide PNG: title band, bullets and footer."""
    img = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, WIDTH, 72), fill=NAVY)
    d.rectangle((0, 72, WIDTH, 76), fill=GOLD)
    d.text((32, 36), slide["title"], font=_font(26), fill="white", anchor="lm")
    body, y = _font(21), 104
    for bullet in slide["bullets"]:
        d.rounded_rectangle((34, y + 8, 44, y + 18), radius=2, fill=GOLD)
        for line in _wrap(d, bullet, body, WIDTH - 100):
            d.text((60, y), line, font=body, fill=INK)
            y += 32
        y += 12
    small = _font(13)
    d.line((32, HEIGHT - 34, WIDTH - 32, HEIGHT - 34), fill="#d9dde5")
    d.text((32, HEIGHT - 18), lecture_title, font=small, fill=MUTED, anchor="lm")
    d.text((WIDTH - 32, HEIGHT - 18), f"{index} / {total}", font=small, fill=MUTED, anchor="rm")
    img.save(out_path, optimize=True)


def build_cover_image(title: str, subtitle: str, out_path: Path | str) -> None:
    """Render a 640x360 course cover PNG."""
    img = Image.new("RGB", (WIDTH, HEIGHT), NAVY)
    d = ImageDraw.Draw(img)
    # Diagonal navy-to-teal gradient, drawn as vertical bands (cheap, no numpy).
    for x in range(WIDTH):
        t = x / WIDTH
        d.line((x, 0, x, HEIGHT), fill=(int(29 + 10 * t), int(53 + 70 * t), int(87 + 50 * t)))
    d.ellipse((430, -120, 760, 210), outline="#4f7396", width=2)
    d.ellipse((480, 170, 700, 390), outline=GOLD, width=2)
    d.text((40, 40), "ACADEMY · 金融培训", font=_font(14), fill=GOLD)
    big, y = _font(34), 120
    lines = _wrap(d, title, big, WIDTH - 120)
    if len(lines) > 2:  # long titles get smaller type so the subtitle still fits
        big, y = _font(28), 100
        lines = _wrap(d, title, big, WIDTH - 120)
    for line in lines:
        d.text((40, y), line, font=big, fill="white")
        y += big.size + 12
    d.rectangle((40, y + 10, 100, y + 14), fill=GOLD)
    for line in _wrap(d, subtitle, _font(18), WIDTH - 120):
        d.text((40, y + 28), line, font=_font(18), fill="#dbe4f0")
        y += 26
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    img.save(out_path, optimize=True)


def probe_duration(path: Path | str) -> float:
    """Return a media file's container duration in seconds via ffprobe."""
    out = _run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)]
    )
    try:
        return float(out.strip())
    except ValueError:
        raise RuntimeError(f"ffprobe found no duration for {path}: {out.strip()!r}") from None


def _speak(text: str, wav: Path) -> tuple[array.array, int]:
    """Synthesize text; return its 16-bit mono samples, edge silence trimmed, and sample rate."""
    _run(["espeak-ng", "-v", VOICE, "-s", RATE_WPM, "-w", str(wav), to_pinyin(text)])
    with wave.open(str(wav)) as w:
        rate, samples = w.getframerate(), array.array("h", w.readframes(w.getnframes()))
    # espeak-ng appends ~0.3 s of silence; trim it so our own pauses are exact.
    loud = [i for i, v in enumerate(samples) if abs(v) > 200]
    if not loud:
        raise RuntimeError(f"espeak-ng produced silence for: {text[:30]}")
    return samples[loud[0] : loud[-1] + 1], rate


def _narrate(slides: list[Slide], tmp: Path) -> tuple[array.array, int, list[int]]:
    """Synthesize the slides' narration in tmp; (samples, sample rate, video frames per slide)."""
    audio, rate, frames_per_slide = array.array("h"), 22050, []
    for i, slide in enumerate(slides, 1):
        speech, rate = _speak(slide["narration"], tmp / f"{i:02d}.wav")
        # Round each slide up to whole video frames and pad the audio to
        # match exactly, so slide changes stay in sync with the narration.
        n_frames = math.ceil((LEAD_S + len(speech) / rate + GAP_S) * FPS)
        lead, total = round(LEAD_S * rate), round(n_frames / FPS * rate)
        audio += array.array("h", bytes(2 * lead)) + speech
        audio += array.array("h", bytes(2 * (total - lead - len(speech))))
        frames_per_slide.append(n_frames)
    return audio, rate, frames_per_slide


def spoken_seconds(slug: str) -> float:
    """How long the lecture's video will be, from its narration alone (no video is encoded)."""
    with tempfile.TemporaryDirectory(prefix=f"narration-{slug}-") as tmp_name:
        _audio, _rate, frames_per_slide = _narrate(LECTURES[slug]["slides"], Path(tmp_name))
    return sum(frames_per_slide) / FPS


def build_lecture_video(slug: str, out_path: Path) -> float:
    """Build the lecture's H.264/AAC MP4 at out_path and return its duration in seconds."""
    lecture = LECTURES[slug]
    slides = lecture["slides"]
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"lecture-{slug}-") as tmp_name:
        tmp = Path(tmp_name)
        for i, slide in enumerate(slides, 1):
            render_slide(lecture["title"], slide, i, len(slides), tmp / f"{i:02d}.png")
        audio, rate, frames_per_slide = _narrate(slides, tmp)
        with wave.open(str(tmp / "narration.wav"), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(audio.tobytes())

        args = ["ffmpeg", "-hide_banner", "-nostdin", "-y"]
        for i in range(1, len(slides) + 1):
            args += ["-loop", "1", "-framerate", str(FPS), "-i", str(tmp / f"{i:02d}.png")]
        args += ["-i", str(tmp / "narration.wav")]
        chains = [
            f"[{i}:v]trim=end_frame={n},setpts=PTS-STARTPTS[v{i}]"
            for i, n in enumerate(frames_per_slide)
        ]
        concat = "".join(f"[v{i}]" for i in range(len(slides)))
        args += [
            "-filter_complex",
            ";".join(chains) + f";{concat}concat=n={len(slides)}:v=1:a=0,format=yuv420p[v]",
            "-map",
            "[v]",
            "-map",
            f"{len(slides)}:a",
            *ENCODE_ARGS,
            "-metadata",
            f"title={lecture['title']}",
        ]
        # Encode next to the target, then rename: readers never see a partial file.
        part = out_path.with_name(f".{out_path.stem}.{os.getpid()}.part.mp4")
        try:
            _run(args + [str(part)])
            os.replace(part, out_path)
        finally:
            part.unlink(missing_ok=True)
    return probe_duration(out_path)


def ensure_demo_media(media_dir: Path) -> dict[str, tuple[Path, float]]:
    """Copy committed, else build missing, lecture videos into media_dir; slug -> (path, s)."""
    media_dir = Path(media_dir)
    media_dir.mkdir(parents=True, exist_ok=True)
    result: dict[str, tuple[Path, float]] = {}
    for slug in LECTURES:
        dest, committed = media_dir / f"{slug}.mp4", PACKAGE_MEDIA / f"{slug}.mp4"
        if committed.is_file():
            if not dest.is_file() or dest.stat().st_size != committed.stat().st_size:
                part = dest.with_name(f".{dest.name}.{os.getpid()}.part")
                shutil.copyfile(committed, part)
                os.replace(part, dest)
        elif not dest.is_file():
            build_lecture_video(slug, dest)
        result[slug] = (dest, probe_duration(dest))
    return result


def main(argv: list[str] | None = None) -> None:
    """CLI: build lecture videos and their narration scripts into OUTDIR."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--slug", choices=sorted(LECTURES), help="build only this lecture")
    ns = parser.parse_args(argv)
    for slug in [ns.slug] if ns.slug else list(LECTURES):
        mp4 = ns.outdir / f"{slug}.mp4"
        seconds = build_lecture_video(slug, mp4)
        (ns.outdir / f"{slug}.txt").write_text(narration_text(slug), encoding="utf-8")
        print(f"{slug}: {seconds:.2f} s, {mp4.stat().st_size / 1024:.0f} KiB -> {mp4}")


if __name__ == "__main__":
    main()
