"""The board's voice: `run.py say`, the text eSpeak NG is given, the cached WAV, and life without a synthesizer."""
import io
import os
import re
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from app.db import database
from app.models import Counter, ServiceGroup
from app.services import voice
from tests.conftest import csrf_token_from

ROOT = Path(__file__).resolve().parents[2]
needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None and not os.environ.get("CI"),
    reason="espeak-ng is not installed here (CI installs it)",
)


@needs_espeak
def test_say_writes_a_vietnamese_wav(tmp_path):
    out = tmp_path / "goi.wav"
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    result = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "say", "Mời công dân số 105 đến quầy số 2", "--out", str(out)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with wave.open(str(out)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
    # The whole sentence, numbers in words, takes a couple of seconds; a digit-by-digit or empty file would not.
    assert 2 < seconds < 10


def test_the_synthesizer_is_given_numbers_in_words(app, tmp_path, monkeypatch):
    given = []

    def fake_run(command, **kwargs):
        given.append(command)
        Path(command[command.index("-w") + 1]).write_bytes(b"RIFF")
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(voice, "engine", lambda: "/usr/bin/espeak-ng")
    monkeypatch.setattr(voice.subprocess, "run", fake_run)
    voice.synthesize("Mời công dân số 105 đến quầy số 2", tmp_path / "a.wav")
    assert given[0][-1] == "Mời công dân số một trăm linh năm đến quầy số hai"
    assert given[0][1:3] == ["-v", "vi"]


def test_say_without_a_synthesizer_explains_why(app, tmp_path, monkeypatch, capsys):
    from app.commands import say

    monkeypatch.setattr(voice, "engine", lambda: None)
    args = type("Args", (), {"text": "Mời công dân số 1", "out": tmp_path / "x.wav"})()
    assert say.run(args) == 2
    assert "chưa cài chương trình đọc tiếng Việt eSpeak NG" in capsys.readouterr().err
    assert not (tmp_path / "x.wav").exists()


@pytest.fixture
def one_call(client, auth, app):
    with database.connection_context():
        Counter.create(name="Quầy 2", order=2)
        ServiceGroup.create(name="Tiếp nhận hồ sơ", code="tiep-nhan", first_number=105)
    csrf = csrf_token_from(client.get("/lay-so").get_data(as_text=True))
    client.post("/lay-so", data={"csrf_token": csrf, "dich_vu": "tiep-nhan"})
    auth.login("tiep_nhan")
    page = client.get("/goi-so?quay=1").get_data(as_text=True)
    client.post("/goi-so", data={"csrf_token": csrf_token_from(page), "action": "next", "quay": "1", "hien_tai": ""})
    auth.logout()


def test_without_a_synthesizer_the_board_shows_the_call_and_the_admin_says_why(client, auth, one_call, monkeypatch):
    monkeypatch.setattr(voice, "engine", lambda: None)
    fragment = client.get("/bang-tin/goi-so", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'class="board-call-number">105<' in fragment
    assert "data-voice-url" not in fragment
    key = re.search(r'data-call-key="([^"]+)"', fragment).group(1)
    assert client.get(f"/bang-tin/goi-so/{key}.wav").status_code == 404
    auth.login("quan_tri")
    assert "chưa cài chương trình đọc tiếng Việt eSpeak NG" in client.get("/quan-tri/lay-so").get_data(as_text=True)


@needs_espeak
def test_the_board_serves_each_call_once_synthesized(client, app, one_call):
    fragment = client.get("/bang-tin/goi-so", headers={"HX-Request": "true"}).get_data(as_text=True)
    url = re.search(r'data-voice-url="([^"]+)"', fragment).group(1)
    first = client.get(url)
    assert first.status_code == 200 and first.mimetype == "audio/wav"
    assert first.data[:4] == b"RIFF"
    with app.app_context():
        cached = list(voice.cache_folder().glob("*.wav"))
    assert len(cached) == 1
    assert client.get(url).data == first.data
    assert client.get("/bang-tin/goi-so/999-0.wav").status_code == 404


def wav_bytes(frames: int, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(rate)
        sound.writeframes(b"\x01\x00" * frames)
    return out.getvalue()


def upload(client, phrase, data, name="clip.wav"):
    page = client.get("/quan-tri/lay-so").get_data(as_text=True)
    return client.post(
        "/quan-tri/lay-so/ghi-am", data={"csrf_token": csrf_token_from(page), "cau": phrase, "tep": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html>not audio</html>", "Tệp không phải âm thanh WAV (PCM)."),
        (b"RIFF" + b"\x00" * (3 * 1024 * 1024), "Tệp quá lớn: tối đa 2 MB"),
        (b"", "Vui lòng chọn tệp ghi âm."),
    ],
)
def test_a_clip_that_is_not_audio_or_is_huge_is_refused(client, auth, app, data, message):
    auth.login("quan_tri")
    response = upload(client, "Mời công dân số", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert voice.recorded_phrases() == set()


def test_recorded_clips_say_the_call_instead_of_the_synthetic_voice(client, auth, app, one_call, monkeypatch):
    monkeypatch.setattr(voice, "engine", lambda: None)
    auth.login("quan_tri")
    # "Mời công dân số một trăm linh năm đến quầy số hai": seven pieces, each a clip of its own length.
    pieces = ["Mời công dân số", "một", "trăm", "linh", "năm", "đến quầy số", "hai"]
    for number, phrase in enumerate(pieces[:-1], start=1):
        assert upload(client, phrase, wav_bytes(100 * number)).status_code == 303
    fragment = client.get("/bang-tin/goi-so", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "data-voice-url" not in fragment  # "hai" is still missing
    assert upload(client, "hai", wav_bytes(700)).status_code == 303
    assert "Đã có 7/" in client.get("/quan-tri/lay-so").get_data(as_text=True)
    fragment = client.get("/bang-tin/goi-so", headers={"HX-Request": "true"}).get_data(as_text=True)
    url = re.search(r'data-voice-url="([^"]+)"', fragment).group(1)
    response = client.get(url)
    assert response.status_code == 200
    with wave.open(io.BytesIO(response.data)) as sound:
        assert sound.getnframes() == sum(100 * number for number in range(1, 8))


def test_without_the_program_the_wheels_library_speaks_vietnamese(app, tmp_path, monkeypatch):
    # Windows has no espeak-ng program: the voice then comes from the espeakng-loader wheel's library.
    monkeypatch.setattr(voice.shutil, "which", lambda name: None)
    assert voice.engine() == voice.LIBRARY and voice.missing_reason() is None
    voice.synthesize("Mời công dân số 105 đến quầy số 2", tmp_path / "a.wav")
    with wave.open(str(tmp_path / "a.wav")) as sound:
        seconds = sound.getnframes() / sound.getframerate()
        assert (sound.getnchannels(), sound.getsampwidth(), sound.getframerate()) == (1, 2, 22050)
    # "một trăm linh năm … hai" in words takes a few seconds at 140 words a minute; digits or silence would not.
    assert 2 < seconds < 10
    # Said again, the sentence lasts as long (within a few milliseconds): the second call is not cut short
    # or doubled by what the first left in the library.
    voice.synthesize("Mời công dân số 105 đến quầy số 2", tmp_path / "b.wav")
    with wave.open(str(tmp_path / "b.wav")) as sound:
        assert abs(sound.getnframes() / sound.getframerate() - seconds) < 0.05


def test_the_wheels_library_refuses_a_voice_it_does_not_have(app, tmp_path):
    if voice._library() is None:
        pytest.skip("the espeakng-loader wheel has no library for this platform")
    with pytest.raises(voice.NoSynthesizer, match="không có giọng"):
        voice._synthesize_with_library("một", tmp_path / "x.wav", voice="khong-co-giong-nay")
    voice._synthesize_with_library("một", tmp_path / "y.wav")
    assert (tmp_path / "y.wav").stat().st_size > 1000
