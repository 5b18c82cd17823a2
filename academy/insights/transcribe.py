"""Lecture speech to timed text: faster-whisper on a local model, output in one Chinese script."""

from __future__ import annotations

import ctypes
import dataclasses
import functools
import gc
import itertools
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import av
import numpy as np
import opencc

from .types import Segment

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

# We only ever pass local folders, but a missing tokenizer.json or a model name slipping through
# would make faster-whisper fetch from the Hub; offline makes that fail fast instead of hanging.
# Set before faster_whisper (and so huggingface_hub) is first imported, which reads it once.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

SCRIPTS = {"simplified": "t2s", "traditional": "s2t"}
SAMPLE_RATE = 16_000  # what Whisper listens at
#: longest stretch of audio given to faster-whisper at once (see cut_points)
SLICE_SECONDS = 300.0
#: how far from SLICE_SECONDS a cut may move to find a pause
SEARCH_SECONDS = 30.0
#: seconds of sound decoded before they are resampled: fewer, larger resampler calls (faster-
#: whisper's decode_audio groups 500,000 samples, 10 s at 48 kHz but a minute at 8 kHz)
DECODE_GROUP_SECONDS = 10
#: Whisper's own default; greedy decoding (1) took a third less time but was no more accurate
BEAM_SIZE = 5
#: seconds of speech of each slice the language is detected on (one Whisper window)
LANGUAGE_SECONDS = 30
#: what a segment may end with and still be the same line as another
_TRAILING_MARKS = "，。、,.!?！？；;：: "

_models: dict[tuple, WhisperModel] = {}
_models_lock = threading.Lock()


class NotMediaError(ValueError):
    """The file is not audio or video we can decode, or has no sound."""


class MediaTooLongError(ValueError):
    """The file holds more sound than the longest lecture we accept."""


@dataclass(frozen=True)
class MediaInfo:
    """What a media file holds: its length in seconds and which kinds of streams."""

    duration: float
    has_audio: bool
    has_video: bool
    format_name: str


@dataclass(frozen=True)
class Heard:
    """What transcription found: Whisper's lines, and where the voice detector heard speech."""

    segments: list[Segment]
    #: (start, end) seconds of speech found by Silero VAD, the detector Whisper itself listens
    #: through: speech no line covers was dropped by Whisper (confidence.missed_speech)
    speech: list[tuple[float, float]]


def transcribe(media_path: Path, **options: Any) -> list[Segment]:
    """Transcribe a lecture's audio into time-ordered segments (listen() without the speech)."""
    return listen(media_path, **options).segments


def listen(
    media_path: Path,
    *,
    model_dir: Path,
    language: str = "zh",
    script: str = "simplified",
    glossary: Sequence[str] = (),
    device: str = "auto",
    compute_type: str | None = None,
    progress: Callable[[float], None] | None = None,
    cpu_threads: int = 0,
    max_seconds: float | None = None,
) -> Heard:
    """Transcribe a lecture's audio into time-ordered segments written in the given script, and
    find where speech was heard."""
    # Decoded as it is transcribed, a slice at a time: memory stays the same for any length, and
    # past max_seconds of sound (whatever the header claimed) it stops with MediaTooLongError.
    if script not in SCRIPTS:
        raise ValueError(f"script must be one of {sorted(SCRIPTS)}, not {script!r}")
    # A clear NotMediaError now rather than a decoder error later.
    info = probe_media(media_path, max_seconds=max_seconds)
    if max_seconds is not None and info.duration > max_seconds:
        raise MediaTooLongError(f"{Path(media_path).name} lasts {info.duration:.0f} s")
    model = load_model(model_dir, device=device, compute_type=compute_type, cpu_threads=cpu_threads)
    options = whisper_options(language=language, script=script, glossary=glossary)
    slices = audio_slices(decode_audio(media_path, max_seconds=max_seconds))
    speech: list[tuple[float, float]] = []
    # Segments end where the probe says the media ends: the lesson's duration, and the player's.
    segments = collect_segments(
        _transcribe_slices(model, slices, options, speech),
        duration=info.duration,
        script=script,
        progress=progress,
    )
    return Heard(segments, speech)


def _seconds(sample: int) -> float:
    return round(sample / SAMPLE_RATE, 2)


def _transcribe_slices(
    model: WhisperModel,
    slices: Iterable[tuple[int, np.ndarray]],
    options: dict,
    speech: list[tuple[float, float]],
) -> Iterator[Segment]:
    """Whisper's segments for each (first sample, audio) slice, timed from the start, each with
    Whisper's signals and the language detected in its slice; each slice's speech (seconds from
    the start) is added to `speech` as it is found."""
    from faster_whisper.vad import get_speech_timestamps

    for begin, audio in slices:
        # The same detector with the same options as Whisper's vad_filter: the same stretches.
        chunks = get_speech_timestamps(audio)
        speech.extend(
            (_seconds(begin + chunk["start"]), _seconds(begin + chunk["end"])) for chunk in chunks
        )
        language, probability = detect_language(model, audio, chunks)
        pieces, _ = model.transcribe(audio, **options)
        offset = begin / SAMPLE_RATE
        for piece in pieces:  # a generator: decoding happens as we iterate
            signals = {
                name: round(getattr(piece, name), 3)
                for name in ("avg_logprob", "no_speech_prob", "compression_ratio")
                if getattr(piece, name, None) is not None
            }
            yield Segment(
                piece.start + offset,
                piece.end + offset,
                piece.text,
                **signals,
                language=language,
                language_probability=probability,
            )


def detect_language(
    model: WhisperModel, audio: np.ndarray, speech: list[dict] | None = None
) -> tuple[str | None, float | None]:
    """The language spoken in a slice and Whisper's probability for it; (None, None) when the
    slice holds no speech at all. `speech`: the slice's VAD chunks, when already found."""
    # We transcribe in the course's language whatever is spoken (Whisper then writes Spanish
    # speech as Spanish words, or as figures: 第462-2-2-3), so the language is detected apart,
    # on the first LANGUAGE_SECONDS of speech: the slice's silences and noise cut out first, as
    # detection on noise names a language too (nn 0.44 for pink noise). Per 5-minute slice this
    # costs one more pass of Silero VAD (0.5-1.5 s on two CPU cores) and one encoder pass
    # (about 1 s), against minutes of transcription.
    if speech is None:
        from faster_whisper.vad import get_speech_timestamps

        speech = get_speech_timestamps(audio)
    if not speech:
        return None, None
    voiced = np.concatenate([audio[chunk["start"] : chunk["end"]] for chunk in speech])
    language, probability, _ = model.detect_language(voiced[: int(LANGUAGE_SECONDS * SAMPLE_RATE)])
    return language, round(float(probability), 3)


def decode_audio(media_path: Path, *, max_seconds: float | None = None) -> Iterator[np.ndarray]:
    """The first audio stream as 16 kHz mono float32, ten seconds at a time, as it is decoded."""
    # faster-whisper's own decode_audio returns the whole file at once: transcribing 10 hours of
    # silence (a 2.3 MB AAC file) peaked at 5,747 MB that way, 483 MB this way; bench/transcribe.py.
    # Past max_seconds of sound it stops with MediaTooLongError, whatever the header claimed.
    limit = None if max_seconds is None else int(max_seconds * SAMPLE_RATE)
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    decoded = 0
    try:
        with av.open(str(media_path), metadata_errors="ignore") as container:
            for group in itertools.chain(_grouped(_decodable(container.decode(audio=0))), [None]):
                for frame in resampler.resample(group):  # None flushes the resampler
                    samples = frame.to_ndarray().reshape(-1).astype(np.float32) / 32768.0
                    decoded += len(samples)
                    if limit is not None and decoded > limit:
                        raise MediaTooLongError(
                            f"{Path(media_path).name} holds more than {max_seconds:.0f} s of sound"
                        )
                    yield samples
    finally:
        # PyAV frees some resampler objects only when the garbage collector runs
        # (faster-whisper #390); a worker decodes file after file.
        del resampler
        gc.collect()


def _decodable(frames: Iterator[av.AudioFrame]) -> Iterator[av.AudioFrame]:
    """The frames, skipping any the decoder calls invalid (as faster-whisper does)."""
    while True:
        try:
            yield next(frames)
        except StopIteration:
            return
        except av.error.InvalidDataError:
            continue


def _grouped(frames: Iterable[av.AudioFrame]) -> Iterator[av.AudioFrame]:
    """The frames joined into frames of about DECODE_GROUP_SECONDS."""
    fifo = av.AudioFifo()
    for frame in frames:
        frame.pts = None  # the FIFO checks timestamps run on; a gap would stop it
        fifo.write(frame)
        if fifo.samples >= DECODE_GROUP_SECONDS * frame.sample_rate:
            yield fifo.read()
    if fifo.samples:
        yield fifo.read()


def audio_slices(
    chunks: Iterable[np.ndarray], every: float = SLICE_SECONDS, search: float = SEARCH_SECONDS
) -> Iterator[tuple[int, np.ndarray]]:
    """(first sample, audio) of the slices cut_points would make, from audio arriving in chunks."""
    # At most about one slice and one chunk are held at once, whatever the length of the whole.
    frame = SAMPLE_RATE // 10
    # A cut needs the quiet of the half second around it: two frames beyond the search window.
    needed = round((every + search) * 10 + 2) * frame
    held: np.ndarray = np.zeros(0, dtype=np.float32)
    pending: list[np.ndarray] = []
    pending_samples, begin = 0, 0
    for chunk in chunks:
        pending.append(chunk)
        pending_samples += len(chunk)
        if len(held) + pending_samples <= needed:
            continue
        held = np.concatenate([held, *pending])
        pending, pending_samples = [], 0
        while len(held) > needed:
            cut = _next_cut(held, every, search)
            yield begin, held[:cut]
            begin += cut
            held = held[cut:].copy()  # a view would keep the whole buffer alive
    held = np.concatenate([held, *pending])
    while (cut := _next_cut(held, every, search)) is not None:
        yield begin, held[:cut]
        begin += cut
        held = held[cut:]
    if len(held):
        yield begin, held


def cut_points(
    audio: np.ndarray, every: float = SLICE_SECONDS, search: float = SEARCH_SECONDS
) -> list[int]:
    """Sample indices about every `every` seconds, each at the quietest half second nearby."""
    # faster-whisper turns its whole input into one spectrogram at once: peak RSS was 490 MB
    # for 41 s and 980 MB for 12 min (about 3 GB for an hour); in slices, 760 MB for 12 min.
    # Without the previous window's text as prompt, a cut in a pause is no worse than one of
    # Whisper's own 30 s window boundaries.
    cuts, at = [], 0
    while (cut := _next_cut(audio[at:], every, search)) is not None:
        at += cut
        cuts.append(at)
    return cuts


def _next_cut(audio: np.ndarray, every: float, search: float) -> int | None:
    """Where a slice from audio[0] ends: its quietest half second near `every`; None if all fits."""
    frame = SAMPLE_RATE // 10
    whole = len(audio) // frame
    if whole / 10 <= every + search:
        return None
    low, high = round((every - search) * 10), round((every + search) * 10)
    # Energy of 0.1 s frames, from two frames before the window to two after (where they exist),
    # so the half-second sums inside the window are the same as over the whole audio.
    first, last = max(0, low - 2), min(whole, high + 2)
    frames = audio[first * frame : last * frame].reshape(-1, frame)
    energy = np.einsum("ij,ij->i", frames, frames)  # no squared copy of the audio
    quiet = np.convolve(energy, np.ones(5), mode="same")  # over half a second
    return (low + int(np.argmin(quiet[low - first : high - first]))) * frame


def collect_segments(
    pieces: Iterable[Any],
    *,
    duration: float,
    script: str,
    progress: Callable[[float], None] | None = None,
) -> list[Segment]:
    """Whisper's segments as ours: stripped, in script, in time order, loops and blanks dropped."""
    segments: list[Segment] = []
    recent: deque[str] = deque(maxlen=2)
    limit = round(duration, 2)
    done = 0.0
    for piece in pieces:  # from faster-whisper a generator: decoding happens as we iterate
        text = to_script(piece.text.strip(), script)
        line = text.rstrip(_TRAILING_MARKS)
        start = max(round(piece.start, 2), segments[-1].end if segments else 0.0)
        # A window Whisper fails on may repeat one or two lines until it ends, even timed past
        # the end of the audio; a line right after itself (or after the line before it) is
        # almost always that loop, so we keep the first copy only.
        if line and line not in recent and start < limit:
            recent.append(line)
            end = min(max(round(piece.end, 2), start), limit)
            segments.append(_with_signals(Segment(start, end, text), piece))
        if progress is not None and duration > 0:
            done = max(done, min(1.0, piece.end / duration))
            progress(done)
    if progress is not None:
        progress(1.0)
    return segments


def _with_signals(segment: Segment, piece: Any) -> Segment:
    """Our segment with the piece's signals, when it has them (Whisper's do; tests' may not)."""
    signals = {
        name: getattr(piece, name)
        for name in (
            "avg_logprob",
            "no_speech_prob",
            "compression_ratio",
            "language",
            "language_probability",
        )
        if getattr(piece, name, None) is not None
    }
    return dataclasses.replace(segment, **signals)


# The options were chosen on four espeak-ng demo lectures (6 min; Whisper base, CPU int8) by
# character error rate, one run per setting; the figures below are those runs. Runs of one
# setting differ by a few points, since a window that fails Whisper's checks is decoded again by
# sampling, so only the larger gaps are telling.
def whisper_options(*, language: str, script: str, glossary: Sequence[str]) -> dict:
    """The keyword arguments we pass to WhisperModel.transcribe (shared with the benchmark)."""
    terms = [term.strip() for term in glossary if term.strip()]
    options = {
        "language": language,
        "beam_size": BEAM_SIZE,
        # Silero VAD ships inside faster-whisper (assets/silero_vad_v6.onnx): no download. Its
        # defaults cut only silences of 2 s or more, where Whisper would spend time for nothing
        # and may invent text; cutting 0.5 s pauses too glued sentences (CER 0.760, not 0.706).
        "vad_filter": True,
        # Each window decoded on its own: with the previous window's text as prompt, one
        # misheard or looping window spoils the next (CER 0.818, not 0.706, and 1.8 times slower).
        "condition_on_previous_text": False,
    }
    if terms:
        # Hotwords steer every window towards the course's terms (CER 0.680, not 0.706), at a
        # cost: Whisper base then often times a whole window as one segment (up to 30 s). As
        # initial_prompt the terms reach the first window only (0.750). No prompt just to get
        # simplified characters either: OpenCC sets the script afterwards in any case.
        separator = "、" if language == "zh" else ", "
        options["hotwords"] = separator.join(to_script(term, script) for term in terms)
    return options


def to_script(text: str, script: str) -> str:
    """Text with every Chinese character written in the simplified or traditional script."""
    return _converter(script).convert(text)


def load_model(
    model_dir: Path, *, device: str = "auto", compute_type: str | None = None, cpu_threads: int = 0
) -> WhisperModel:
    """The Whisper model in model_dir, loaded once per process and settings."""
    from faster_whisper import WhisperModel  # heavy; only workers that transcribe need it

    model_dir = Path(model_dir).resolve()
    if not (model_dir / "model.bin").is_file():
        # A folder is required: given anything else faster-whisper treats it as a Hub name.
        raise FileNotFoundError(f"no Whisper model (model.bin) in {model_dir}")
    device, compute_type = _device_and_compute_type(device, compute_type)
    threads = cpu_threads or _usable_cpus()
    key = (str(model_dir), device, compute_type, threads)
    with _models_lock:
        if key not in _models:
            _models[key] = WhisperModel(
                str(model_dir),
                device=device,
                compute_type=compute_type,
                cpu_threads=threads,
                local_files_only=True,
            )
        return _models[key]


def probe_media(path: Path, *, max_seconds: float | None = None) -> MediaInfo:
    """Read a media file's duration and stream kinds, refusing anything without decodable sound."""
    # A file whose container gives no duration is read to its end, or just past max_seconds.
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such media file: {path}")
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            audio = container.streams.audio
            has_video = any(
                not stream.disposition & av.stream.Disposition.attached_pic
                for stream in container.streams.video
            )  # an MP3's cover art is a video stream, not a video
            if not audio:
                raise NotMediaError(f"{path.name} has no audio stream")
            duration = _duration(container, audio[0], max_seconds)
            format_name = container.format.name
    except av.FFmpegError as error:
        raise NotMediaError(f"{path.name} is not a media file we can read: {error}") from None
    if duration is None:
        raise NotMediaError(f"{path.name} has an audio stream without decodable sound")
    return MediaInfo(duration, True, has_video, format_name)


def _duration(
    container: av.container.InputContainer, stream: av.AudioStream, max_seconds: float | None
) -> float | None:
    """Seconds of media from the container, the stream or the sound itself; None if undecodable."""
    frames = container.decode(stream)
    first = next(frames, None)
    if first is None:
        return None
    if container.duration:
        return container.duration / av.time_base
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    # Browser MediaRecorder webm files carry no duration at all: find where the last sound ends,
    # or stop once it is past the limit (the caller refuses it; no need to read hours more).
    end = 0.0
    for frame in itertools.chain([first], frames):
        if frame.time is not None:
            end = max(end, frame.time + frame.samples / frame.sample_rate)
        if max_seconds is not None and end > max_seconds:
            break
    return end


def _device_and_compute_type(device: str, compute_type: str | None) -> tuple[str, str]:
    """Resolve 'auto': CUDA with float16 when a GPU can be used, else CPU with int8."""
    if device not in ("auto", "cpu", "cuda"):
        raise ValueError(f"device must be 'auto', 'cpu' or 'cuda', not {device!r}")
    if device == "auto":
        device = "cuda" if _cuda_usable() else "cpu"
    if compute_type is None:
        compute_type = "float16" if device == "cuda" else "int8"
    return device, compute_type


def _cuda_usable() -> bool:
    """Whether CTranslate2 sees a GPU and the CUDA 12 cuBLAS it needs can be loaded."""
    import ctranslate2

    if ctranslate2.get_cuda_device_count() == 0:
        return False
    # The ctranslate2 wheel brings no CUDA libraries; without cuBLAS a GPU host would only fail
    # at the first window ("Library libcublas.so.12 is not found"), so 'auto' means CPU there.
    try:
        ctypes.CDLL("libcublas.so.12")
    except OSError:
        return False
    return True


def _usable_cpus() -> int:
    """CPUs this process may run on, at most 8 (leaving the rest of a big host to the web app)."""
    # CTranslate2's own default is 4 threads, which oversubscribes a 2-core host.
    return max(1, min(len(os.sched_getaffinity(0)), 8))


@functools.cache
def _converter(script: str) -> opencc.OpenCC:
    """The OpenCC converter into script."""
    if script not in SCRIPTS:
        raise ValueError(f"script must be one of {sorted(SCRIPTS)}, not {script!r}")
    return opencc.OpenCC(SCRIPTS[script])
