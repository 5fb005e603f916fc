"""Deleting a user deletes their files: every track's audio, cover, WAV and derived files,
and their uploads. Nobody else's files are touched."""
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from studio.generation import uploads
from tests.factories import audio_bytes, make_track

pytestmark = pytest.mark.django_db


def _files_under(root):
    return sorted(os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files)


def test_deleting_a_user_deletes_their_tracks_and_uploads_but_not_anyone_elses(
        owner, stranger, settings, django_capture_on_commit_callbacks):
    track = make_track(owner, title="Lighthouse")
    track.wav.save("audio.wav", ContentFile(audio_bytes("wav", 1.0)))
    with open(os.path.join(os.path.dirname(track.audio.path), "thumb-96.webp"), "wb") as fh:
        fh.write(b"derived from the cover")  # as the library's thumbnails are
    upload = uploads.accept(owner, SimpleUploadedFile("hum.wav", audio_bytes("wav", 2.0)),
                            "hum.wav")
    theirs = make_track(stranger, title="Someone else's")
    assert len(_files_under(settings.MEDIA_ROOT)) == 7 and os.path.exists(upload.file.path)

    owner_id = owner.pk
    with django_capture_on_commit_callbacks(execute=True):
        owner.delete()

    assert _files_under(settings.MEDIA_ROOT) == sorted([theirs.audio.path, theirs.cover.path])
    assert not (settings.MEDIA_ROOT / "tracks" / str(owner_id)).exists()
    assert not (settings.MEDIA_ROOT / "uploads" / str(owner_id)).exists()


def test_a_deletion_that_is_rolled_back_keeps_the_files(
        owner, django_capture_on_commit_callbacks):
    from django.db import transaction

    track = make_track(owner)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            owner.delete()
            raise RuntimeError("changed my mind")
    assert callbacks == []
    assert os.path.exists(track.audio.path) and os.path.exists(track.cover.path)
