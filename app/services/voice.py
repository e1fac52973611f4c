"""The board's voice, offline: the administrator's recorded clips when a call can be made of them, else
eSpeak NG's Vietnamese voice; each call's WAV is made once and cached."""
import hashlib
import io
import os
import shutil
import subprocess
import wave
from pathlib import Path

from flask import current_app

from .. import ROOT
from ..db import sqlite_path
from ..rules.spoken import CLIP_PHRASES, spoken_label

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


# A recorded clip is a word or two: a few seconds of WAV, far under this.
MAX_CLIP_BYTES = 2 * 1024 * 1024


class BadClip(ValueError):
    """An upload that is not a usable clip; the message says why, in Vietnamese."""


def _clip_path(phrase: str) -> Path:
    return cache_folder() / "clips" / f"{hashlib.sha256(phrase.encode()).hexdigest()[:24]}.wav"


def recorded_phrases() -> set[str]:
    """The phrases that have a recorded clip."""
    return {phrase for phrase in CLIP_PHRASES if _clip_path(phrase).exists()}


def save_clip(phrase: str, data: bytes) -> None:
    """Keep an administrator's recording of `phrase`; refuse what is not a PCM WAV file or is too big."""
    if phrase not in CLIP_PHRASES:
        raise BadClip("Vui lòng chọn câu hoặc từ của bản ghi âm.")
    if not data:
        raise BadClip("Vui lòng chọn tệp ghi âm.")
    if len(data) > MAX_CLIP_BYTES:
        raise BadClip(f"Tệp quá lớn: tối đa {MAX_CLIP_BYTES // (1024 * 1024)} MB cho một câu hoặc một từ.")
    try:
        with wave.open(io.BytesIO(data)) as sound:
            if sound.getnframes() == 0:
                raise BadClip("Tệp ghi âm không có tiếng.")
    except (wave.Error, EOFError) as error:
        raise BadClip("Tệp không phải âm thanh WAV (PCM). Hãy ghi âm hoặc chuyển sang định dạng .wav.") from error
    path = _clip_path(phrase)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def _joined(pieces: list[str]) -> Path | None:
    """The pieces' recordings one after another, cached; None when one is missing or their formats differ."""
    paths = [_clip_path(piece) for piece in pieces]
    if not all(path.exists() for path in paths):
        return None
    stamp = "|".join(f"{path.name}:{path.stat().st_mtime_ns}" for path in paths)
    out = cache_folder() / f"clips-{hashlib.sha256(stamp.encode()).hexdigest()[:32]}.wav"
    if out.exists():
        return out
    frames, params = [], None
    for path in paths:
        with wave.open(str(path)) as sound:
            shape = sound.getparams()[:3]
            if params is not None and shape != params[:3]:
                return None
            params = params or sound.getparams()
            frames.append(sound.readframes(sound.getnframes()))
    partial = out.with_name(out.name + ".partial")
    with wave.open(str(partial), "wb") as joined:
        joined.setparams(params)
        for chunk in frames:
            joined.writeframes(chunk)
    os.replace(partial, out)
    return out


def can_say(pieces: list[str] | None) -> bool:
    """Whether the board has a voice for a call: every piece recorded, or the synthesizer."""
    return engine() is not None or bool(pieces) and all(_clip_path(piece).exists() for piece in pieces)


def for_call(sentence: str, pieces: list[str] | None) -> Path:
    """The call said by the administrator's recordings when each piece has one, else by eSpeak NG."""
    joined = _joined(pieces) if pieces else None
    return joined or cached(sentence)
