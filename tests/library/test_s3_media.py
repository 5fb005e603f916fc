"""Media on S3 (moto's server on 127.0.0.1): a web process and a real worker that share no
directory, only the bucket and Redis. Everything a creator does with a take's files works:
hearing it while it is encoded, Range requests, downloads, the ZIP, thumbnails, and a cover
of an upload that the worker reads from the bucket."""
from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from studio.generation.models import Generation, Mode, Status
from studio.library import thumbnails
from studio.library.models import Track
from tests import s3
from tests.audio import decode, rms_dbfs
from tests.factories import audio_bytes
from tests.generation.workers import output, start_cluster, stop_cluster, wait_until_final

pytestmark = [pytest.mark.s3, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _measured(data: bytes, tmp_path, name: str) -> tuple[float, float]:
    """(seconds, RMS dBFS) of encoded audio, decoded independently of the engine."""
    path = tmp_path / name
    path.write_bytes(data)
    samples, rate = decode(path)
    return len(samples) / rate, rms_dbfs(samples)


def _files_under(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) \
        if root.exists() else []


@pytest.fixture
def worker(settings):
    process = start_cluster(settings)
    yield process
    stop_cluster(process)


def test_a_song_made_on_another_host_is_heard_downloaded_and_zipped_from_the_bucket(
        settings, worker, owner_client, owner, tmp_path):
    response = owner_client.post("/create/", {"idea": "a hopeful folk song about a lighthouse",
                                              "model": "V4_5"})
    assert response.status_code == 302
    generation = Generation.objects.get()

    # Heard while it is encoded: the worker's pieces come through Redis, not a shared file.
    stream = owner_client.get(f"/generations/{generation.pk}/takes/0/stream.mp3")
    assert stream.status_code == 200 and stream["Cache-Control"] == "no-store"
    pieces = iter(stream.streaming_content)
    first = next(pieces)
    in_library_when_first_heard = Track.objects.filter(generation=generation, variation=0).exists()
    streamed = first + b"".join(pieces)
    wait_until_final(generation, worker)
    assert generation.status == Status.SUCCESS, output(worker)
    assert not in_library_when_first_heard  # heard before the take was final

    tracks = list(generation.tracks.order_by("variation"))
    assert len(tracks) == 2
    stored = s3.objects(settings.STUDIO_S3_BUCKET)
    for track in tracks:
        assert track.audio.name in stored and track.cover.name in stored
    # Nothing went through either host's disk: web and worker media directories hold no take.
    assert _files_under(settings.MEDIA_ROOT) == []
    assert _files_under(settings.MEDIA_ROOT.parent / "worker-media") == []

    take = tracks[0]
    audio = stored[take.audio.name]
    seconds, loudness = _measured(streamed, tmp_path, "streamed.mp3")
    assert abs(seconds - take.duration) < 0.05 and loudness > -30

    # Range through Studio: the bucket's bytes, exactly, with validators for If-Range.
    url = f"/tracks/{take.pk}/audio.mp3"
    whole = owner_client.get(url)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == audio
    assert whole["Accept-Ranges"] == "bytes" and int(whole["Content-Length"]) == len(audio)
    part = owner_client.get(url, HTTP_RANGE="bytes=1000-4999")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 1000-4999/{len(audio)}"
    assert b"".join(part.streaming_content) == audio[1000:5000]
    tail = owner_client.get(url, HTTP_RANGE="bytes=-500", HTTP_IF_RANGE=whole["ETag"])
    assert tail.status_code == 206 and b"".join(tail.streaming_content) == audio[-500:]
    stale = owner_client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"not-it"')
    assert stale.status_code == 200  # a changed file: the whole of it
    assert owner_client.get(url, HTTP_IF_NONE_MATCH=whole["ETag"]).status_code == 304
    assert owner_client.get(url, HTTP_RANGE=f"bytes={len(audio)}-").status_code == 416

    # Downloads: the tagged MP3 and a WAV decoded from the bucket's MP3.
    mp3 = owner_client.get(f"/tracks/{take.pk}/download.mp3")
    assert mp3.status_code == 200 and "attachment" in mp3["Content-Disposition"]
    seconds, loudness = _measured(b"".join(mp3.streaming_content), tmp_path, "download.mp3")
    assert abs(seconds - take.duration) < 0.05 and loudness > -30
    wav = owner_client.get(f"/tracks/{take.pk}/download.wav")
    assert wav.status_code == 200 and wav["Content-Type"] == "audio/wav"
    seconds, loudness = _measured(b"".join(wav.streaming_content), tmp_path, "download.wav")
    assert abs(seconds - take.duration) < 0.05 and loudness > -30

    # The ZIP of both takes, read from the bucket.
    archive = owner_client.post("/export.zip", {"track": [t.pk for t in tracks]})
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))) as zf:
        mp3s = [n for n in zf.namelist() if n.endswith(".mp3")]
        assert len(mp3s) == 2 and "tracks.json" in zf.namelist()
        for n, name in enumerate(mp3s):
            seconds, _ = _measured(zf.read(name), tmp_path, f"zipped-{n}.mp3")
            assert min(abs(seconds - t.duration) for t in tracks) < 0.05

    # A thumbnail is made from the bucket's cover and kept there.
    size = min(thumbnails.SIZES)
    thumb = owner_client.get(f"/tracks/{take.pk}/cover/{size}.webp")
    assert thumb.status_code == 200
    with Image.open(io.BytesIO(b"".join(thumb.streaming_content))) as image:
        assert image.format == "WEBP" and max(image.size) == size
    assert any(k.endswith(".webp") and k.startswith(take.folder)
               for k in s3.objects(settings.STUDIO_S3_BUCKET))

    # A cover of an upload: the web stores it in the bucket, the worker reads it from there.
    song = SimpleUploadedFile("song.wav", audio_bytes("wav", 4.0))
    response = owner_client.post("/create/", {"mode": "cover", "model": "V4_5", "file": song,
                                              "idea": "the same song as lo-fi"})
    assert response.status_code == 302
    cover = Generation.objects.exclude(pk=generation.pk).get()
    assert cover.mode == Mode.UPLOAD_COVER
    assert cover.upload.file.name in s3.objects(settings.STUDIO_S3_BUCKET)
    listened = owner_client.get(f"/uploads/{cover.upload.pk}/audio", HTTP_RANGE="bytes=0-99")
    assert listened.status_code == 206 and len(b"".join(listened.streaming_content)) == 100
    wait_until_final(cover, worker)
    assert cover.status == Status.SUCCESS, (cover.error_message, output(worker))
    made = cover.tracks.order_by("variation").first()
    seconds, loudness = _measured(s3.objects(settings.STUDIO_S3_BUCKET)[made.audio.name],
                                  tmp_path, "cover.mp3")
    assert abs(seconds - made.duration) < 0.05 and loudness > -30
    assert _files_under(settings.MEDIA_ROOT) == []
