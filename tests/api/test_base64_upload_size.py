"""file-base64-upload takes any file up to STUDIO_UPLOAD_MAX_MB, as the README promises:
its body holds the file in base64 (4/3 of its size) and may be that large, while every other
JSON body keeps its small limit. (The body limit once capped it near 750 KB.)"""
import base64
import io

import numpy as np
import soundfile as sf

from studio.generation.models import Upload


def wav_bytes(megabytes: float) -> bytes:
    """A real WAV of about `megabytes` (16-bit stereo at 44.1 kHz: a tone with a little noise)."""
    frames = int(megabytes * 1024 * 1024 / 4)
    t = np.arange(frames) / 44100
    rng = np.random.default_rng(1)
    tone = 0.3 * np.sin(2 * np.pi * 330 * t) + 0.01 * rng.standard_normal(frames)
    buffer = io.BytesIO()
    sf.write(buffer, np.stack([tone, tone], axis=1), 44100, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def send(api, song: bytes, name="take.wav"):
    return api.post("/api/file-base64-upload", {"base64Data": base64.b64encode(song).decode(),
                                                "fileName": name}).json()


def test_a_two_megabyte_file_is_accepted(api):
    song = wav_bytes(2)
    answer = send(api, song)
    assert answer["code"] == 200, answer["msg"]
    upload = Upload.objects.get()
    assert upload.size == len(song) and upload.file.read() == song
    assert answer["data"]["fileSize"] == len(song)


def test_a_file_just_under_the_limit_is_accepted(api, settings):
    settings.STUDIO_UPLOAD_MAX_MB = 3
    answer = send(api, wav_bytes(2.95))
    assert answer["code"] == 200, answer["msg"]


def test_a_data_uri_just_under_the_limit_is_accepted(api, settings):
    settings.STUDIO_UPLOAD_MAX_MB = 3
    data_uri = "data:audio/wav;base64," + base64.b64encode(wav_bytes(2.95)).decode()
    answer = api.post("/api/file-base64-upload", {"base64Data": data_uri}).json()
    assert answer["code"] == 200, answer["msg"]


def test_mime_base64_just_under_the_limit_is_accepted(api, settings):
    """76-character lines ending in CRLF: the body grows by four bytes (JSON's \\r\\n) a
    line, and the file is as large as before."""
    settings.STUDIO_UPLOAD_MAX_MB = 3
    song = wav_bytes(2.95)
    wrapped = base64.encodebytes(song).decode().replace("\n", "\r\n")
    answer = api.post("/api/file-base64-upload", {"base64Data": wrapped}).json()
    assert answer["code"] == 200, answer["msg"]
    assert Upload.objects.get().size == len(song)


def test_a_file_over_the_limit_is_413_with_the_limit_named(api, settings):
    settings.STUDIO_UPLOAD_MAX_MB = 1
    answer = send(api, wav_bytes(1.5))
    assert answer["code"] == 413 and "1 MB" in answer["msg"]
    assert not Upload.objects.exists()


def test_other_json_bodies_keep_their_small_limit(api):
    answer = api.post("/api/v1/generate", {"customMode": False, "instrumental": False,
                                           "prompt": "x" * (2 * 1024 * 1024)}).json()
    assert answer["code"] == 413
