"""The board's voice, offline: the administrator's recorded clips when a call can be made of them, else
eSpeak NG's Vietnamese voice; each call's WAV is made once and cached.

eSpeak NG is the `espeak-ng` program when it is installed (Debian: apt-get install espeak-ng), else the
same engine's library and voice data from the `espeakng-loader` wheel, which pip installs with the
other requirements on Linux and on Windows (where no program is installed)."""
import ctypes
import functools
import hashlib
import io
import os
import shutil
import subprocess
import threading
import wave
from pathlib import Path

from flask import current_app

from ..db import data_folder
from ..rules.spoken import CLIP_PHRASES, spoken_label

ENGINE = "espeak-ng"
VOICE = "vi"
# Words per minute: a little slower than eSpeak's 175, for a hall with an echo.
SPEED = "140"
TIMEOUT_SECONDS = 30


# What engine() names when the voice comes from the espeakng-loader wheel's library.
LIBRARY = "espeakng-loader"
# speak_lib.h: AUDIO_OUTPUT_SYNCHRONOUS, espeakRATE, POS_CHARACTER, espeakCHARS_UTF8.
_SYNCHRONOUS, _RATE, _POS_CHARACTER, _CHARS_UTF8 = 2, 1, 1, 1
_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
# The library keeps one voice and one callback for the whole process: one call at a time.
_library_lock = threading.Lock()


class NoSynthesizer(RuntimeError):
    """There is no speech synthesizer on this machine; the message says why, in Vietnamese."""


def engine() -> str | None:
    """The eSpeak NG program if it is installed, else LIBRARY when the wheel's library loads, else None."""
    return shutil.which(ENGINE) or (LIBRARY if _library() is not None else None)


def missing_reason() -> str | None:
    """Why the board cannot speak, or None when it can."""
    if engine() is None:
        return (
            "Máy chủ chưa cài chương trình đọc tiếng Việt eSpeak NG (thư viện eSpeak NG đi kèm phần mềm cũng không "
            "nạp được), nên bảng tin chỉ hiện số và phát tiếng chuông, không đọc số. Trên Debian/Ubuntu: "
            "sudo apt-get install espeak-ng, rồi khởi động lại phần mềm."
        )
    return None


def synthesize(text: str, out: Path) -> Path:
    """Write `text`, numbers said in Vietnamese words, as a WAV file at `out`."""
    program = engine()
    if program is None:
        raise NoSynthesizer(missing_reason())
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    if program == LIBRARY:
        _synthesize_with_library(spoken_label(text), partial)
    else:
        subprocess.run(
            [program, "-v", VOICE, "-s", SPEED, "-w", str(partial), spoken_label(text)],
            check=True, capture_output=True, timeout=TIMEOUT_SECONDS,
        )
    os.replace(partial, out)
    return out


@functools.cache
def _library():
    """eSpeak NG's library from the espeakng-loader wheel, started once with its own voice data and its
    sample rate kept as `rate`; None when the wheel is missing or its library does not load here."""
    try:
        import espeakng_loader

        library = ctypes.CDLL(espeakng_loader.get_library_path())
        data_parent = str(Path(espeakng_loader.get_data_path()).parent).encode()
    except (ImportError, OSError, RuntimeError):
        return None
    library.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    library.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    library.espeak_Synth.argtypes = [
        ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
        ctypes.c_void_p, ctypes.c_void_p,
    ]
    rate = library.espeak_Initialize(_SYNCHRONOUS, 0, data_parent, 0)
    if rate <= 0:
        return None
    library.rate = rate
    return library


def _synthesize_with_library(words: str, out: Path, voice: str = VOICE) -> None:
    """What `espeak-ng -v vi -s 140 -w out words` does, through the library: 16-bit mono WAV."""
    library = _library()
    samples = []

    def keep(wav, count, _events):
        if wav and count > 0:
            samples.append(ctypes.string_at(wav, count * 2))
        return 0

    callback = _CALLBACK(keep)
    text = words.encode("utf-8")
    with _library_lock:
        library.espeak_SetSynthCallback(callback)
        if library.espeak_SetVoiceByName(voice.encode()) != 0:
            raise NoSynthesizer(f"Thư viện eSpeak NG không có giọng «{voice}».")
        library.espeak_SetParameter(_RATE, int(SPEED), 0)
        if library.espeak_Synth(text, len(text) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None) != 0:
            raise NoSynthesizer("Thư viện eSpeak NG không đọc được câu này.")
    with wave.open(str(out), "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(library.rate)
        sound.writeframes(b"".join(samples))


def cache_folder() -> Path:
    """Beside the database (db/voice), so that a backup of the folder keeps it and a test gets its own."""
    return data_folder(current_app.config["DATABASE_URL"]) / "voice"


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
