"""A vendor take heard before it is final, over real HTTP on 127.0.0.1: the vendor's
streamAudioUrl is passed on through Studio's own stream link (the browser and API clients
never see the vendor's URL), and once the take is kept the same link serves the kept file."""
import threading

import httpx
import pytest
from django.utils import timezone

from studio.api.models import ApiKey
from studio.audio import decode
from studio.connections import tracking
from studio.connections.models import Connection, UpstreamTask
from studio.generation import rules
from studio.generation.models import Status
from tests.factories import mp3_bytes, png_bytes
from tests.vendor import Answer, FaultVendor

GENERATE, RECORD = "/api/v1/generate", "/api/v1/generate/record-info"
STREAM = "/streams/a2.mp3"


@pytest.fixture
def vendor(settings, live_server):
    settings.STUDIO_OUTBOUND_ALLOW = ["127.0.0.1"]
    settings.STUDIO_BASE_URL = live_server.url
    server = FaultVendor()
    server.on(GENERATE, Answer({"code": 200, "msg": "success", "data": {"taskId": "T1"}}))
    server.on("/files/a1.mp3", Answer(raw=mp3_bytes(2.0), content_type="audio/mpeg"))
    server.on("/files/a2.mp3", Answer(raw=mp3_bytes(4.0), content_type="audio/mpeg"))
    server.on("/files/a1.png", Answer(raw=png_bytes(), content_type="image/png"))
    # The take as the vendor streams it while making it: 3 s, the second half 1.5 s later.
    server.on(STREAM, Answer(raw=mp3_bytes(3.0), content_type="audio/mpeg", pause=1.5))
    yield server
    server.close()


def record(vendor, status, *, a1_final=True, a2_final=False):
    a1 = {"id": "a1", "audioUrl": f"{vendor.url}/files/a1.mp3" if a1_final else "",
          "streamAudioUrl": f"{vendor.url}/streams/a1.mp3",
          "imageUrl": f"{vendor.url}/files/a1.png", "title": "Sea", "duration": 2.0}
    a2 = {"id": "a2", "audioUrl": f"{vendor.url}/files/a2.mp3" if a2_final else "",
          "streamAudioUrl": f"{vendor.url}{STREAM}", "imageUrl": "", "title": "Sea"}
    return Answer({"code": 200, "msg": "success", "data": {
        "taskId": "T1", "status": status, "response": {"taskId": "T1", "sunoData": [a1, a2]}}})


@pytest.fixture
def song(owner, vendor):
    connection = Connection(owner=owner, name="fault vendor", family="kie", base_url=vendor.url)
    connection.set_api_key("k")
    connection.save()
    from studio.generation import jobs

    request = rules.validate(rules.GENERATE, {"customMode": False, "prompt": "a sea song"})
    generation = jobs.submit(owner=owner, request=request, engine=connection.engine_name)
    tracking.submit(generation.pk)
    return generation


def poll_now(generation):
    UpstreamTask.objects.filter(pk=generation.pk).update(next_poll_at=timezone.now())
    tracking.poll()
    generation.refresh_from_db()


def record_info(live_server, owner, generation) -> dict:
    key = ApiKey.issue(owner, "script")[1]
    answer = httpx.get(f"{live_server.url}/api/v1/generate/record-info",
                       params={"taskId": generation.task_id},
                       headers={"Authorization": f"Bearer {key}"}, timeout=10)
    return answer.json()["data"]


def seconds_of(audio: bytes) -> float:
    samples, rate = decode(audio)
    return samples.shape[-1] / rate


def test_the_first_take_plays_through_studio_before_it_is_final(owner, vendor, song,
                                                                live_server):
    # The vendor sends the first half of its stream and the rest only once the listener
    # has heard something: a relay that waited for the whole take would never pass any on.
    heard = threading.Event()
    vendor.on(STREAM, Answer(raw=mp3_bytes(3.0), content_type="audio/mpeg", hold=heard))
    vendor.on(RECORD, record(vendor, "FIRST_SUCCESS"))
    poll_now(song)
    assert song.status == Status.FIRST_SUCCESS and song.tracks.count() == 1

    data = record_info(live_server, owner, song)
    assert data["status"] == "FIRST_SUCCESS"
    assert vendor.url not in str(data)  # no vendor URL anywhere in what a client reads
    streaming = [t for t in data["response"]["sunoData"] if not t["audioUrl"]]
    assert len(streaming) == 1 and streaming[0]["streamAudioUrl"].startswith(live_server.url)

    with httpx.stream("GET", streaming[0]["streamAudioUrl"], timeout=20) as answer:
        assert answer.status_code == 200 and answer.headers["content-type"] == "audio/mpeg"
        pieces = answer.iter_bytes()
        first = next(pieces)  # passed on as it came: the vendor has not sent the rest yet
        assert not heard.is_set()
        heard.set()
        body = first + b"".join(pieces)
    assert abs(seconds_of(body) - 3.0) < 0.1
    assert len(vendor.sent(STREAM)) == 1


def test_once_kept_the_same_link_serves_the_kept_file(owner, vendor, song, live_server):
    vendor.on(RECORD, record(vendor, "FIRST_SUCCESS"))
    poll_now(song)
    listed = [t for t in record_info(live_server, owner, song)["response"]["sunoData"]
              if not t["audioUrl"]][0]
    link = listed["streamAudioUrl"]
    vendor.on(RECORD, record(vendor, "SUCCESS", a2_final=True))
    poll_now(song)
    assert song.status == Status.SUCCESS
    kept = song.tracks.get(engine_id="a2")
    answer = httpx.get(link, timeout=10)
    assert answer.status_code == 200 and abs(seconds_of(answer.content) - 4.0) < 0.1
    assert answer.content == open(kept.audio.path, "rb").read()
    assert vendor.sent(STREAM) == []  # the vendor is not asked any more
    # The take kept the variation (and id) its stream link was listed under.
    assert kept.variation == 1 and str(kept.id) == listed["id"]


def test_the_page_plays_a_streaming_take_through_studio(owner, vendor, song, live_server,
                                                        client):
    vendor.on(RECORD, record(vendor, "TEXT_SUCCESS", a1_final=False))
    poll_now(song)
    assert song.status == Status.TEXT_SUCCESS
    client.force_login(owner)
    page = client.get(f"/generations/{song.pk}/").content.decode()
    assert f"/generations/{song.pk}/takes/1/stream.mp3" in page and vendor.url not in page
    cookies = {"sessionid": client.cookies["sessionid"].value}
    answer = httpx.get(f"{live_server.url}/generations/{song.pk}/takes/1/stream.mp3",
                       cookies=cookies, timeout=20)
    assert answer.status_code == 200 and abs(seconds_of(answer.content) - 3.0) < 0.1
    stranger = httpx.get(f"{live_server.url}/generations/{song.pk}/takes/1/stream.mp3",
                         timeout=20)
    assert stranger.status_code in (302, 404)  # no session: never the vendor's bytes


def test_a_vendor_stream_at_an_address_studio_does_not_call_is_not_passed_on(
        owner, vendor, song, live_server, settings):
    vendor.on(RECORD, record(vendor, "FIRST_SUCCESS"))
    poll_now(song)
    link = [t for t in record_info(live_server, owner, song)["response"]["sunoData"]
            if not t["audioUrl"]][0]["streamAudioUrl"]
    settings.STUDIO_OUTBOUND_ALLOW = []
    assert httpx.get(link, timeout=10).status_code == 404
    assert vendor.sent(STREAM) == []


def test_a_vendor_stream_that_is_not_audio_is_not_passed_on(owner, vendor, song, live_server):
    vendor.on(STREAM, Answer(raw=b"<html>login page</html>", content_type="text/html"))
    vendor.on(RECORD, record(vendor, "FIRST_SUCCESS"))
    poll_now(song)
    link = [t for t in record_info(live_server, owner, song)["response"]["sunoData"]
            if not t["audioUrl"]][0]["streamAudioUrl"]
    answer = httpx.get(link, timeout=10)
    assert answer.status_code == 404 and b"login page" not in answer.content


def streaming_links(live_server, owner, generation) -> list[str]:
    return [t["streamAudioUrl"] for t in
            record_info(live_server, owner, generation)["response"]["sunoData"]
            if not t["audioUrl"]]


def test_a_first_success_with_only_a_stream_is_first_success_and_plays_through_studio(
        owner, vendor, song, live_server):
    # The vendor's FIRST_SUCCESS names no final file yet, only the takes' streams.
    vendor.on(RECORD, record(vendor, "FIRST_SUCCESS", a1_final=False))
    poll_now(song)
    assert song.status == Status.FIRST_SUCCESS and song.first_at is not None
    assert song.tracks.count() == 0  # nothing to keep yet: it plays through the relay

    data = record_info(live_server, owner, song)
    assert data["status"] == "FIRST_SUCCESS" and vendor.url not in str(data)
    links = streaming_links(live_server, owner, song)
    assert len(links) == 2 and all(link.startswith(live_server.url) for link in links)
    answer = httpx.get(links[1], timeout=20)
    assert answer.status_code == 200 and abs(seconds_of(answer.content) - 3.0) < 0.1
    assert len(vendor.sent(STREAM)) == 1


def test_a_take_heard_through_studio_can_be_seeked_in(owner, vendor, song, live_server):
    whole = mp3_bytes(3.0)
    vendor.on(STREAM, Answer(raw=whole, content_type="audio/mpeg", ranges=True))
    vendor.on(RECORD, record(vendor, "FIRST_SUCCESS"))
    poll_now(song)
    link = streaming_links(live_server, owner, song)[0]

    # A seek: the browser's Range is passed on, the vendor's 206 passed back.
    answer = httpx.get(link, headers={"Range": "bytes=1000-"}, timeout=20)
    assert answer.status_code == 206 and answer.content == whole[1000:]
    assert answer.headers["content-range"] == f"bytes 1000-{len(whole) - 1}/{len(whole)}"
    assert int(answer.headers["content-length"]) == len(whole) - 1000
    assert vendor.sent(STREAM)[-1]["headers"]["Range"] == "bytes=1000-"
    # Its first bytes were asked for on their own, to tell that the file is audio.
    assert vendor.sent(STREAM)[-2]["headers"]["Range"] == "bytes=0-15"

    answer = httpx.get(link, headers={"Range": "bytes=0-99"}, timeout=20)
    assert answer.status_code == 206 and answer.content == whole[:100]
    assert answer.headers["content-range"] == f"bytes 0-99/{len(whole)}"
    answer = httpx.get(link, headers={"Range": f"bytes={len(whole) + 10}-"}, timeout=20)
    assert answer.status_code == 416 and answer.content == b""
    # Without a Range: the whole take, as before.
    answer = httpx.get(link, timeout=20)
    assert answer.status_code == 200 and answer.content == whole
    assert answer.headers["accept-ranges"] == "bytes"


def test_a_seek_into_a_vendor_file_that_is_not_audio_is_not_passed_on(owner, vendor, song,
                                                                     live_server):
    page = b"<html>" + b"a login page " * 200 + b"</html>"
    vendor.on(STREAM, Answer(raw=page, content_type="text/html", ranges=True))
    vendor.on(RECORD, record(vendor, "FIRST_SUCCESS"))
    poll_now(song)
    link = streaming_links(live_server, owner, song)[0]
    answer = httpx.get(link, headers={"Range": "bytes=500-"}, timeout=20)
    assert answer.status_code == 404 and b"login page" not in answer.content
    assert [r["headers"].get("Range") for r in vendor.sent(STREAM)] == ["bytes=0-15"]
