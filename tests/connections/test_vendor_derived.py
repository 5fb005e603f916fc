"""What a v1 vendor derives from a take it made, asked of that vendor: the word timings of a
sung take, and its WAV master. The vendor here is a second Studio on 127.0.0.1 whose local
engine recorded when it sang each word, so its alignedWords are real; Studio keeps them with
the take and shows them as the track page's karaoke lines, as LRC and through its own API,
and copies the vendor's WAV and stems into its storage."""
import io

import httpx
import numpy as np
import pytest
import soundfile

from studio.api.models import ApiKey
from studio.generation.models import Generation, Status
from studio.library import timed_lyrics
from studio.library.models import Stems, Track, WavConversion, WavStatus
from tests.connections.conftest import connect
from tests.connections.test_end_to_end import wait_until_final
from tests.generation.workers import wait_until

LYRICS = "[Verse]\nSalt on the window, light on the sea\n[Chorus]\nCarry me home, carry me free\n"


def test_suno_style_aligned_words_become_lines_without_section_markers():
    words = [{"word": "[Verse]\nSalt ", "startS": 1.0, "endS": 1.4},
             {"word": "on\n", "startS": 1.4, "endS": 1.8},
             {"word": "[Chorus]\n", "startS": 2.0, "endS": 2.0},
             {"word": "Carry ", "startS": 3.0, "endS": 3.5},
             {"word": "me", "startS": None, "endS": 4.0},
             {"word": "home\n", "startS": 4.0, "endS": 4.6}]

    timing = timed_lyrics.from_aligned_words(words)

    assert [line["text"] for line in timing["lines"]] == ["Salt on", "Carry home"]
    assert timing["lines"][1]["words"] == [["Carry", 3.0, 3.5], ["home", 4.0, 4.6]]
    assert (timing["lines"][0]["start"], timing["lines"][0]["end"]) == (1.0, 1.8)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_vendor_take_gets_its_word_timings_and_its_wav_from_the_vendor(
        vendor_studio, studio_public, owner, owner_client):
    connection = connect(owner, vendor_studio)
    response = owner_client.post("/create/", {
        "mode": "custom", "title": "Salt", "style": "folk, female vocals", "lyrics": LYRICS,
        "model": "V4_5", "engine": str(connection.pk)})
    assert response.status_code == 302, response.content.decode()[:2000]
    generation = wait_until_final(Generation.objects.get())
    assert generation.status == Status.SUCCESS, generation.error_message
    track = generation.tracks.order_by("variation").first()
    assert "lyrics_timing" not in track.analysis  # nothing asked while keeping the take

    # What the vendor itself says, asked directly with its key.
    theirs = httpx.post(vendor_studio.url + "/api/v1/generate/get-timestamped-lyrics",
                        headers={"Authorization": f"Bearer {vendor_studio.key}"}, timeout=30,
                        json={"taskId": generation.engine_task_id,
                              "audioId": track.engine_id}).json()["data"]["alignedWords"]
    assert len(theirs) >= 10

    # The track page does not wait for the vendor: its lyrics card asks after the page.
    page = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    panel_url = f"/tracks/{track.pk}/lyrics/"
    assert f'hx-get="{panel_url}"' in page and "karaoke-line" not in page
    panel = owner_client.get(panel_url).content.decode()
    assert panel.count('class="karaoke-line"') >= 2

    # Studio's API answers with the vendor's words and times, now from what it kept.
    key = ApiKey.issue(owner, "checks")[1]
    ours = owner_client.post("/api/v1/generate/get-timestamped-lyrics",
                             {"taskId": str(generation.pk), "audioId": str(track.pk)},
                             content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert ours["code"] == 200, ours
    sung = [(w["word"].strip(), w["startS"], w["endS"]) for w in theirs if w["word"].strip()]
    assert [(w["word"].strip(), w["startS"], w["endS"]) for w in ours["data"]["alignedWords"]] \
        == [(word, round(s, 3), round(e, 3)) for word, s, e in sung]
    kept = Track.objects.get(pk=track.pk).analysis["lyrics_timing"]
    assert kept["source"] == "vendor" and len(kept["lines"]) >= 2
    assert vendor_studio.url not in page and vendor_studio.url not in panel

    lrc = owner_client.get(f"/tracks/{track.pk}/lyrics.lrc").content.decode()
    assert lrc.count("\n[0") >= 2 and "Salt" in lrc
    # Once kept, the page shows the karaoke lines at once.
    assert "karaoke-line" in owner_client.get(f"/tracks/{track.pk}/").content.decode()

    # The WAV: asked of the vendor, which calls back when it is made; Studio copies the file.
    answer = owner_client.post("/api/v1/wav/generate",
                               {"taskId": str(generation.pk), "audioId": str(track.pk)},
                               content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert answer["code"] == 200, answer
    conversion = WavConversion.objects.get(pk=answer["data"]["taskId"])
    wait_until(lambda: WavConversion.objects.get(pk=conversion.pk).status != WavStatus.PENDING,
               seconds=120)
    conversion.refresh_from_db()
    assert conversion.status == WavStatus.SUCCESS, conversion.error_message
    assert conversion.vendor_task_id  # made by the vendor, not decoded here
    vendor_wav = httpx.get(vendor_studio.url + "/api/v1/wav/record-info",
                           headers={"Authorization": f"Bearer {vendor_studio.key}"},
                           params={"taskId": conversion.vendor_task_id},
                           timeout=10).json()["data"]
    assert vendor_wav["successFlag"] == "SUCCESS"
    theirs = httpx.get(vendor_wav["response"]["audioWavUrl"], timeout=30).content
    record = owner_client.get("/api/v1/wav/record-info", {"taskId": conversion.task_id},
                              HTTP_AUTHORIZATION=f"Bearer {key}").json()["data"]
    url = record["response"]["audioWavUrl"]
    assert url.startswith(studio_public.replace("localhost", "127.0.0.1"))
    assert vendor_studio.url not in url
    ours = httpx.get(url, timeout=30).content
    assert ours == theirs and ours[:4] == b"RIFF"
    samples, rate = soundfile.read(io.BytesIO(ours))
    assert abs(len(samples) / rate - track.duration) < 0.2
    # The library's WAV download serves the same master, sample for sample, tagged.
    download = owner_client.get(f"/tracks/{track.pk}/download.wav")
    assert download.status_code == 200
    with soundfile.SoundFile(io.BytesIO(b"".join(download.streaming_content))) as wav:
        master = soundfile.SoundFile(io.BytesIO(theirs))
        assert (wav.samplerate, wav.subtype, wav.title) == (master.samplerate, master.subtype, track.title)
        assert np.array_equal(wav.read(dtype="int32"), master.read(dtype="int32"))

    # Stems: the vendor separates its take; Studio keeps each stem (as FLAC, and the
    # vendor's MP3 as it came) beside it.
    answer = owner_client.post("/api/v1/vocal-removal/generate",
                               {"taskId": str(generation.pk), "audioId": str(track.pk),
                                "type": "separate_vocal"},
                               content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert answer["code"] == 200, answer
    stems = Stems.objects.get(pk=answer["data"]["taskId"])
    wait_until(lambda: Stems.objects.get(pk=stems.pk).status != Stems.Status.PENDING,
               seconds=180)
    stems.refresh_from_db()
    assert stems.status == Stems.Status.SUCCESS, stems.error_message
    assert stems.vendor_task_id and set(stems.files) == {"vocals", "instrumental"}
    made = httpx.get(vendor_studio.url + "/api/v1/vocal-removal/record-info",
                     headers={"Authorization": f"Bearer {vendor_studio.key}"},
                     params={"taskId": stems.vendor_task_id}, timeout=10).json()["data"]
    record = owner_client.get("/api/v1/vocal-removal/record-info", {"taskId": stems.task_id},
                              HTTP_AUTHORIZATION=f"Bearer {key}").json()["data"]
    assert record["successFlag"] == "SUCCESS"
    for key_name in ("vocalUrl", "instrumentalUrl"):
        url = record["response"][key_name]
        assert vendor_studio.url not in url and url.endswith(".mp3")
        served = httpx.get(url, timeout=30)
        assert served.headers["Content-Type"] == "audio/mpeg"
        ours, rate = soundfile.read(io.BytesIO(served.content))
        theirs, their_rate = soundfile.read(io.BytesIO(
            httpx.get(made["response"][key_name], timeout=30).content))
        assert rate == their_rate and ours.shape == theirs.shape
        # The vendor's MP3 itself (retagged), not coded again: its stem, sample for sample.
        assert np.array_equal(ours, theirs)
    # The take's page plays them in the stem player; no MIDI is promised for a vendor's take.
    page = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert page.count("data-stem-solo") == 1  # the vocals; the instrumental is their sum
    assert "Download MIDI" not in page
