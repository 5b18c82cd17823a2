"""Transcription with the real Whisper base model on the committed demo clip, and media probing."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from types import SimpleNamespace

import numpy as np
import pytest

from academy.config import ROOT
from academy.insights.model_store import resolve_model_dir
from academy.insights.transcribe import (
    NotMediaError,
    collect_segments,
    cut_points,
    load_model,
    probe_media,
    to_script,
    transcribe,
    whisper_options,
)
from academy.insights.types import Segment

CLIP = ROOT / "academy" / "demo" / "media" / "client-communication.mp4"
SPOKEN = (ROOT / "academy" / "demo" / "media" / "client-communication.txt").read_text()
CLIP_SECONDS = 41.4

# Character error rate of Whisper base (CPU, int8, 2 threads) on this clip with our settings,
# measured over 17 runs: 0.62 to 0.71 (median 0.65). Runs differ because a window that fails
# Whisper's checks is decoded again by sampling. espeak-ng's robotic Mandarin is far from what
# Whisper learnt from, so most errors are homophones (要点 -> 要电视, 风险 -> 分线); human
# lecturers do far better. The bound leaves 0.09 above the worst run for other CPUs, a GPU's
# float16 and other CTranslate2 builds, and still fails a broken pipeline: empty output, or the
# wrong language (language="en" or "ja" measured 1.00), scores near 1.
MAX_CER = 0.80


def ffmpeg(*args):
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args], check=True)


def characters(text):
    """Simplified text without punctuation or spaces, as CER is measured on."""
    return [ch for ch in to_script(text, "simplified") if unicodedata.category(ch)[0] not in "PZC"]


def edit_distance(a, b):
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        diagonal, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (x != y))
    return row[-1]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    """The default model, joined from its packages into a fresh instance folder."""
    return resolve_model_dir(None, tmp_path_factory.mktemp("instance"))


@pytest.fixture(scope="module")
def simplified(model_dir):
    """The clip transcribed in simplified Chinese, with the progress values reported."""
    reported = []
    segments = transcribe(CLIP, model_dir=model_dir, progress=reported.append)
    return segments, reported


def test_clip_is_transcribed_within_the_measured_error_rate(simplified):
    segments, _ = simplified
    spoken, heard = characters(SPOKEN), characters("".join(s.text for s in segments))

    assert edit_distance(spoken, heard) / len(spoken) < MAX_CER


def test_segments_are_time_ordered_and_within_the_clip(simplified):
    segments, _ = simplified

    assert segments
    for segment in segments:
        assert 0 <= segment.start < segment.end <= CLIP_SECONDS + 0.5
        assert segment.text == segment.text.strip() != ""
    for before, after in zip(segments, segments[1:], strict=False):
        assert before.end <= after.start


def test_segments_keep_whisper_s_signals_and_the_language_heard(simplified):
    segments, _ = simplified

    for segment in segments:
        assert segment.avg_logprob < 0 and 0 <= segment.no_speech_prob <= 1
        assert segment.compression_ratio > 0
        assert segment.language == "zh" and 0.5 < segment.language_probability <= 1


def test_output_is_simplified(simplified):
    text = "".join(s.text for s in simplified[0])

    assert to_script(text, "simplified") == text


def test_progress_rises_to_one(simplified):
    _, reported = simplified

    assert reported == sorted(reported)
    assert reported[0] > 0 and reported[-1] == 1.0


def test_traditional_script_yields_traditional(model_dir):
    # The whole clip again: cut short, Whisper base is less sure of espeak's first sentences and
    # re-decodes them at every fallback temperature, which takes longer than the 41 s clip.
    segments = transcribe(CLIP, model_dir=model_dir, script="traditional")
    text = "".join(s.text for s in segments)

    assert to_script(text, "traditional") == text
    assert to_script(text, "simplified") != text  # its 个, 过, 险 ... are written 個, 過, 險


def test_model_is_loaded_once_per_settings(model_dir):
    assert load_model(model_dir, device="cpu") is load_model(model_dir, device="cpu")


def test_glossary_becomes_hotwords_in_the_wanted_script():
    options = whisper_options(
        language="zh", script="traditional", glossary=["风险等级", " ", "理财"]
    )

    assert options["hotwords"] == "風險等級、理財"
    assert options["language"] == "zh" and options["vad_filter"]
    assert "hotwords" not in whisper_options(language="zh", script="simplified", glossary=[])


def piece(start, end, text):
    return SimpleNamespace(start=start, end=end, text=text)


def test_collected_segments_are_stripped_converted_and_rounded():
    pieces = [piece(0.0, 2.004, " 風險等級。 "), piece(2.004, 3.5, "  "), piece(3.5, 5.0, "好")]

    assert collect_segments(pieces, duration=5.0, script="simplified") == [
        Segment(0.0, 2.0, "风险等级。"),
        Segment(3.5, 5.0, "好"),
    ]


def test_a_looping_window_keeps_one_copy_of_each_line():
    lines = ["先和分线承受能力，", "要全程承受能力，"] * 4 + ["要全程承受能力。"]
    pieces = [piece(10.0 + i, 11.0 + i, line) for i, line in enumerate(["第二个要点"] + lines)]

    texts = [s.text for s in collect_segments(pieces, duration=30.0, script="simplified")]

    assert texts == ["第二个要点", "先和分线承受能力，", "要全程承受能力，"]


def test_segment_times_are_kept_in_order_and_within_the_audio():
    pieces = [
        piece(0.0, 4.0, "一"),
        piece(3.5, 6.0, "二"),
        piece(9.0, 12.0, "三"),
        piece(12, 13, "四"),
    ]

    segments = collect_segments(pieces, duration=10.0, script="simplified")

    assert [(s.start, s.end) for s in segments] == [(0.0, 4.0), (4.0, 6.0), (9.0, 10.0)]


def test_progress_is_reported_as_segments_arrive():
    reported = []
    pieces = [piece(0.0, 5.0, "一"), piece(5.0, 8.0, "二")]

    collect_segments(pieces, duration=10.0, script="simplified", progress=reported.append)

    assert reported == [0.5, 0.8, 1.0]


def test_long_audio_is_cut_in_its_pauses():
    sound = np.random.default_rng(0).standard_normal(16_000 * 1000).astype(np.float32)
    for pause in (290, 610, 905):
        sound[pause * 16_000 : (pause + 1) * 16_000] = 0

    assert [cut / 16_000 for cut in cut_points(sound)] == [290.2, 610.2, 905.2]
    assert cut_points(sound[: 16_000 * 320]) == []  # short enough for one slice


def test_to_script_converts_both_ways():
    assert to_script("風險承受能力", "simplified") == "风险承受能力"
    assert to_script("风险承受能力", "traditional") == "風險承受能力"


def test_unknown_script_is_refused(model_dir):
    with pytest.raises(ValueError, match="script"):
        transcribe(CLIP, model_dir=model_dir, script="pinyin")


def test_probe_reads_the_clip():
    info = probe_media(CLIP)

    assert info.duration == pytest.approx(CLIP_SECONDS, abs=0.1)
    assert info.has_audio and info.has_video
    assert "mp4" in info.format_name


def test_probe_refuses_a_text_file_named_mp4(tmp_path):
    fake = tmp_path / "lecture.mp4"
    fake.write_text("not a video, only text\n" * 100)

    with pytest.raises(NotMediaError, match="not a media file"):
        probe_media(fake)


def test_probe_refuses_a_video_without_sound(tmp_path):
    silent = tmp_path / "silent.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=c=navy:s=64x36:d=1", "-c:v", "libx264", str(silent))

    with pytest.raises(NotMediaError, match="no audio stream"):
        probe_media(silent)


def test_probe_reads_the_length_of_a_webm_without_duration(tmp_path):
    recorded = tmp_path / "recorded.webm"
    # Written to a pipe, like a MediaRecorder upload, the webm gets no duration or cues.
    ffmpeg_args = ["-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-c:a", "libopus"]
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    with recorded.open("wb") as out:
        subprocess.run(
            ["ffmpeg", "-v", "error", "-nostdin", *ffmpeg_args, "-f", "webm", "pipe:1"],
            stdout=out,
            check=True,
        )

    assert probe_media(recorded).duration == pytest.approx(3.0, abs=0.05)
    assert not probe_media(recorded).has_video
