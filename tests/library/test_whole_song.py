"""A chain of extensions stitched into one new track: each part in order, nothing doubled."""
import numpy as np
import pytest

from studio.generation.stitching import whole_song
from studio.library.models import Track
from studio.library.stitch import StitchError, chain_of
from tests.audio import decode, duration
from tests.library.factories import audio_track, tone_mp3
from tests.s3 import stored

pytestmark = pytest.mark.django_db
FRAME = 1152 / 44100  # one MP3 frame


def pitch_at(samples, rate, t, window=0.2):
    """The strongest frequency around second `t`."""
    chunk = samples[int(t * rate): int((t + window) * rate)].mean(axis=1)
    spectrum = np.abs(np.fft.rfft(chunk * np.hanning(len(chunk))))
    return np.fft.rfftfreq(len(chunk), 1 / rate)[np.argmax(spectrum)]


@pytest.fixture
def vendor_chain(owner):
    """Extensions holding only their new music (the vendors' API)."""
    root = audio_track(owner, tone_mp3(3.0, 220)[0], 3.0, title="Root")
    e1 = audio_track(owner, tone_mp3(2.0, 330)[0], 2.0, title="E1", parent=root,
                     continue_at=1.5)
    e2 = audio_track(owner, tone_mp3(2.0, 440)[0], 2.0, title="E2", parent=e1,
                     continue_at=1.0)
    return root, e1, e2


def test_vendor_chain_is_each_source_up_to_its_point_then_the_extension(owner, vendor_chain):
    root, e1, e2 = vendor_chain
    song = whole_song(e2, owner)
    samples, rate = decode(stored(song.audio))
    assert abs(duration(stored(song.audio)) - (1.5 + 1.0 + 2.0)) <= FRAME
    assert abs(song.duration - 4.5) <= FRAME
    assert round(pitch_at(samples, rate, 0.5)) in range(215, 226)
    assert round(pitch_at(samples, rate, 2.0)) in range(325, 336)
    assert round(pitch_at(samples, rate, 3.5)) in range(435, 446)


def test_whole_song_is_a_new_library_track(owner, vendor_chain):
    root, e1, e2 = vendor_chain
    song = whole_song(e2, owner)
    assert song.owner == owner and song.parent == e2
    assert song.generation.status == "SUCCESS"
    assert song.generation.params["stitchedFrom"] == [str(root.pk), str(e1.pk), str(e2.pk)]
    assert song.cover and open(stored(song.cover), "rb").read() == open(stored(root.cover), "rb").read()
    assert len(song.peaks) == 200 and max(song.peaks) == 1.0
    assert song.title == "Root (whole song)"


@pytest.fixture
def mixed_chain(owner):
    """A vendor's extension (new music only), then an engine's extension of it that holds
    its source: e1 up to 1.0 s, then 2 s of new music."""
    root = audio_track(owner, tone_mp3(3.0, 220)[0], 3.0, title="Root")
    vendor, vendor_samples = tone_mp3(2.0, 330)
    e1 = audio_track(owner, vendor, 2.0, title="E1", parent=root, continue_at=1.5)
    held, _ = tone_mp3(2.0, 440, prefix=vendor_samples[: int(1.0 * 44100)])
    return root, e1, held


def test_extensions_that_hold_their_source_are_cut_at_their_point(owner, mixed_chain):
    root, e1, held = mixed_chain
    e2 = audio_track(owner, held, 3.0, title="E2", parent=e1, continue_at=1.0,
                     analysis={"includes_source": True})
    song = whole_song(e2, owner)
    # root up to 1.5 s, then e1's new music up to its 1.0 s, then e2's 2 s of new music
    assert abs(duration(stored(song.audio)) - (1.5 + 1.0 + 2.0)) <= FRAME
    samples, rate = decode(stored(song.audio))
    assert round(pitch_at(samples, rate, 0.5)) in range(215, 226)
    assert round(pitch_at(samples, rate, 2.0)) in range(325, 336)
    assert round(pitch_at(samples, rate, 3.5)) in range(435, 446)


def test_a_held_source_is_recognised_by_ear_when_the_engine_does_not_say(owner, mixed_chain):
    root, e1, held = mixed_chain
    e2 = audio_track(owner, held, 3.0, title="E2", parent=e1, continue_at=1.0)
    assert abs(duration(stored(whole_song(e2, owner).audio)) - 4.5) <= FRAME


def _single_held_extension(owner, analysis):
    first, prefix = tone_mp3(3.0, 220)
    root = audio_track(owner, first, 3.0, title="Root")
    held, _ = tone_mp3(2.0, 330, prefix=prefix[: int(1.5 * 44100)])
    return audio_track(owner, held, 3.5, title="E1", parent=root, continue_at=1.5, analysis=analysis)


@pytest.mark.parametrize("analysis", [{"includes_source": True}, {}], ids=["said", "heard"])
def test_one_extension_that_holds_its_source_is_not_copied_as_a_whole_song(owner, analysis):
    """Issue 14, defect 13: it already is the whole song; joining it made a duplicate."""
    e1 = _single_held_extension(owner, analysis)
    with pytest.raises(StitchError, match="already is the whole song"):
        whole_song(e1, owner)
    assert Track.objects.filter(title="Root (whole song)").count() == 0


def test_the_page_of_an_extension_holding_the_whole_song_says_so_instead_of_offering_a_copy(
        owner_client, owner):
    e1 = _single_held_extension(owner, {"includes_source": True})
    page = owner_client.get(f"/tracks/{e1.pk}/").content.decode()
    assert "already is the whole song" in page and "Make whole song" not in page
    response = owner_client.post(f"/tracks/{e1.pk}/whole-song", follow=True)
    assert "already is the whole song" in response.content.decode()
    assert Track.objects.count() == 2


def test_no_click_at_the_joints(owner, vendor_chain):
    song = whole_song(vendor_chain[2], owner)
    samples, rate = decode(stored(song.audio))
    jumps = np.abs(np.diff(samples[:, 0]))
    assert jumps.max() < 0.1  # a 440 Hz sine at 0.3 moves at most ~0.02 per sample


def test_a_track_that_is_no_extension_cannot_be_stitched(owner, vendor_chain):
    with pytest.raises(StitchError):
        chain_of(vendor_chain[0], owner)


def test_make_whole_song_button_makes_it_and_opens_it(owner_client, owner, vendor_chain):
    response = owner_client.post(f"/tracks/{vendor_chain[2].pk}/whole-song")
    song = Track.objects.get(title="Root (whole song)")
    assert response.status_code == 302 and response["Location"] == f"/tracks/{song.pk}/"
    assert "Root (whole song)" in owner_client.get("/").content.decode()
