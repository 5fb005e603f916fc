"""A full disk or a locked database: the user reads what happened in words, the detail goes to
the log, and nothing already saved is lost or left half-written.

The full disk is real: a small tmpfs mounted as the media directory (skipped where this
machine does not allow mounting one). The lock is real: a second SQLite connection holding
the write lock while the job saves its take."""
import logging
import os
import sqlite3
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from studio.generation import jobs
from studio.generation.models import Generation, Status, Upload, stage_reached
from studio.library.models import Track
from tests.factories import audio_bytes, make_track

IDEA = {"prompt": "a rainy lo-fi song about a cat", "model": "V4_5"}


@pytest.fixture
def small_disk(tmp_path, settings):
    """The media directory on a disk of `kib` KiB."""
    mounted = []

    def mount(kib: int):
        root = tmp_path / "small-disk"
        root.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k,mode=0700", "tmpfs",
                               str(root)], capture_output=True, text=True)
        if done.returncode:
            pytest.skip(f"this machine does not let the tests mount a small disk: {done.stderr}")
        mounted.append(root)
        settings.MEDIA_ROOT = root
        return root

    yield mount
    for root in mounted:
        subprocess.run(["umount", "-l", str(root)], check=True)


def _files_under(root):
    return sorted(os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files)


@pytest.mark.django_db
def test_an_upload_that_fills_the_disk_is_refused_in_words_and_leaves_no_file(
        owner_client, small_disk, caplog):
    media = small_disk(256)
    song = SimpleUploadedFile("song.wav", audio_bytes("wav", 6.0))  # about 530 KB
    response = owner_client.post("/uploads/", {"file": song})

    assert response.status_code == 422
    page = response.content.decode()
    assert "disk is full" in page and "Errno" not in page
    assert "No space left on device" in caplog.text  # the detail, for whoever runs Studio
    assert not Upload.objects.exists()
    assert _files_under(media) == []


@pytest.mark.django_db
def test_a_song_that_fills_the_disk_fails_in_words_and_the_library_keeps_its_tracks(
        owner, small_disk, caplog):
    small_disk(640)
    kept = make_track(owner, title="Already saved")
    kept_bytes = open(kept.audio.path, "rb").read()
    generation = Generation.objects.create(owner=owner, params=IDEA)

    jobs.run(generation.pk)

    generation.refresh_from_db()
    assert generation.status == Status.GENERATE_AUDIO_FAILED
    assert generation.error_message == jobs.DISK_FULL
    assert "No space left on device" in caplog.text
    assert list(Track.objects.all()) == [kept]
    assert open(kept.audio.path, "rb").read() == kept_bytes
    assert _files_under(os.path.dirname(os.path.dirname(kept.audio.path))) == sorted(
        [kept.audio.path, kept.cover.path])


class _WriteLock:
    """Another process's view of the database: it holds the write lock from the moment the
    job has planned the song until the job gives up on saving it."""

    def __init__(self):
        self.db = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)

    def take(self, sender, generation, status, **kwargs):
        if status == Status.TEXT_SUCCESS:
            self.db.execute("BEGIN IMMEDIATE")

    def release(self):
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")


class _ReleaseWhenLogged(logging.Handler):
    def __init__(self, write_lock):
        super().__init__(logging.ERROR)
        self.write_lock = write_lock

    def emit(self, record):
        self.write_lock.release()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="an SQLite write lock")
def test_a_locked_database_fails_the_song_in_words_and_keeps_what_was_saved(owner, caplog):
    kept = make_track(owner, title="Already saved")
    generation = Generation.objects.create(owner=owner, params=IDEA)
    lock = _WriteLock()
    stage_reached.connect(lock.take, sender=Generation, dispatch_uid="test-write-lock")
    handler = _ReleaseWhenLogged(lock)
    logging.getLogger("studio.jobs").addHandler(handler)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 300")  # give up in 0.3 s rather than 20
    try:
        jobs.run(generation.pk)
    finally:
        lock.release()
        stage_reached.disconnect(dispatch_uid="test-write-lock", sender=Generation)
        logging.getLogger("studio.jobs").removeHandler(handler)
        connection.close()  # the next test's connection starts with the usual busy_timeout

    generation.refresh_from_db()
    assert generation.status == Status.GENERATE_AUDIO_FAILED
    assert generation.error_message == jobs.DATABASE_BUSY
    assert "database is locked" in caplog.text
    assert list(Track.objects.all()) == [kept] and os.path.exists(kept.audio.path)
    assert _files_under(os.path.dirname(os.path.dirname(kept.audio.path))) == sorted(
        [kept.audio.path, kept.cover.path])
