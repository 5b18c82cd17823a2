"""PDFs read with poppler's command-line tools (pdfinfo, pdftoppm), in bounded child processes.

Poppler rather than PyMuPDF: README.md, "Why some parts stay hand-written". Each tool runs as
its own process with a timeout, a CPU-time and address-space ceiling (prlimit) and a lower
priority (nice), so a hostile file can at worst exhaust a child, never the worker.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from academy.documents.rules import JPEG_QUALITY, PAGE_LONG_SIDE_PX

#: seconds pdfinfo may take to read a document's structure (a sound file needs well under one)
INFO_TIMEOUT_S = 20
#: address space of one poppler process: ample for a page at 1400 px, a wall against a bomb
MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024
#: a PDF's header lies in its first kilobyte (readers allow junk before it), its %%EOF marker
#: in its last: a file cut short in transfer has none, even where poppler would rebuild it
SNIFF_BYTES = 1024
#: what pdftoppm names its pages: <prefix>-<n>.jpg, n zero-padded to the page count's width
_PAGE_FILE = re.compile(r"^p-(\d+)\.jpg$")


class PdfError(Exception):
    """A file poppler cannot use; `code` says why: not_pdf, encrypted, corrupt, no_pages,
    timeout, render_failed."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code


def _bounded(command: list[str], seconds: int) -> list[str]:
    """The command under prlimit and nice where they exist (util-linux, coreutils)."""
    prefix: list[str] = []
    if shutil.which("prlimit"):
        prefix += ["prlimit", f"--as={MEMORY_LIMIT_BYTES}", f"--cpu={seconds}", "--"]
    if shutil.which("nice"):
        prefix += ["nice", "-n", "10"]
    return prefix + command


def _run(command: list[str], seconds: int) -> subprocess.CompletedProcess:
    if shutil.which(command[0]) is None:  # else prlimit's complaint reads like a bad file
        raise FileNotFoundError(f"{command[0]} is missing: run .ci/install (poppler-utils)")
    try:
        return subprocess.run(
            _bounded(command, seconds),
            capture_output=True,
            text=True,
            errors="replace",
            timeout=seconds,
            stdin=subprocess.DEVNULL,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"},
        )
    except subprocess.TimeoutExpired:
        raise PdfError("timeout", f"{command[0]} took longer than {seconds} s") from None


def sniff(path: Path) -> None:
    """Refuse a file that is not a PDF (no header) or was cut short (no end marker)."""
    size = path.stat().st_size
    with open(path, "rb") as file:
        head = file.read(SNIFF_BYTES)
        file.seek(max(0, size - SNIFF_BYTES))
        tail = file.read(SNIFF_BYTES)
    if b"%PDF-" not in head:
        raise PdfError("not_pdf", "no %PDF- header")
    if b"%%EOF" not in tail:
        raise PdfError("corrupt", "no %%EOF marker: the file is incomplete")


def page_count(path: Path) -> int:
    """The number of pages of a sound, unencrypted PDF; PdfError otherwise."""
    sniff(path)
    result = _run(["pdfinfo", str(path)], INFO_TIMEOUT_S)
    if "Incorrect password" in result.stderr:
        raise PdfError("encrypted", "a password is needed to open it")
    if "Invalid page count 0" in result.stderr:
        raise PdfError("no_pages", "the document has no pages")
    if result.returncode != 0:
        raise PdfError("corrupt", result.stderr.strip()[-500:] or f"pdfinfo {result.returncode}")
    if re.search(r"^Encrypted:\s+yes", result.stdout, re.MULTILINE):
        # Opens without a password but carries the author's restrictions (no copying, no
        # printing): not ours to turn into images for everyone.
        raise PdfError("encrypted", "encrypted with permission restrictions")
    found = re.search(r"^Pages:\s+(\d+)", result.stdout, re.MULTILINE)
    if found is None:
        raise PdfError("corrupt", "pdfinfo reported no page count")
    if int(found.group(1)) == 0:
        raise PdfError("no_pages", "the document has no pages")
    return int(found.group(1))


def render_pages(path: Path, into: Path, pages: int, seconds: int) -> list[Path]:
    """Render pages 1..`pages` as JPEG files into the folder `into`, in page order."""
    into.mkdir(parents=True, exist_ok=True)
    result = _run(
        [
            "pdftoppm",
            "-jpeg",
            "-jpegopt",
            f"quality={JPEG_QUALITY},optimize=y",
            "-scale-to",
            str(PAGE_LONG_SIDE_PX),
            "-f",
            "1",
            "-l",
            str(pages),
            str(path),
            str(into / "p"),
        ],
        seconds,
    )
    if result.returncode != 0:
        detail = result.stderr.strip()[-500:] or f"pdftoppm {result.returncode}"
        raise PdfError("render_failed", detail)
    made = {}
    for file in into.iterdir():
        match = _PAGE_FILE.match(file.name)
        if match:
            made[int(match.group(1))] = file
    if sorted(made) != list(range(1, pages + 1)):
        raise PdfError("render_failed", f"{len(made)} of {pages} pages were rendered")
    return [made[number] for number in range(1, pages + 1)]
