"""The stems' API links give MP3s, as the vendors' separation does: audio/mpeg, tagged
"River – Vocals" with the cover, encoded from the kept FLAC on the first request and kept;
the same link ending in .flac is the lossless stem. Measured against the FLAC with a decoder
independent of Studio's (FFmpeg); someone else's stem is a 404; on S3 too."""
from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile
from django.core.files.base import ContentFile
from mutagen.id3 import ID3

from studio import mp3
from studio.library import stems as kept_stems
from studio.library.models import Stems, Track
from tests.audio import decode, rms_dbfs
from tests.factories import make_track, mp3_bytes, tune_samples

RECORD = "/api/v1/vocal-removal/record-info"
FRAME = mp3.SAMPLES_PER_FRAME


def stereo_flac(seconds: float, tonic: int, seed: int) -> bytes:
    left = tune_samples(bpm=110, tonic=tonic, seconds=seconds, seed=seed)
    right = np.roll(left, 441) * 0.8  # not the same in both ears
    buffer = io.BytesIO()
    soundfile.write(buffer, np.stack([left, right], axis=1), 44100, subtype="PCM_16",
                    format="FLAC")
    return buffer.getvalue()


@pytest.fixture
def separated(owner) -> Stems:
    """The owner's "River", taken apart into vocals and drums kept as FLAC (as derive.py
    keeps them), by a split_stem request."""
    track = make_track(owner, title="River", lyrics="Hold the night, my friend", duration=6.0)
    for name, tonic, seed in (("vocals", 69, 1), ("drums", 45, 2)):
        track.audio.storage.save(kept_stems.flac_name(track, name),
                                 ContentFile(stereo_flac(6.0, tonic, seed)))
    return Stems.objects.create(owner=owner, track=track, kind=Stems.Kind.SPLIT_STEM,
                                status=Stems.Status.SUCCESS,
                                files={"vocals": "stem-vocals.flac", "drums": "stem-drums.flac"})


@pytest.fixture
def encodes(monkeypatch) -> list[int]:
    """The sample counts studio.mp3 was asked to encode, one per encoding."""
    calls, real = [], mp3.encode

    def counted(audio, *args, **kwargs):
        calls.append(np.atleast_2d(audio).shape[1])
        return real(audio, *args, **kwargs)

    monkeypatch.setattr(mp3, "encode", counted)
    return calls


def links(api, stems: Stems) -> dict:
    answer = api.get(RECORD, {"taskId": stems.task_id}).json()
    assert answer["code"] == 200, answer
    return answer["data"]["response"]


def fetched(client, url, **headers):
    response = client.get(url.removeprefix("http://testserver"), headers=headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def measured(data: bytes, tmp_path, name: str) -> np.ndarray:
    path = tmp_path / name
    path.write_bytes(data)
    samples, rate = decode(path)
    assert rate == 44100
    return samples


def stem_mp3s(track: Track) -> list[str]:
    _dirs, names = track.audio.storage.listdir(track.folder)
    return sorted(n for n in names if n.startswith("stem-") and n.endswith(".mp3"))


def test_a_stem_link_is_an_mp3_that_sounds_as_the_flac_stem(api, client, separated, tmp_path):
    track = separated.track
    response = links(api, separated)
    assert response["vocalUrl"].endswith(".mp3") and response["drumsUrl"].endswith(".mp3")
    assert response["originUrl"].endswith(".mp3") and response["bassUrl"] == ""

    for key, name in (("vocalUrl", "vocals"), ("drumsUrl", "drums")):
        answer, body = fetched(client, response[key])
        assert answer.status_code == 200 and answer["Content-Type"] == "audio/mpeg"
        assert body[:3] == b"ID3"
        ours = measured(body, tmp_path, f"{name}.mp3")
        with track.audio.storage.open(kept_stems.flac_name(track, name), "rb") as fh:
            lossless = measured(fh.read(), tmp_path, f"{name}.flac")
        assert abs(len(ours) - len(lossless)) <= FRAME, (len(ours), len(lossless))
        n = min(len(ours), len(lossless))
        correlation = np.corrcoef(ours[:n].ravel(), lossless[:n].ravel())[0, 1]
        assert correlation > 0.99, correlation
        assert abs(rms_dbfs(ours) - rms_dbfs(lossless)) < 0.5

        tags = ID3(tmp_path / f"{name}.mp3")
        label = kept_stems.LABELS[name]
        assert str(tags["TIT2"]) == f"River – {label}" and str(tags["TPE1"]) == "ada"
        cover = tags.getall("APIC")
        assert len(cover) == 1 and cover[0].mime == "image/jpeg" and len(cover[0].data) > 100
        assert bool(tags.getall("USLT")) == (name == "vocals")  # the words go with the voice


def test_an_mp3_is_encoded_once_and_kept_until_the_track_is_renamed(
        api, client, separated, encodes, tmp_path):
    track = separated.track
    url = links(api, separated)["vocalUrl"]
    first, body = fetched(client, url)
    again, same = fetched(client, url)
    assert first.status_code == again.status_code == 200 and same == body
    assert first["ETag"] == again["ETag"] and len(encodes) == 1
    [kept] = stem_mp3s(track)
    assert kept.startswith("stem-vocals-")
    part, piece = fetched(client, url, Range="bytes=100-199")
    assert part.status_code == 206 and piece == body[100:200]

    track.title = "Delta"
    track.save(update_fields=["title"])
    renamed, fresh = fetched(client, url)
    assert renamed.status_code == 200 and len(encodes) == 2
    assert str(ID3(io.BytesIO(fresh))["TIT2"]) == "Delta – Vocals"
    assert stem_mp3s(track) != [kept] and len(stem_mp3s(track)) == 1  # the old copy went


def test_the_same_link_ending_in_flac_is_the_lossless_stem(api, client, separated, encodes):
    track = separated.track
    url = links(api, separated)["vocalUrl"].removesuffix(".mp3") + ".flac"
    answer, body = fetched(client, url)
    assert answer.status_code == 200 and answer["Content-Type"] == "audio/flac"
    with track.audio.storage.open(kept_stems.flac_name(track, "vocals"), "rb") as fh:
        assert body == fh.read()
    assert encodes == [] and stem_mp3s(track) == []


def test_a_download_link_of_a_stem_is_an_mp3_named_after_the_track(api, client, separated):
    url = links(api, separated)["drumsUrl"]
    answer = api.post("/api/v1/common/download-url", {"url": url}).json()
    assert answer["code"] == 200 and answer["data"].endswith(".mp3"), answer
    download, body = fetched(client, answer["data"])
    assert download.status_code == 200 and download["Content-Type"] == "audio/mpeg"
    assert download["Content-Disposition"] == 'attachment; filename="River - Drums.mp3"'
    assert body == fetched(client, url)[1]


def test_someone_elses_stem_is_a_404(api, stranger_api, client, stranger, separated):
    url = links(api, separated)["vocalUrl"]
    assert stranger_api.get(RECORD, {"taskId": separated.task_id}).json()["code"] == 404
    answer = stranger_api.post("/api/v1/common/download-url", {"url": url}).json()
    assert answer["code"] == 404 and "no file of yours" in answer["msg"]
    client.force_login(stranger)
    track = separated.track
    assert client.get(f"/tracks/{track.pk}/stems/vocals.flac").status_code == 404
    assert client.get(f"/tracks/{track.pk}/stems.zip").status_code == 404


@pytest.mark.parametrize("change", [
    lambda url: url.replace("vocals", "bass"),  # not signed: the token no longer reads
    lambda url: url.removesuffix(".mp3") + ".wav",
])
def test_a_link_changed_by_hand_is_a_404(api, client, separated, change):
    url = links(api, separated)["vocalUrl"]
    assert client.get(change(url).removeprefix("http://testserver")).status_code == 404


def test_a_stem_the_track_does_not_have_is_a_404(client, separated, encodes):
    from studio.api import files

    track = separated.track
    for name in ("bass", "no_such_part"):
        url = files.stem_url(track, name, "")
        assert client.get(url).status_code == 404
    assert encodes == [] and stem_mp3s(track) == []


def test_a_vendors_own_mp3_is_served_retagged_not_encoded_again(
        api, client, separated, encodes, tmp_path):
    track = separated.track
    theirs = mp3_bytes(6.0)  # as a vendor's separation sends it (connections/derived.py)
    track.audio.storage.save(f"{track.folder}/stem-vocals.mp3", ContentFile(theirs))
    answer, body = fetched(client, links(api, separated)["vocalUrl"])
    assert answer.status_code == 200 and encodes == []
    assert str(ID3(io.BytesIO(body))["TIT2"]) == "River – Vocals"
    assert np.array_equal(measured(body, tmp_path, "ours.mp3"),
                          measured(theirs, tmp_path, "theirs.mp3"))


def test_a_vendor_stem_kept_anew_drops_the_mp3s_made_from_the_one_before(
        owner, client, api, separated, loopback_allowed, receiver, tmp_path):
    from studio.connections.derived import _keep_stem

    track = separated.track
    fetched(client, links(api, separated)["vocalUrl"])
    assert len(stem_mp3s(track)) == 1
    theirs = mp3_bytes(4.0)
    receiver.files["/vocals.mp3"] = theirs
    assert _keep_stem(track, "vocals", receiver.url + "/vocals.mp3") == "stem-vocals.flac"
    assert stem_mp3s(track) == ["stem-vocals.mp3"]  # the vendor's file, kept as it came
    with track.audio.storage.open(f"{track.folder}/stem-vocals.mp3", "rb") as fh:
        assert fh.read() == theirs
    answer, body = fetched(client, links(api, separated)["vocalUrl"])
    assert answer.status_code == 200
    assert abs(len(measured(body, tmp_path, "new.mp3")) - 4.0 * 44100) <= FRAME


@pytest.mark.s3
def test_on_s3_the_mp3_is_made_from_the_bucket_and_kept_there(
        api, client, separated, settings, tmp_path):
    from tests import s3

    track = separated.track
    answer, body = fetched(client, links(api, separated)["vocalUrl"])
    assert answer.status_code == 200 and answer["Content-Type"] == "audio/mpeg"
    keys = s3.keys(settings.STUDIO_S3_BUCKET)
    made = [k for k in keys if k.startswith(f"{track.folder}/stem-vocals-") and k.endswith(".mp3")]
    assert len(made) == 1 and s3.objects(settings.STUDIO_S3_BUCKET)[made[0]] == body
    assert abs(len(measured(body, tmp_path, "s3.mp3")) - 6.0 * 44100) <= FRAME
    part, piece = fetched(client, links(api, separated)["vocalUrl"], Range="bytes=0-9")
    assert part.status_code == 206 and piece == body[:10]
    media = settings.MEDIA_ROOT
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_a_vendors_backing_vocals_have_a_link_that_serves(client, separated, tmp_path):
    """The vendors' split_stem names hold an underscore (backing_vocals): its links serve."""
    from studio.api import files

    track = separated.track
    track.audio.storage.save(kept_stems.flac_name(track, "backing_vocals"),
                             ContentFile(stereo_flac(2.0, 64, 3)))
    url = files.stem_url(track, "backing_vocals", "")
    answer, body = fetched(client, url)
    assert answer.status_code == 200 and answer["Content-Type"] == "audio/mpeg"
    assert str(ID3(io.BytesIO(body))["TIT2"]) == "River – Backing vocals"
    assert fetched(client, url.removesuffix(".mp3") + ".flac")[0].status_code == 200
