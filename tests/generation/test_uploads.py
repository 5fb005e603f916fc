"""Uploads are accepted by content, kept, and refused with a message that says why."""
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studio.generation import uploads
from studio.generation.models import Upload
from tests.factories import audio_bytes

pytestmark = pytest.mark.django_db


def upload_file(data: bytes, name="song.bin"):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("fmt", ["mp3", "wav", "flac", "ogg", "m4a"])
def test_every_supported_format_is_accepted_by_content_not_name(owner, fmt):
    accepted = uploads.accept(owner, upload_file(audio_bytes(fmt, 3.0), "no-extension"),
                              "no-extension")
    assert accepted.format == fmt
    assert abs(accepted.duration - 3.0) < 0.1
    assert accepted.owner == owner and accepted.file.storage.exists(accepted.file.name)


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    (b"%PDF-1.7 not a song at all" * 20, "This is not an audio file Studio reads"),
    (b"RIFF\x00\x00\x00\x00WAVEfmt " + b"\x00" * 100, "could not be decoded"),
])
def test_bad_files_are_refused_with_a_reason_and_leave_nothing(owner, data, message):
    with pytest.raises(uploads.UploadError, match=message):
        uploads.accept(owner, upload_file(data), "x.wav")
    assert not Upload.objects.exists()


def test_silence_is_refused(owner):
    with pytest.raises(uploads.UploadError, match="silent"):
        uploads.accept(owner, upload_file(audio_bytes("wav", 2.0, silent=True)), "quiet.wav")


def test_over_the_size_limit_is_refused(owner, settings):
    settings.STUDIO_UPLOAD_MAX_MB = 0.1
    with pytest.raises(uploads.UploadError, match="the limit is 0.1 MB"):
        uploads.accept(owner, upload_file(audio_bytes("wav", 3.0)), "big.wav")


def test_longer_than_eight_minutes_is_refused(owner):
    data = audio_bytes("wav", 8 * 60 + 2, rate=8000)
    with pytest.raises(uploads.UploadError, match="longer than 8:00; trim it to 8:00 or less"):
        uploads.accept(owner, io.BytesIO(data), "long.wav")


def test_upload_endpoint_shows_what_studio_heard(owner_client):
    response = owner_client.post("/uploads/", {"file": upload_file(audio_bytes("mp3", 4.0),
                                                                   "demo.mp3")})
    assert response.status_code == 200
    page = response.content.decode()
    assert "demo.mp3" in page and "MP3" in page and "4.0 s" in page


def test_upload_endpoint_refuses_with_the_reason(owner_client):
    response = owner_client.post("/uploads/", {"file": upload_file(b"hello", "a.mp3")})
    assert response.status_code == 422
    assert "not an audio file" in response.content.decode()


def test_someone_elses_upload_is_not_found(owner, stranger_client):
    accepted = uploads.accept(owner, upload_file(audio_bytes("wav", 2.0)), "a.wav")
    assert stranger_client.get(f"/uploads/{accepted.pk}/").status_code == 404


def test_an_upload_is_analysed_for_tempo_and_key(owner):
    """A clicked A-major arpeggio at 120 BPM: Studio should hear 120 BPM and A."""
    import io as _io

    import numpy as np
    import soundfile

    rate, beat = 44100, 0.5
    notes = [440.0, 554.37, 659.25, 554.37] * 8
    out = np.zeros(int(rate * beat * len(notes)), np.float32)
    t = np.arange(int(rate * 0.35)) / rate
    for i, f in enumerate(notes):
        tone_ = np.sin(2 * np.pi * f * t) * np.exp(-t * 6)
        start = int(i * beat * rate)
        out[start:start + len(t)] += tone_.astype(np.float32) * 0.5
    buffer = _io.BytesIO()
    soundfile.write(buffer, out, rate, format="WAV")
    accepted = uploads.accept(owner, upload_file(buffer.getvalue()), "arp.wav")
    assert abs(accepted.analysis["tempo"] - 120) / 120 < 0.02
    assert accepted.analysis["key"] == "A"


def test_the_same_file_under_the_same_name_is_kept_once(owner, stranger):
    """A file dropped twice (or sent again by a script) was listed twice among earlier
    uploads, "My Demo.mp3 (55 s)" and again: it is one upload, stored once. Another name, or
    other bytes, or another user's file, is an upload of its own."""
    data = audio_bytes("wav", 2.0)
    first = uploads.accept(owner, upload_file(data), "My Demo.wav")
    again = uploads.accept(owner, upload_file(data), "My Demo.wav")
    assert again.pk == first.pk and Upload.objects.filter(owner=owner).count() == 1
    assert first.file.storage.exists(first.file.name)
    owners_folder = Path(first.file.storage.path(first.file.name)).parents[1]
    assert len(list(owners_folder.iterdir())) == 1  # one upload's folder: nothing stored twice
    renamed = uploads.accept(owner, upload_file(data), "Take Two.wav")
    other = uploads.accept(owner, upload_file(audio_bytes("wav", 3.0)), "My Demo.wav")
    theirs = uploads.accept(stranger, upload_file(data), "My Demo.wav")
    assert len({first.pk, renamed.pk, other.pk, theirs.pk}) == 4
    assert theirs.owner == stranger
