"""A track's files are stored with its row, or not at all."""
import pytest
from django.db import IntegrityError

from studio.library.models import Track
from tests.factories import make_track, mp3_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_row_that_cannot_be_written_leaves_no_files(owner, tmp_path, settings):
    audio = tmp_path / "take.mp3"
    audio.write_bytes(mp3_bytes(1.0))
    source = make_track(owner, title="Cover source")
    track = Track(owner=owner, generation=None, variation=0, title="Orphan", duration=1.0)
    with pytest.raises(IntegrityError):  # no generation: the row is refused
        track.save_with_files({"audio": ("audio.mp3", audio), "cover": ("cover.png", source.cover)})
    folder = settings.MEDIA_ROOT / "tracks" / str(owner.pk) / str(track.pk)
    assert not folder.exists() or not any(folder.iterdir())


def test_files_from_paths_and_from_storage_are_kept_with_the_row(owner, tmp_path):
    audio = tmp_path / "take.mp3"
    audio.write_bytes(mp3_bytes(1.0))
    source = make_track(owner, title="Cover source")
    track = Track(owner=owner, generation=source.generation, variation=1, title="Kept", duration=1.0)
    track.save_with_files({"audio": ("audio.mp3", audio), "cover": ("cover.png", source.cover)})
    track.refresh_from_db()
    assert track.audio.read() == audio.read_bytes()
    assert track.cover.size == source.cover.size
