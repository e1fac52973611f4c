"""The board's voice, offline: eSpeak NG's Vietnamese voice writes each call sentence once to a cached WAV."""
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from flask import current_app

from .. import ROOT
from ..db import sqlite_path
from ..rules.spoken import spoken_label

ENGINE = "espeak-ng"
VOICE = "vi"
# Words per minute: a little slower than eSpeak's 175, for a hall with an echo.
SPEED = "140"
TIMEOUT_SECONDS = 30


class NoSynthesizer(RuntimeError):
    """There is no speech synthesizer on this machine; the message says why, in Vietnamese."""


def engine() -> str | None:
    """The eSpeak NG program, if it is installed."""
    return shutil.which(ENGINE)


def missing_reason() -> str | None:
    """Why the board cannot speak, or None when it can."""
    if engine() is None:
        return (
            "Máy chủ chưa cài chương trình đọc tiếng Việt eSpeak NG, nên bảng tin chỉ hiện số và phát tiếng chuông, "
            "không đọc số. Trên Debian/Ubuntu: sudo apt-get install espeak-ng, rồi khởi động lại phần mềm."
        )
    return None


def synthesize(text: str, out: Path) -> Path:
    """Write `text`, numbers said in Vietnamese words, as a WAV file at `out`."""
    program = engine()
    if program is None:
        raise NoSynthesizer(missing_reason())
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    subprocess.run(
        [program, "-v", VOICE, "-s", SPEED, "-w", str(partial), spoken_label(text)],
        check=True, capture_output=True, timeout=TIMEOUT_SECONDS,
    )
    os.replace(partial, out)
    return out


def cache_folder() -> Path:
    """Beside the database (db/voice), so that a backup of the folder keeps it and a test gets its own."""
    database_file = sqlite_path(current_app.config["DATABASE_URL"])
    return (database_file.parent if database_file else ROOT / "db") / "voice"


def cached(text: str) -> Path:
    """The WAV of `text`, made the first time it is asked for."""
    folder = cache_folder()
    path = folder / f"{hashlib.sha256(text.encode()).hexdigest()[:32]}.wav"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        synthesize(text, path)
    return path
