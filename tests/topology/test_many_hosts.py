"""Studio on many hosts, for real on 127.0.0.1: PostgreSQL, django-q2 on Redis, two
`qcluster` processes and two gunicorn web processes (tests/topology/harness.py), each a
"host" with a data directory and media directory of its own: they share nothing but the
database, Redis and a bucket of an S3 emulator (moto's server, tests/s3.py), and a take is
heard while it is encoded through Redis (studio/relay.py). Every creation mode goes in
through the API (songs, instrumentals, extend, upload & cover, add instrumental, add vocals,
upload & extend, replace section, sounds, mashup), spread over both web processes; a worker
is killed (SIGKILL) in the middle of a job and a web process in the middle of a listener's
stream. Nothing is lost: every
generation ends final, as SUCCESS with two takes whose audio every web process serves, every
v1 client is called back with `complete`, and the listener cut off resumes on the other web
process with a Range request from the byte it had reached, ending with the very bytes of the
stored take. What a musician downloads and sees then works from either web process: the
tagged MP3, the WAV, a ZIP, cover thumbnails, a whole song stitched from an extension, and an
upload sent to one web process is used by workers on the other hosts.

It needs PostgreSQL and Redis on 127.0.0.1, so it runs in .ci/run's PostgreSQL + Redis pass
(DATABASE_URL postgres://…, REDIS_URL set) and is skipped in the SQLite one."""
from __future__ import annotations

import base64
import contextlib
import io
import os
import signal
import threading
import time
import zipfile

import httpx
import pytest
import soundfile
from mutagen.id3 import ID3

from tests import s3
from tests.api.conftest import Receiver
from tests.factories import mp3_bytes, tune_bytes
from tests.topology.harness import REDIS, Topology, services_available

pytestmark = [pytest.mark.worker, pytest.mark.slow]

FINAL = {"SUCCESS", "CREATE_TASK_FAILED", "GENERATE_AUDIO_FAILED", "CALLBACK_EXCEPTION",
         "SENSITIVE_WORD_ERROR"}
SHORT = 8  # seconds of music per take (the engine's private `_duration` hint)
LISTENED = 90  # the take listened to while it is encoded: long enough to be cut off half-way
PASSWORD = "a-long-passphrase-1"


def _pg_and_redis_pass() -> str | None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or \
            not os.environ.get("REDIS_URL"):
        return ("the topology runs in .ci/run's PostgreSQL + Redis pass "
                "(DATABASE_URL=postgres://…, REDIS_URL=redis://…)")
    return services_available()


@pytest.fixture(scope="module")
def topology():
    if why := _pg_and_redis_pass():
        pytest.skip(why)
    callbacks = Receiver()
    bucket = s3.bucket()
    try:
        with Topology(webs=2, clusters=2, workers=1, storage_env=s3.host_env(bucket, REDIS),
                      env={"STUDIO_OUTBOUND_ALLOW": "127.0.0.1",
                           "STUDIO_CALLBACK_BACKOFF": "0.2,0.5"}) as running:
            running.callbacks, running.bucket = callbacks, bucket
            yield running
    finally:
        callbacks.close()


class Api:
    """One API key, talking to whichever web process it is told to."""

    def __init__(self, topology, key):
        self.topology, self.headers = topology, {"Authorization": f"Bearer {key}"}

    def post(self, web, path, body):
        answer = httpx.post(self.topology.webs[web].url + path, json=body, headers=self.headers,
                            timeout=60)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def record(self, web, task_id):
        answer = httpx.get(self.topology.webs[web].url + "/api/v1/generate/record-info",
                           params={"taskId": task_id}, headers=self.headers, timeout=60)
        assert answer.status_code == 200, answer.text
        return answer.json()["data"]


def _create(api, web, path, body) -> str:
    answer = api.post(web, path, body)
    if path.startswith("/suno/"):
        assert answer["code"] == 200 and answer["task_id"], answer
        return answer["task_id"]
    assert answer["code"] == 200, answer
    return answer["data"]["taskId"]


def _wait(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.25)
    pytest.fail(f"gave up after {seconds} s waiting for {what}")


def _is_mp3(head: bytes) -> bool:
    """An ID3 tag or an MPEG audio frame's sync word."""
    return head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


def _local(url: str, web_url: str) -> str:
    """A link Studio handed out, sent to `web_url` instead (any web process serves it)."""
    return web_url + "/" + url.split("/", 3)[3]


def test_every_mode_survives_a_killed_worker_and_a_killed_web_process(topology):
    key = topology.make_user("ada", PASSWORD)
    api = Api(topology, key)
    hook = topology.callbacks.url + "/studio-hook"

    # A listener: the generate mode's first take, streamed from web-0 while it is encoded.
    tasks = {"generate": _create(api, 0, "/api/v1/generate", {
        "customMode": False, "instrumental": False, "model": "V4_5", "callBackUrl": hook,
        "prompt": "a slow folk song about a lighthouse keeper", "_duration": LISTENED})}
    listened = tasks["generate"]
    stream_url = _wait(lambda: next(iter(
        t["streamAudioUrl"] for t in api.record(1, listened)["response"]["sunoData"]), None),
        120, "the text stage's stream link")
    listener = httpx.Client(timeout=60)
    stream = listener.send(listener.build_request("GET", _local(stream_url, topology.webs[0].url)),
                           stream=True)
    assert stream.status_code == 200
    assert "content-length" not in stream.headers  # the growing take, not the stored one
    pieces = stream.iter_raw(4096)
    heard = next(pieces)
    # A seek while it is encoded, on the other web process: what is written so far from there.
    seek = httpx.get(_local(stream_url, topology.webs[1].url), headers={"Range": "bytes=1-"},
                     timeout=60)
    assert seek.status_code == 206, seek.status_code
    first, last, total = _content_range(seek.headers["content-range"])
    assert first == 1 and last == first + len(seek.content) - 1 and total in ("*", str(last + 1))
    # web-0 dies (SIGKILL) with the listener a few seconds into the take, while it is encoded.
    topology.kill_web(0)
    try:
        for piece in pieces:
            heard += piece
    except httpx.TransportError:
        pass  # cut off: the connection ended without the rest
    listener.close()
    restarted = threading.Thread(target=topology.restart_web, args=(0,))
    restarted.start()

    # The other modes through web-1 while web-0 comes back.
    tasks["custom"] = _create(api, 1, "/api/v1/generate", {
        "customMode": True, "instrumental": False, "model": "V4_5", "callBackUrl": hook,
        "title": "Window Rain", "style": "lo-fi, soft piano", "_duration": SHORT,
        "prompt": "[Verse]\nRain on the window\n[Chorus]\nStay with me tonight"})
    tasks["instrumental"] = _create(api, 1, "/api/v1/generate", {
        "customMode": True, "instrumental": True, "model": "V4_5", "callBackUrl": hook,
        "title": "Night Drive", "style": "synthwave, 110 bpm", "_duration": SHORT})
    tasks["legacy generate-instrumental"] = _create(api, 1, "/suno/music/generate-instrumental", {
        "tags": "tropical house, wave", "title": "Crazy and wild"})

    # A worker is killed mid-job (SIGKILL: no clean-up, as the OOM killer would), one that
    # holds any of these generations other than the listened one.
    def claimed_mid_job():
        others = [t for name, t in tasks.items() if name != "generate"]
        rows = topology.sql("SELECT id::text, claimed_by FROM generation_generation "
                            "WHERE claimed_by LIKE '%% %% %%' AND status NOT IN ('SUCCESS', "
                            "'GENERATE_AUDIO_FAILED', 'CREATE_TASK_FAILED')")
        return next(((task, holder) for task, holder in rows
                     if task.replace("-", "") in others), None)

    killed_task, holder = _wait(claimed_mid_job, 180, "a worker to take a job")
    killed_pid = int(holder.rsplit(" ", 1)[1])
    assert any(killed_pid in topology.cluster_pids(i) for i in range(2))
    os.kill(killed_pid, signal.SIGKILL)

    # web-0 is back: the upload modes and the extension of the listened song through it.
    restarted.join()
    upload = api.post(0, "/api/file-base64-upload", {
        "base64Data": base64.b64encode(mp3_bytes(SHORT)).decode(), "fileName": "hum.mp3"})
    assert upload["code"] == 200, upload
    upload_url = upload["data"]["downloadUrl"]
    tasks["upload-cover"] = _create(api, 0, "/api/v1/generate/upload-cover", {
        "uploadUrl": upload_url, "customMode": False, "callBackUrl": hook,
        "prompt": "the same tune as a dreamy synthwave ballad"})
    tasks["add-instrumental"] = _create(api, 1, "/api/v1/generate/add-instrumental", {
        "uploadUrl": upload_url, "title": "Backing", "tags": "relaxing piano, ambient",
        "negativeTags": "heavy metal", "callBackUrl": hook})
    tasks["add-vocals"] = _create(api, 0, "/api/v1/generate/add-vocals", {
        "uploadUrl": upload_url, "prompt": "[Verse]\nHum along the harbour wall",
        "title": "Harbour hum", "style": "folk", "negativeTags": "", "callBackUrl": hook})
    tasks["upload-extend"] = _create(api, 1, "/api/v1/generate/upload-extend", {
        "uploadUrl": upload_url, "defaultParamFlag": True, "continueAt": SHORT / 2,
        "style": "ambient", "title": "Hum, longer", "instrumental": True, "callBackUrl": hook,
        "_duration": SHORT})
    # A mashup's second song, uploaded to the other web process.
    tune = api.post(1, "/api/file-base64-upload", {
        "base64Data": base64.b64encode(tune_bytes(bpm=96, tonic=64, seconds=SHORT)).decode(),
        "fileName": "tune.wav"})
    assert tune["code"] == 200, tune
    tasks["mashup"] = _create(api, 0, "/api/v1/generate/mashup", {
        "uploadUrlList": [upload_url, tune["data"]["downloadUrl"]], "customMode": False,
        "prompt": "the hum and the tune as one song", "callBackUrl": hook})
    tasks["sounds"] = _create(api, 1, "/api/v1/generate/sounds", {
        "prompt": "a warm deep house groove", "model": "V5", "soundLoop": True,
        "soundTempo": 120, "callBackUrl": hook})
    finished = _wait(lambda: (r := api.record(0, listened))["status"] in FINAL and r, 240,
                     "the listened generation")
    assert finished["status"] == "SUCCESS", finished
    take = finished["response"]["sunoData"][0]
    tasks["extend"] = _create(api, 0, "/api/v1/generate/extend", {
        "audioId": take["id"], "defaultParamFlag": True, "continueAt": 20,
        "style": "folk, slow", "title": "Lighthouse, later", "instrumental": True,
        "model": "V4_5", "callBackUrl": hook, "_duration": SHORT})
    tasks["replace-section"] = _create(api, 1, "/api/v1/generate/replace-section", {
        "taskId": listened, "audioId": take["id"], "prompt": "[Bridge]\nA light on the water",
        "tags": "folk", "title": "Lighthouse, new bridge", "infillStartS": 30,
        "infillEndS": 40, "callBackUrl": hook})

    # The listener resumes on web-1 from the byte it had reached.
    stored = httpx.get(_local(take["audioUrl"], topology.webs[1].url), timeout=60)
    assert stored.status_code == 200 and len(stored.content) > 100_000
    assert 0 < len(heard) < len(stored.content), "web-0 was killed after the whole take was sent"
    rest = httpx.get(_local(stream_url, topology.webs[1].url),
                     headers={"Range": f"bytes={len(heard)}-"}, timeout=60)
    assert rest.status_code == 206, rest.status_code
    assert rest.headers["content-range"] == \
        f"bytes {len(heard)}-{len(stored.content) - 1}/{len(stored.content)}"
    assert heard + rest.content == stored.content
    assert seek.content == stored.content[1:1 + len(seek.content)]  # the seek's bytes, too

    # Every generation ends final, as SUCCESS: the killed worker's job was taken over.
    records = {}
    for name, task in tasks.items():
        records[name] = _wait(lambda t=task: (r := api.record(1, t))["status"] in FINAL and r,
                              240, f"{name} to end")
    failed = {name: (r["status"], r["errorMessage"]) for name, r in records.items()
              if r["status"] != "SUCCESS"}
    assert not failed, failed
    (attempts, claimed_by), = topology.sql(
        "SELECT attempts, claimed_by FROM generation_generation WHERE id = %s", killed_task)
    assert attempts == 2 and claimed_by != holder

    # Nothing lost: two takes each, their audio served by both web processes, and every v1
    # client told `complete`.
    for i, (name, record) in enumerate(records.items()):
        takes = record["response"]["sunoData"]
        assert len(takes) == 2, (name, takes)
        for item in takes:
            audio = httpx.get(_local(item["audioUrl"], topology.webs[i % 2].url),
                              headers={"Range": "bytes=0-3"}, timeout=60)
            assert audio.status_code == 206 and _is_mp3(audio.content), (
                name, audio.status_code, audio.content[:4])
    completes = {r["body"]["data"]["task_id"] for r in topology.callbacks.requests
                 if r["body"]["data"]["callbackType"] == "complete"}
    v1_tasks = {t for name, t in tasks.items() if not name.startswith("legacy")}
    assert v1_tasks <= completes, v1_tasks - completes
    assert len(topology.sql("SELECT id FROM library_track")) == 2 * len(tasks)

    _downloads_and_covers_from_either_web_process(topology, records)
    _whole_song_of_the_extension(topology, records["extend"]["response"]["sunoData"][0])
    _nothing_shared_but_the_bucket(topology)


def _content_range(header: str) -> tuple[int, int, str]:
    """`bytes first-last/total` as (first, last, total); total may be `*` (still growing)."""
    unit, _, spec = header.partition(" ")
    span, _, total = spec.partition("/")
    first, _, last = span.partition("-")
    assert unit == "bytes", header
    return int(first), int(last), total


@contextlib.contextmanager
def _signed_in(web):
    """`with _signed_in(web) as client:` a musician's session on one web process, through
    the sign-in form (with its CSRF token); its POSTs carry the token as the page's
    scripts do."""
    with httpx.Client(base_url=web.url, timeout=120) as client:
        client.get("/accounts/login/")
        answer = client.post("/accounts/login/", data={
            "username": "ada", "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"]})
        assert answer.status_code == 302, answer.text[:2000]
        client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
        yield client


def _downloads_and_covers_from_either_web_process(topology, records):
    """The tagged MP3, the WAV and a ZIP, each asked of the web process that made none of
    the files; a cover's thumbnail made on one web process and served by the other."""
    with _signed_in(topology.webs[0]) as web_0, _signed_in(topology.webs[1]) as web_1:
        _downloads_and_covers(topology, records, (web_0, web_1))


def _downloads_and_covers(topology, records, webs):
    custom = records["custom"]["response"]["sunoData"]
    take = custom[0]
    mp3 = webs[1].get(f"/tracks/{take['id']}/download.mp3")
    assert mp3.status_code == 200, mp3.status_code
    tags = ID3(io.BytesIO(mp3.content))
    assert str(tags["TIT2"]) == "Window Rain"
    assert tags.getall("APIC")[0].data[:3] == b"\xff\xd8\xff"  # the take's cover, as JPEG
    assert "Rain on the window" in tags.getall("USLT")[0].text

    wav = webs[0].get(f"/tracks/{take['id']}/download.wav")
    assert wav.status_code == 200 and wav.content[:4] == b"RIFF", wav.status_code
    assert abs(soundfile.info(io.BytesIO(wav.content)).duration - take["duration"]) < 0.1

    chosen = [t["id"] for t in custom] + [records["instrumental"]["response"]["sunoData"][0]["id"]]
    exported = webs[1].post("/export.zip", data={"track": chosen})
    assert exported.status_code == 200, exported.status_code
    archive = zipfile.ZipFile(io.BytesIO(exported.content))
    mp3s = [name for name in archive.namelist() if name.endswith(".mp3")]
    assert len(mp3s) == 3 and "tracks.json" in archive.namelist(), archive.namelist()
    assert all(archive.read(name)[:3] == b"ID3" for name in mp3s)

    cover = webs[0].get(f"/tracks/{take['id']}/cover")
    assert cover.status_code == 200 and cover.content[:3] == b"\xff\xd8\xff", cover.status_code
    made = webs[0].get(f"/tracks/{take['id']}/cover/96.webp")
    assert made.status_code == 200 and made.content[8:12] == b"WEBP", made.status_code
    assert any(key.endswith(".webp") for key in s3.keys(topology.bucket))
    served = webs[1].get(f"/tracks/{take['id']}/cover/96.webp")
    assert served.status_code == 200 and served.content == made.content


def _whole_song_of_the_extension(topology, extension):
    """The extension and its source joined into one track by a web process, both read from
    the bucket. The local engine's extensions start with their source (a chain of them is
    refused: it already is the whole song), so this one is recorded as a vendor's extension
    is, holding only its new music: the song is the source up to continueAt, then all of it."""
    topology.sql("UPDATE library_track SET analysis = jsonb_set(analysis, '{includes_source}', "
                 "'false') WHERE id = %s", extension["id"])
    with _signed_in(topology.webs[1]) as web:
        made = web.post(f"/tracks/{extension['id']}/whole-song")
        assert made.status_code == 302 and made.headers["location"] != \
            f"/tracks/{extension['id']}/", made.headers.get("location")
        song = made.headers["location"].strip("/").split("/")[-1]
    (title, seconds), = topology.sql("SELECT title, duration FROM library_track WHERE id = %s",
                                     song)
    assert title.endswith("(whole song)"), title
    assert abs(seconds - (20 + extension["duration"])) < 0.5, (seconds, extension["duration"])
    with _signed_in(topology.webs[0]) as web:
        audio = web.get(f"/tracks/{song}/audio.mp3", headers={"Range": "bytes=0-3"})
    assert audio.status_code == 206 and _is_mp3(audio.content), audio.status_code


def _nothing_shared_but_the_bucket(topology):
    """The web processes wrote no media file of their own: everything is in the bucket."""
    for web in topology.webs:
        written = [p for p in (web.data_dir / "media").rglob("*") if p.is_file()]
        assert not written, (web.name, written)
    stored = set(s3.keys(topology.bucket))
    names = topology.sql("SELECT audio, cover FROM library_track")
    assert {name for row in names for name in row if name} <= stored
