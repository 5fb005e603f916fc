"""Whole song from the local engine's own extensions, measured on the stitched file: each
source up to its extension's point, then the extension's new music, nothing twice."""
import pytest

from studio.generation import jobs
from studio.generation.models import Generation, Mode, Status
from studio.generation.stitching import whole_song
from studio.library.stitch import StitchError
from tests.audio import decode
from tests.library.factories import audio_track, tone_mp3

pytestmark = pytest.mark.django_db
FRAME = 1152 / 44100


def _generate(owner, mode, params, source=None):
    generation = Generation.objects.create(owner=owner, mode=mode, params=params, seed=3,
                                           source_track=source)
    jobs.run(generation.pk)
    generation.refresh_from_db()
    assert generation.status == Status.SUCCESS, generation.error_message
    return generation.tracks.order_by("variation").first()


def _extend(owner, source, at):
    return _generate(owner, Mode.EXTEND, {
        "audioId": str(source.pk), "continueAt": at, "model": "V4_5", "defaultParamFlag": True,
        "instrumental": True, "style": "folk", "title": "More", "_duration": 8}, source=source)


def test_an_engine_extension_of_a_vendor_extension_joins_without_repeating(owner):
    root = audio_track(owner, tone_mp3(6.0, 220)[0], 6.0, title="Root")
    vendor = audio_track(owner, tone_mp3(8.0, 330)[0], 8.0, title="Vendor", parent=root,
                         continue_at=4.0)
    extension = _extend(owner, vendor, 5.0)
    song = whole_song(extension, owner)
    samples, rate = decode(song.audio.path)
    ext, _ = decode(extension.audio.path)
    # root up to 4 s, the vendor's part up to its 5 s, then the engine's new music
    expected = 4.0 + 5.0 + (len(ext) / rate - 5.0)
    assert abs(len(samples) / rate - expected) <= 2 * FRAME
    assert abs(song.duration - expected) <= 2 * FRAME


def test_one_engine_extension_already_is_the_whole_song(owner):
    root = audio_track(owner, tone_mp3(6.0, 220)[0], 6.0, title="Root")
    extension = _extend(owner, root, 4.0)
    assert extension.analysis["includes_source"] is True
    with pytest.raises(StitchError, match="already is the whole song"):
        whole_song(extension, owner)
