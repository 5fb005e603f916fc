"""Replace section and MIDI through a v1 vendor, over real HTTP on 127.0.0.1 against the
scripted vendor (tests/vendor.py) answering in the vendors' shapes: replace-section goes to the
vendor with its own task and take ids and comes back as one take (or two), kept as a child of
the source; a vendor take's MIDI is asked of its vendor from its separation, and the notes the
vendor sent are the notes in the .mid file Studio serves."""
import io
import tempfile

import httpx
import mido
import numpy as np
import pytest
from pedalboard.io import AudioFile

from studio.api.models import ApiKey, WebhookSecret
from studio.connections import tracking
from studio.connections.models import Connection, DefaultEngine, VendorMidi
from studio.generation import jobs, rules
from studio.generation.models import Generation, Mode, Status
from studio.library import lineage
from studio.library.models import Stems, Track
from tests.api.conftest import Receiver
from tests.api.test_callbacks import signature_is_valid
from tests.audio import decode
from tests.connections.test_tracking import poll_now
from tests.factories import make_track, mp3_bytes, png_bytes
from tests.vendor import (
    Answer,
    FaultVendor,
    created,
    midi_record,
    music_record,
    separation_record,
)

pytestmark = pytest.mark.django_db(transaction=True)
GENERATE, RECORD = "/api/v1/generate", "/api/v1/generate/record-info"
REPLACE = "/api/v1/generate/replace-section"
SEPARATE, SEPARATION = "/api/v1/vocal-removal/generate", "/api/v1/vocal-removal/record-info"
MIDI, MIDI_RECORD = "/api/v1/midi/generate", "/api/v1/midi/record-info"
# What the vendor serves: the source's two takes, the replaced take(s), the stems.
SECONDS = {"s1": 20.0, "s2": 21.0, "r1": 19.5, "r2": 18.0, "vocals": 20.0, "instrumental": 20.0}
# midiData as a vendor sends it: some start/end arrive as strings (suno_api.md §4.3).
MIDI_DATA = {"state": "complete", "instruments": [
    {"name": "Vocals", "notes": [{"pitch": 64, "start": "0.52", "end": "1.01", "velocity": 90},
                                 {"pitch": 67, "start": 1.25, "end": "1.9", "velocity": 84},
                                 {"pitch": 69, "start": 2.0, "end": 3.5, "velocity": 101}]},
    {"name": "Bass", "notes": [{"pitch": 40, "start": 0.0, "end": 0.75, "velocity": 110},
                               {"pitch": 43, "start": "0.75", "end": 1.5, "velocity": 100}]},
    {"name": "Drums", "notes": [{"pitch": 36, "start": 0.0, "end": 0.1, "velocity": 120},
                                {"pitch": 38, "start": 0.5, "end": 0.6, "velocity": 96}]}]}


@pytest.fixture
def vendor(studio_public, settings):
    settings.STUDIO_UPSTREAM_BACKOFF = [0.01, 0.01, 0.01]
    server = FaultVendor()
    for name, seconds in SECONDS.items():
        server.on(f"/files/{name}.mp3", Answer(raw=mp3_bytes(seconds), content_type="audio/mpeg"))
    server.on("/files/cover.png", Answer(raw=png_bytes(), content_type="image/png"))
    yield server
    server.close()


@pytest.fixture
def connection(owner, vendor):
    made = Connection(owner=owner, name="scripted vendor", family="sunoapi", base_url=vendor.url)
    made.set_api_key("vendor-key")
    made.save()
    return made


@pytest.fixture
def api(owner):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiKey.issue(owner, 'checks')[1]}"}


def takes(vendor, ids, *, snake=False):
    def key(camel, snake_name):
        return snake_name if snake else camel

    return [{"id": i, key("audioUrl", "audio_url"): f"{vendor.url}/files/{i}.mp3",
             key("streamAudioUrl", "stream_audio_url"): f"{vendor.url}/files/{i}.mp3",
             key("imageUrl", "image_url"): f"{vendor.url}/files/cover.png", "title": "Sea",
             "tags": "folk", key("modelName", "model_name"): "chirp-v4-5",
             "duration": SECONDS[i]} for i in ids]


def vendor_song(owner, connection, vendor) -> Generation:
    """A finished song the vendor made (task T1, takes s1 and s2), kept in the library."""
    vendor.on(GENERATE, created("T1"))
    vendor.on(RECORD, music_record("T1", "SUCCESS", takes(vendor, ("s1", "s2"))))
    request = rules.validate(rules.GENERATE, {"customMode": False, "prompt": "a sea song"})
    generation = jobs.submit(owner=owner, request=request, engine=connection.engine_name)
    tracking.submit(generation.pk)
    poll_now(generation)
    assert generation.status == Status.SUCCESS, generation.error_message
    return generation


def served_seconds(vendor, name) -> float:
    """How long the file the vendor serves lasts, decoded here."""
    with tempfile.NamedTemporaryFile(suffix=".mp3") as served:
        served.write(httpx.get(f"{vendor.url}/files/{name}.mp3", timeout=30).content)
        served.flush()
        samples, rate = decode(served.name)
    return len(samples) / rate


def test_a_section_of_a_vendor_take_is_replaced_by_that_vendor_from_the_track_page(
        owner, owner_client, connection, vendor):
    source = vendor_song(owner, connection, vendor).tracks.get(variation=0)
    page = owner_client.get(f"/tracks/{source.pk}/").content.decode()
    # The panel preselects the connection that made the take.
    assert f'<option value="{connection.pk}" selected>' in page

    vendor.on(REPLACE, created("R1"))
    vendor.on(RECORD, music_record("R1", "PENDING"))
    response = owner_client.post(f"/tracks/{source.pk}/replace", {
        "start": "4.5", "end": "12.25", "lyrics": "[Verse]\nNew words in the middle",
        "style": "folk, brighter", "title": "Sea (new middle)", "engine": str(connection.pk)})
    assert response.status_code == 302, response.content.decode()[:3000]
    generation = Generation.objects.get(mode=Mode.REPLACE_SECTION)
    assert generation.engine == connection.engine_name and generation.source_track == source
    tracking.submit(generation.pk)  # the job once more: nothing is sent twice

    [sent] = vendor.sent(REPLACE)
    body = sent["body"]
    assert (body["taskId"], body["audioId"]) == ("T1", "s1")  # the vendor's own ids
    assert (body["infillStartS"], body["infillEndS"]) == (4.5, 12.25)
    assert (body["prompt"], body["tags"], body["title"]) == (
        "[Verse]\nNew words in the middle", "folk, brighter", "Sea (new middle)")
    assert "model" not in body and "uploadUrl" not in body
    assert "/engines/callbacks/" in body["callBackUrl"]

    # The vendor's one "complete" callback (replace-section has no other stage), one take.
    vendor.on(RECORD, music_record("R1", "SUCCESS", takes(vendor, ("r1",))))
    answer = httpx.post(body["callBackUrl"], timeout=30, json={
        "code": 200, "msg": "All generated successfully.",
        "data": {"callbackType": "complete", "task_id": "R1",
                 "data": takes(vendor, ("r1",), snake=True)}})
    assert answer.status_code == 200
    generation.refresh_from_db()
    assert generation.status == Status.SUCCESS, generation.error_message
    [made] = generation.tracks.all()
    assert made.engine_id == "r1" and made.parent_id == source.pk
    samples, rate = decode(made.audio.path)
    assert abs(len(samples) / rate - served_seconds(vendor, "r1")) < 0.05
    assert abs(made.duration - len(samples) / rate) < 0.05
    # In the lineage, under its source.
    family = owner_client.get(f"/tracks/{source.pk}/").content.decode()
    assert f"/tracks/{made.pk}/" in family
    assert source.pk in {t.pk for t in lineage.ancestors(made, owner)}
    assert vendor.url not in owner_client.get(f"/tracks/{made.pk}/").content.decode()


def test_replace_section_through_the_api_keeps_both_takes_when_the_vendor_makes_two(
        owner, client, connection, vendor, api):
    song = vendor_song(owner, connection, vendor)
    source = song.tracks.get(variation=1)
    DefaultEngine.objects.create(owner=owner, connection=connection)
    vendor.on(REPLACE, created("R2"))
    vendor.on(RECORD, music_record("R2", "PENDING"))
    answer = client.post("/api/v1/generate/replace-section", {
        "taskId": str(song.pk), "audioId": str(source.pk), "prompt": "[Chorus]\nHome again",
        "tags": "folk", "title": "Sea II", "infillStartS": 6, "infillEndS": 14.5,
        "negativeTags": "metal", "fullLyrics": "[Verse]\nOld\n[Chorus]\nHome again",
        "callBackUrl": ""}, content_type="application/json", **api).json()
    assert answer["code"] == 200, answer
    task_id = answer["data"]["taskId"]
    body = vendor.sent(REPLACE)[0]["body"]
    assert (body["taskId"], body["audioId"], body["negativeTags"]) == ("T1", "s2", "metal")
    assert body["fullLyrics"] == "[Verse]\nOld\n[Chorus]\nHome again"

    generation = Generation.objects.get(pk=task_id)
    poll_now(generation)
    record = client.get(RECORD, {"taskId": task_id}, **api).json()["data"]
    assert record["status"] == "PENDING" and not record["response"]["sunoData"]

    vendor.on(RECORD, music_record("R2", "SUCCESS", takes(vendor, ("r1", "r2"))))
    poll_now(generation)
    assert generation.status == Status.SUCCESS, generation.error_message
    record = client.get(RECORD, {"taskId": task_id}, **api).json()["data"]
    assert record["status"] == "SUCCESS"
    listed = record["response"]["sunoData"]
    assert [round(t["duration"], 1) for t in listed] == [
        round(served_seconds(vendor, "r1"), 1), round(served_seconds(vendor, "r2"), 1)]
    assert all(t.parent_id == source.pk for t in generation.tracks.all())
    assert vendor.url not in str(record)


def test_a_section_of_an_uploaded_song_is_replaced_by_the_vendor_from_studios_link(
        owner, client, connection, vendor, api, settings):
    """An upload is no take of the vendor's: it goes as Studio's signed link (uploadUrl)
    with the model, and the vendor fetches the very audio the client uploaded."""
    DefaultEngine.objects.create(owner=owner, connection=connection)
    uploaded = client.post("/api/file-stream-upload", {
        "file": io.BytesIO(mp3_bytes(30.0)), "uploadPath": "songs"}, **api).json()
    assert uploaded["code"] == 200, uploaded
    vendor.on(REPLACE, created("R3"))
    vendor.on(RECORD, music_record("R3", "PENDING"))
    answer = client.post(REPLACE, {
        "uploadUrl": uploaded["data"]["downloadUrl"], "model": "V4_5PLUS",
        "prompt": "[Bridge]\nA new turn", "tags": "folk", "title": "Upload, new bridge",
        "infillStartS": 8, "infillEndS": 20.5, "callBackUrl": ""},
        content_type="application/json", **api).json()
    assert answer["code"] == 200, answer
    generation = Generation.objects.get(pk=answer["data"]["taskId"])
    assert generation.engine == connection.engine_name and generation.upload is not None

    body = vendor.sent(REPLACE)[0]["body"]
    assert "taskId" not in body and "audioId" not in body
    assert body["model"] == "V4_5PLUS"
    assert (body["infillStartS"], body["infillEndS"]) == (8, 20.5)
    assert body["uploadUrl"].startswith(settings.STUDIO_BASE_URL + "/api/files/")
    fetched = httpx.get(body["uploadUrl"], timeout=30)  # as the vendor fetches it
    assert fetched.status_code == 200
    with tempfile.NamedTemporaryFile(suffix=".mp3") as copy:
        copy.write(fetched.content)
        copy.flush()
        samples, rate = decode(copy.name)
    assert abs(len(samples) / rate - 30.0) < 0.1

    vendor.on(RECORD, music_record("R3", "SUCCESS", takes(vendor, ("r1",))))
    poll_now(generation)
    assert generation.status == Status.SUCCESS, generation.error_message
    [made] = generation.tracks.all()
    assert made.engine_id == "r1" and made.parent_id is None
    record = client.get(RECORD, {"taskId": str(generation.pk)}, **api).json()["data"]
    assert record["status"] == "SUCCESS" and record["type"] == "REPLACE_SECTION"
    [listed] = record["response"]["sunoData"]
    assert round(listed["duration"], 1) == round(served_seconds(vendor, "r1"), 1)
    assert vendor.url not in str(record)


def test_one_take_does_not_finish_any_other_mode(owner, connection, vendor):
    """The two-takes rule holds for songs: a vendor SUCCESS listing one take leaves the song
    waiting for the second."""
    vendor.on(GENERATE, created("T1"))
    vendor.on(RECORD, music_record("T1", "SUCCESS", takes(vendor, ("s1",))))
    request = rules.validate(rules.GENERATE, {"customMode": False, "prompt": "a sea song"})
    generation = jobs.submit(owner=owner, request=request, engine=connection.engine_name)
    tracking.submit(generation.pk)
    poll_now(generation)
    assert generation.status == Status.FIRST_SUCCESS and generation.tracks.count() == 1


def test_a_local_take_is_not_sent_to_a_vendor_which_knows_only_its_own(
        owner, owner_client, client, connection, vendor, api):
    local = make_track(owner, duration=30.0)
    page = owner_client.get(f"/tracks/{local.pk}/").content.decode()
    assert '<option value="local" selected>' in page  # Local preselected for a local take
    response = owner_client.post(f"/tracks/{local.pk}/replace", {
        "start": "4", "end": "12", "lyrics": "", "style": "folk", "title": "New",
        "engine": str(connection.pk)})
    assert response.status_code == 422
    assert "was not made through scripted vendor" in response.content.decode()
    DefaultEngine.objects.create(owner=owner, connection=connection)
    answer = client.post("/api/v1/generate/replace-section", {
        "taskId": str(local.generation.pk), "audioId": str(local.pk), "prompt": "la la",
        "tags": "folk", "title": "New", "infillStartS": 4, "infillEndS": 12},
        content_type="application/json", **api).json()
    assert answer["code"] == 422 and "choose Local" in answer["msg"]
    assert not vendor.sent(REPLACE)


# -- MIDI -----------------------------------------------------------------------------------

def notes_in(mid: bytes) -> dict[str, list[tuple]]:
    """{track name: [(pitch, start s, end s, velocity)]} read back from a Standard MIDI File."""
    song = mido.MidiFile(file=io.BytesIO(mid))
    tempo = next(m.tempo for m in song.tracks[0] if m.type == "set_tempo")
    per_tick = tempo / 1e6 / song.ticks_per_beat
    out = {}
    for track in song.tracks[1:]:
        name, now, sounding, notes = "", 0, {}, []
        for message in track:
            now += message.time
            if message.type == "track_name":
                name = message.name
            elif message.type == "note_on" and message.velocity:
                sounding[message.note] = (now, message.velocity)
            elif message.type in ("note_off", "note_on"):
                start, velocity = sounding.pop(message.note)
                notes.append((message.note, start * per_tick, now * per_tick, velocity))
        out[name] = sorted(notes, key=lambda n: (n[1], n[0]))
    return out


def vendor_notes() -> dict[str, list[tuple]]:
    return {i["name"]: sorted(((n["pitch"], float(n["start"]), float(n["end"]), n["velocity"])
                               for n in i["notes"]), key=lambda n: (n[1], n[0]))
            for i in MIDI_DATA["instruments"]}


def assert_same_notes(ours: dict, theirs: dict):
    assert set(ours) == set(theirs)
    for name, notes in theirs.items():
        assert len(ours[name]) == len(notes), name
        for got, sent in zip(ours[name], notes, strict=True):
            assert got[0] == sent[0] and got[3] == sent[3]
            assert abs(got[1] - sent[1]) <= 1 / 960 and abs(got[2] - sent[2]) <= 1 / 960


def stems_urls(vendor):
    return {"vocalUrl": f"{vendor.url}/files/vocals.mp3",
            "instrumentalUrl": f"{vendor.url}/files/instrumental.mp3"}


PULSE_BPM = 96.0


def pulse_mp3(seconds: float, bpm: float = PULSE_BPM, rate: int = 44100) -> bytes:
    """A take whose tempo and key are known: a D minor chord (over a low D) struck on every
    beat at `bpm`, each stroke dying away before the next."""
    t = np.arange(int(seconds * rate)) / rate
    since = np.mod(t, 60.0 / bpm)
    chord = sum(np.sin(2 * np.pi * f * t) for f in (73.42, 146.83, 293.66, 349.23, 440.0))
    signal = (0.15 * chord * np.exp(-since / 0.12)).astype(np.float32)
    buffer = io.BytesIO()
    with AudioFile(buffer, "w", rate, 2, format="mp3", quality=128) as out:
        out.write(np.stack([signal, signal]))
    return buffer.getvalue()


def test_a_vendor_takes_midi_is_asked_of_its_vendor_from_a_separation_and_kept(
        owner, owner_client, client, connection, vendor, api):
    vendor.on("/files/s1.mp3", Answer(raw=pulse_mp3(SECONDS["s1"]), content_type="audio/mpeg"))
    song = vendor_song(owner, connection, vendor)
    track = song.tracks.get(variation=0)
    page = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert "Make MIDI" in page and "Download MIDI" not in page
    assert owner_client.get(f"/tracks/{track.pk}/song.mid").status_code == 404

    vendor.on(SEPARATE, created("S1"))
    vendor.on(SEPARATION, separation_record("S1", "PENDING"))
    vendor.on(MIDI, created("M1"))
    vendor.on(MIDI_RECORD, midi_record("M1", 0))
    response = owner_client.post(f"/tracks/{track.pk}/midi")
    assert response.status_code == 302
    asked = VendorMidi.objects.get(track=track)
    # No separation yet: the vendor is asked for one (two stems) first, and no MIDI yet.
    [separation] = vendor.sent(SEPARATE)
    assert (separation["body"]["taskId"], separation["body"]["audioId"]) == ("T1", "s1")
    assert separation["body"]["type"] == "separate_vocal" and not vendor.sent(MIDI)
    page = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert "writing its MIDI" in page and f'hx-get="/tracks/{track.pk}/midi/"' in page
    assert owner_client.post(f"/tracks/{track.pk}/midi").status_code == 302  # asked again
    assert VendorMidi.objects.filter(track=track).count() == 1 and len(vendor.sent(SEPARATE)) == 1

    # The separation is made: its callback moves it, and the MIDI is asked for at once.
    vendor.on(SEPARATION, separation_record("S1", "SUCCESS", stems_urls(vendor)))
    assert httpx.post(separation["body"]["callBackUrl"], json={}, timeout=30).status_code == 200
    assert Stems.objects.get(track=track).status == Stems.Status.SUCCESS
    [sent] = vendor.sent(MIDI)
    assert sent["body"]["taskId"] == "S1"  # the completed separation task, the vendor's id
    assert "/engines/callbacks/derived/" in sent["body"]["callBackUrl"]

    # The vendor calls back while still pending, then once it is made.
    httpx.post(sent["body"]["callBackUrl"], json={}, timeout=30)
    assert VendorMidi.objects.get(pk=asked.pk).status == VendorMidi.Status.PENDING
    vendor.on(MIDI_RECORD, midi_record("M1", 1, MIDI_DATA))
    httpx.post(sent["body"]["callBackUrl"], timeout=30, json={
        "task_id": "M1", "code": 200, "msg": "success", "data": MIDI_DATA})
    assert VendorMidi.objects.get(pk=asked.pk).status == VendorMidi.Status.SUCCESS
    assert len(vendor.sent(MIDI)) == 1

    # The .mid download holds the vendor's notes, to a 960th of a second.
    download = owner_client.get(f"/tracks/{track.pk}/song.mid")
    assert download.status_code == 200
    mid = b"".join(download.streaming_content)
    assert_same_notes(notes_in(mid), vendor_notes())
    # The vendors send no tempo or key: the file's grid and key are the take's, as heard.
    conductor = mido.MidiFile(file=io.BytesIO(mid)).tracks[0]
    tempo = mido.tempo2bpm(next(m.tempo for m in conductor if m.type == "set_tempo"))
    assert abs(tempo - PULSE_BPM) < 2, tempo
    assert [m.key for m in conductor if m.type == "key_signature"] == ["Dm"]
    block = owner_client.get(f"/tracks/{track.pk}/midi/").content.decode()  # the poll's answer
    assert "Download MIDI" in block and "hx-get" not in block
    page = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert "Download MIDI" in page and "Make MIDI" not in page
    roll = owner_client.get(f"/tracks/{track.pk}/piano-roll.svg")
    assert roll.status_code == 200 and roll.content.count(b"<rect") >= 7

    # Studio's own API: MIDI from the separation's task, the same notes.
    stems = Stems.objects.get(track=track)
    answer = client.post(MIDI, {"taskId": str(stems.pk)}, content_type="application/json",
                         **api).json()
    assert answer["code"] == 200, answer
    record = client.get(MIDI_RECORD, {"taskId": answer["data"]["taskId"]}, **api).json()["data"]
    assert record["successFlag"] == 1
    assert_same_notes({i["name"]: sorted(((n["pitch"], n["start"], n["end"], n["velocity"])
                                          for n in i["notes"]), key=lambda n: (n[1], n[0]))
                       for i in record["midiData"]["instruments"]}, vendor_notes())
    assert len(vendor.sent(MIDI)) == 1  # kept: not asked of the vendor again


def test_midi_through_the_api_is_pending_then_made_or_failed_with_the_vendors_flag(
        owner, client, connection, vendor, api):
    song = vendor_song(owner, connection, vendor)
    track = song.tracks.get(variation=1)
    vendor.on(SEPARATE, created("S2"))
    vendor.on(SEPARATION, separation_record("S2", "SUCCESS", stems_urls(vendor)))
    answer = client.post("/api/v1/vocal-removal/generate", {
        "taskId": str(song.pk), "audioId": str(track.pk), "type": "separate_vocal"},
        content_type="application/json", **api).json()
    stems = Stems.objects.get(pk=answer["data"]["taskId"])
    httpx.post(vendor.sent(SEPARATE)[0]["body"]["callBackUrl"], json={}, timeout=30)
    assert Stems.objects.get(pk=stems.pk).status == Stems.Status.SUCCESS

    vendor.on(MIDI, created("M2"))
    vendor.on(MIDI_RECORD, midi_record("M2", 0))
    answer = client.post(MIDI, {"taskId": str(stems.pk), "audioId": str(track.pk),
                                "callBackUrl": ""}, content_type="application/json", **api).json()
    assert answer["code"] == 200, answer
    midi_task = answer["data"]["taskId"]
    assert vendor.sent(MIDI)[0]["body"]["taskId"] == "S2"
    record = client.get(MIDI_RECORD, {"taskId": midi_task}, **api).json()["data"]
    assert record["successFlag"] == 0 and record["midiData"] is None

    vendor.on(MIDI_RECORD, midi_record("M2", 3, message="no notes could be read"))
    httpx.post(vendor.sent(MIDI)[0]["body"]["callBackUrl"], json={}, timeout=30)
    record = client.get(MIDI_RECORD, {"taskId": midi_task}, **api).json()["data"]
    assert record["successFlag"] == 3 and "no notes could be read" in record["errorMessage"]

    # Asked again from a second separation request (answered from the kept stems, so not
    # the vendor's task): the vendor's own separation is what its MIDI is made from.
    again = client.post("/api/v1/vocal-removal/generate", {
        "taskId": str(song.pk), "audioId": str(track.pk), "type": "separate_vocal"},
        content_type="application/json", **api).json()["data"]["taskId"]
    assert not Stems.objects.get(pk=again).vendor_task_id
    vendor.on(MIDI, created("M3"))
    vendor.on(MIDI_RECORD, midi_record("M3", 1, MIDI_DATA))
    answer = client.post(MIDI, {"taskId": again}, content_type="application/json",
                         **api).json()
    assert vendor.sent(MIDI)[-1]["body"]["taskId"] == "S2"
    httpx.post(vendor.sent(MIDI)[-1]["body"]["callBackUrl"], json={}, timeout=30)
    record = client.get(MIDI_RECORD, {"taskId": answer["data"]["taskId"]}, **api).json()["data"]
    assert record["successFlag"] == 1
    assert len(vendor.sent(SEPARATE)) == 1 and len(vendor.sent(MIDI)) == 2


def test_midi_through_the_api_calls_back_once_its_vendor_has_failed_or_made_it(
        owner, client, connection, vendor, api):
    """The client's callBackUrl hears nothing while the vendor works, then one signed POST in
    the vendors' MIDI callback shape (suno_api.md §4.3): the failure, and for the next ask the
    notes."""
    hooks = Receiver()
    try:
        song = vendor_song(owner, connection, vendor)
        track = song.tracks.get(variation=1)
        vendor.on(SEPARATE, created("S3"))
        vendor.on(SEPARATION, separation_record("S3", "SUCCESS", stems_urls(vendor)))
        stems = client.post("/api/v1/vocal-removal/generate", {
            "taskId": str(song.pk), "audioId": str(track.pk)},
            content_type="application/json", **api).json()["data"]["taskId"]
        httpx.post(vendor.sent(SEPARATE)[0]["body"]["callBackUrl"], json={}, timeout=30)

        vendor.on(MIDI, created("M4"))
        vendor.on(MIDI_RECORD, midi_record("M4", 0))
        midi_task = client.post(MIDI, {"taskId": stems, "callBackUrl": hooks.url + "/midi"},
                                content_type="application/json", **api).json()["data"]["taskId"]
        record = client.get(MIDI_RECORD, {"taskId": midi_task}, **api).json()["data"]
        assert record["callbackUrl"] == hooks.url + "/midi" and record["successFlag"] == 0
        assert hooks.requests == []

        vendor.on(MIDI_RECORD, midi_record("M4", 3, message="no notes could be read"))
        httpx.post(vendor.sent(MIDI)[0]["body"]["callBackUrl"], json={}, timeout=30)
        [failed] = hooks.requests
        assert failed["body"]["task_id"] == midi_task and failed["body"]["code"] == 500
        assert "no notes could be read" in failed["body"]["msg"] and failed["body"]["data"] is None

        vendor.on(MIDI, created("M5"))
        vendor.on(MIDI_RECORD, midi_record("M5", 1, MIDI_DATA))
        client.post(MIDI, {"taskId": stems, "callBackUrl": hooks.url + "/midi"},
                    content_type="application/json", **api)
        assert len(hooks.requests) == 1  # nothing until the vendor has made it
        httpx.post(vendor.sent(MIDI)[-1]["body"]["callBackUrl"], json={}, timeout=30)
    finally:
        hooks.close()
    made = hooks.requests[-1]
    assert len(hooks.requests) == 2 and made["body"]["code"] == 200
    assert made["body"]["task_id"] == midi_task and made["body"]["data"]["state"] == "complete"
    assert [i["name"] for i in made["body"]["data"]["instruments"]] == ["Vocals", "Bass", "Drums"]
    secret = WebhookSecret.for_user(owner).secret
    assert all(signature_is_valid(sent, secret, midi_task) for sent in hooks.requests)


def test_a_stranger_gets_404_from_the_new_addresses(owner, connection, vendor, stranger,
                                                    stranger_client):
    song = vendor_song(owner, connection, vendor)
    track = song.tracks.get(variation=0)
    api = {"HTTP_AUTHORIZATION": f"Bearer {ApiKey.issue(stranger, 'theirs')[1]}"}
    assert stranger_client.post(f"/tracks/{track.pk}/midi").status_code == 404
    assert stranger_client.get(f"/tracks/{track.pk}/song.mid").status_code == 404
    assert stranger_client.get(f"/tracks/{track.pk}/midi/").status_code == 404
    assert stranger_client.post(f"/tracks/{track.pk}/replace", {
        "start": "4", "end": "12", "style": "folk", "title": "x"}).status_code == 404
    answer = stranger_client.post("/api/v1/generate/replace-section", {
        "taskId": str(song.pk), "audioId": str(track.pk), "prompt": "la", "tags": "folk",
        "title": "x", "infillStartS": 4, "infillEndS": 12},
        content_type="application/json", **api).json()
    assert answer["code"] == 404
    assert not VendorMidi.objects.exists() and not vendor.sent(REPLACE)
    assert Track.objects.filter(owner=stranger).count() == 0
