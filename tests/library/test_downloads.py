"""Downloads: tagged MP3, WAV, safe file names, and the ZIP of a selection."""
import io
import json
import zipfile

import numpy as np
import pytest
import soundfile
from django.core.files.base import ContentFile
from mutagen.id3 import ID3
from mutagen.wave import WAVE

from studio.library.downloads import safe_filename
from tests.audio import duration
from tests.factories import make_track
from tests.s3 import stored

pytestmark = pytest.mark.django_db

LYRICS = "[Verse]\nsalt on the window\n[Chorus]\nhome, home"


@pytest.fixture
def track(owner):
    owner.first_name, owner.last_name = "Ada", "Lovelace"
    owner.save()
    return make_track(owner, title="Harbour Lights", style="sea shanty folk, accordion",
                      lyrics=LYRICS)


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_mp3_carries_id3_tags(owner_client, track, tmp_path):
    response = owner_client.get(f"/tracks/{track.pk}/download.mp3")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Harbour Lights (take 1).mp3"'
    path = tmp_path / "d.mp3"
    path.write_bytes(content(response))
    tags = ID3(path)
    assert tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]) == "Harbour Lights"
    assert str(tags["TPE1"]) == "Ada Lovelace"
    assert str(tags["TALB"]) == "Studio"
    assert str(tags["TCON"]) == "sea shanty folk"
    assert tags.getall("USLT")[0].text == LYRICS
    cover = tags.getall("APIC")[0]
    assert cover.mime == "image/jpeg" and cover.data[:3] == b"\xff\xd8\xff"
    assert abs(duration(path) - duration(stored(track.audio))) < 0.05


def test_download_never_touches_the_stored_original(owner_client, track):
    before = open(stored(track.audio), "rb").read()
    etag = owner_client.get(f"/tracks/{track.pk}/audio.mp3")["ETag"]
    owner_client.get(f"/tracks/{track.pk}/download.mp3")
    assert open(stored(track.audio), "rb").read() == before
    assert owner_client.get(f"/tracks/{track.pk}/audio.mp3")["ETag"] == etag


def test_artist_falls_back_to_the_username(owner_client, owner, tmp_path):
    track = make_track(owner, title="Plain")
    path = tmp_path / "d.mp3"
    path.write_bytes(content(owner_client.get(f"/tracks/{track.pk}/download.mp3")))
    assert str(ID3(path)["TPE1"]) == "ada"


def test_a_rename_gives_freshly_tagged_downloads(owner_client, track, tmp_path):
    owner_client.get(f"/tracks/{track.pk}/download.mp3")
    owner_client.post(f"/tracks/{track.pk}/rename", {"title": "Renamed"})
    path = tmp_path / "d.mp3"
    path.write_bytes(content(owner_client.get(f"/tracks/{track.pk}/download.mp3")))
    assert str(ID3(path)["TIT2"]) == "Renamed"


def test_wav_decodes_to_the_same_duration(owner_client, track, tmp_path):
    response = owner_client.get(f"/tracks/{track.pk}/download.wav")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Harbour Lights (take 1).wav"'
    info = soundfile.info(io.BytesIO(content(response)))
    assert info.format == "WAV" and info.subtype == "PCM_16"
    assert abs(info.duration - duration(stored(track.audio))) < 0.03


def test_non_ascii_titles_use_filename_star(owner_client, owner):
    track = make_track(owner, title="Café “Nocturne”")
    header = owner_client.get(f"/tracks/{track.pk}/download.mp3")["Content-Disposition"]
    assert "filename*=utf-8''Caf%C3%A9%20%E2%80%9CNocturne%E2%80%9D%20%28take%201%29.mp3" in header


@pytest.mark.parametrize("title, expected", [
    ('a<b>c:d"e/f\\g|h?i*j', "abcdefghij.mp3"),
    ("tab\there\x00\x1f", "tab here.mp3"),
    ("Ends with dots...  ", "Ends with dots.mp3"),
    ("CON", "CON (track).mp3"), ("nul.txt", "nul.txt (track).mp3"), ("com1", "com1 (track).mp3"),
    ("", "Untitled.mp3"), ("???", "Untitled.mp3"), ("Über 東京", "Über 東京.mp3")])
def test_file_names_are_safe_on_every_system(title, expected):
    assert safe_filename(title, "mp3") == expected


def test_export_zips_the_selection_with_its_settings(owner_client, owner, track):
    other = make_track(owner, title="Harbour Lights")  # same title: names must not collide
    child = make_track(owner, title="Ext", parent=track, continue_at=1.0)
    response = owner_client.post("/export.zip", {"track": [track.pk, other.pk, child.pk]})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(content(response)))
    names = sorted(archive.namelist())
    assert names == ["Ext (take 1).mp3", "Harbour Lights (take 1) (2).mp3", "Harbour Lights (take 1).mp3",
                     "tracks.json"]
    listing = json.loads(archive.read("tracks.json"))["tracks"]
    by_id = {entry["id"]: entry for entry in listing}
    assert set(by_id) == {str(track.pk), str(other.pk), str(child.pk)}
    entry = by_id[str(child.pk)]
    assert entry["parent"] == str(track.pk) and entry["continue_at"] == 1.0
    for key in ("title", "style", "lyrics", "duration", "model", "params", "created_at"):
        assert key in entry
    with archive.open(by_id[str(track.pk)]["file"]) as mp3:
        assert mp3.read(3) == b"ID3"


@pytest.fixture
def two_takes(owner):
    """The two takes of one generation: the same title, as the engine names them."""
    first = make_track(owner, title="Night Drive")
    second = make_track(owner, title="Night Drive", variation=1, generation=first.generation)
    return first, second


@pytest.mark.parametrize("kind", ["mp3", "wav"])
def test_the_two_takes_download_under_different_names(owner_client, two_takes, kind):
    """Issue 14, defect 14: both takes arrived as "Night Drive.mp3"."""
    first, second = (owner_client.get(f"/tracks/{t.pk}/download.{kind}")["Content-Disposition"]
                     for t in two_takes)
    assert first == f'attachment; filename="Night Drive (take 1).{kind}"'
    assert second == f'attachment; filename="Night Drive (take 2).{kind}"'


def test_the_two_takes_keep_their_names_in_a_zip(owner_client, two_takes):
    response = owner_client.post("/export.zip", {"track": [t.pk for t in two_takes]})
    archive = zipfile.ZipFile(io.BytesIO(content(response)))
    assert sorted(archive.namelist()) == ["Night Drive (take 1).mp3", "Night Drive (take 2).mp3",
                                          "tracks.json"]
    listing = json.loads(archive.read("tracks.json"))["tracks"]
    assert {e["variation"]: e["file"] for e in listing} == {0: "Night Drive (take 1).mp3",
                                                           1: "Night Drive (take 2).mp3"}


def test_a_non_ascii_title_names_each_take_in_both_header_forms(owner_client, owner):
    first = make_track(owner, title="Über 東京")
    second = make_track(owner, title="Über 東京", variation=1, generation=first.generation)
    headers = [owner_client.get(f"/tracks/{t.pk}/download.wav")["Content-Disposition"]
               for t in (first, second)]
    assert "filename*=utf-8''%C3%9Cber%20%E6%9D%B1%E4%BA%AC%20%28take%201%29.wav" in headers[0]
    assert "filename*=utf-8''%C3%9Cber%20%E6%9D%B1%E4%BA%AC%20%28take%202%29.wav" in headers[1]


def test_export_refuses_a_foreign_id(owner_client, owner, stranger, track):
    foreign = make_track(stranger, title="Not yours")
    response = owner_client.post("/export.zip", {"track": [track.pk, foreign.pk]})
    assert response.status_code == 404


def test_export_refuses_nonsense_ids(owner_client, track):
    assert owner_client.post("/export.zip", {"track": ["nope"]}).status_code == 404


def test_export_is_post_only(owner_client):
    assert owner_client.get("/export.zip").status_code == 405


def test_wav_carries_the_mp3s_tags_as_riff_info_and_id3(owner_client, track, tmp_path):
    # The WAV download had no tags at all: a player showed its file name and no cover.
    path = tmp_path / "d.wav"
    path.write_bytes(content(owner_client.get(f"/tracks/{track.pk}/download.wav")))
    with soundfile.SoundFile(path) as wav:  # the RIFF INFO list, as libsndfile reads it
        assert (wav.title, wav.artist, wav.album, wav.genre) == (
            "Harbour Lights", "Ada Lovelace", "Studio", "sea shanty folk")
        assert wav.subtype == "PCM_16"
        assert abs(wav.frames / wav.samplerate - duration(stored(track.audio))) < 0.03
    tags = WAVE(path).tags  # the ID3 chunk
    assert str(tags["TIT2"]) == "Harbour Lights" and str(tags["TPE1"]) == "Ada Lovelace"
    assert tags.getall("USLT")[0].text == LYRICS
    assert tags.getall("APIC")[0].data[:3] == b"\xff\xd8\xff"


def test_a_rename_gives_a_freshly_tagged_wav_and_the_old_copy_goes(owner_client, track, tmp_path):
    owner_client.get(f"/tracks/{track.pk}/download.wav")
    owner_client.post(f"/tracks/{track.pk}/rename", {"title": "Renamed"})
    path = tmp_path / "d.wav"
    path.write_bytes(content(owner_client.get(f"/tracks/{track.pk}/download.wav")))
    assert str(WAVE(path).tags["TIT2"]) == "Renamed"
    _dirs, files = track.audio.storage.listdir(track.folder)
    assert len([f for f in files if f.startswith("wav-")]) == 1


def test_a_master_wav_downloads_sample_for_sample_in_its_own_format(owner_client, track):
    # A 24-bit master must not come down as 16 bits: the tags are added, nothing else changes.
    rng = np.random.default_rng(7)
    ramp = rng.integers(-(1 << 23), 1 << 23, size=(44100, 2)).astype(np.int32) << 8
    master = io.BytesIO()
    soundfile.write(master, ramp, 44100, subtype="PCM_24", format="WAV")
    track.wav.save("master.wav", ContentFile(master.getvalue()))
    response = owner_client.get(f"/tracks/{track.pk}/download.wav")
    with soundfile.SoundFile(io.BytesIO(content(response))) as wav:
        assert (wav.subtype, wav.samplerate, wav.title) == ("PCM_24", 44100, "Harbour Lights")
        assert np.array_equal(wav.read(dtype="int32"), ramp)
