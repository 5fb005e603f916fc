"""A take can be heard while it is being encoded: the stream link follows the growing file,
then serves the library's copy. Owners only; API clients get a signed link."""
from __future__ import annotations

import os
import threading

import pytest

from studio.generation import streams
from studio.generation.models import Generation, Status
from tests.factories import make_track, mp3_bytes


@pytest.fixture
def running(owner):
    generation = Generation.objects.create(owner=owner, params={"prompt": "a song about the sea"})
    generation.advance(Status.TEXT_SUCCESS, plan={"titles": ["Sea", "Sea"], "styles": ["folk", "folk"],
                                                  "lyrics": ["", ""]})
    return generation


def _url(generation, variation=0):
    return f"/generations/{generation.pk}/takes/{variation}/stream.mp3"


def _grow(generation, data: bytes, first_heard: threading.Event, errors: list):
    """Write take 0 as the engine does: a first piece, then (once a listener has heard it)
    the rest, then the rename that marks it final."""
    path = streams.take_path(generation, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    try:
        with open(part, "wb") as fh:
            fh.write(data[:4096])
            fh.flush()
            if not first_heard.wait(20):
                raise AssertionError("nobody heard the first piece while the take was being written")
            for i in range(4096, len(data), 4096):
                fh.write(data[i:i + 4096])
                fh.flush()
        os.replace(part, path)
    except BaseException as e:  # noqa: BLE001 - reported by the test
        errors.append(e)


def test_a_take_is_heard_while_it_is_still_being_written(owner_client, running):
    data = mp3_bytes(6.0)
    first_heard, errors = threading.Event(), []
    writer = threading.Thread(target=_grow, args=(running, data, first_heard, errors))
    writer.start()
    try:
        response = owner_client.get(_url(running))
        assert response.status_code == 200 and response["Content-Type"] == "audio/mpeg"
        assert response["Cache-Control"] == "no-store"
        pieces = iter(response.streaming_content)
        first = next(pieces)  # arrives although the writer is still waiting for us
        first_heard.set()
        body = first + b"".join(pieces)
    finally:
        first_heard.set()
        writer.join(30)
    assert not errors, errors
    assert body == data  # followed to the end: every byte, in order, and then it stopped


def test_a_stream_link_waits_for_its_take_to_begin(owner_client, running):
    data = mp3_bytes(2.0)
    path = streams.take_path(running, 1)

    def later():
        import time
        time.sleep(0.4)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name("x.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)

    t = threading.Thread(target=later)
    t.start()
    response = owner_client.get(_url(running, 1))
    body = b"".join(response.streaming_content)
    t.join()
    assert response.status_code == 200 and body == data


def test_a_finished_take_streams_as_the_library_file(owner_client, running):
    track = make_track(running.owner, generation=running, variation=0)
    response = owner_client.get(_url(running), headers={"Range": "bytes=0-9"})
    assert response.status_code == 206 and response["Accept-Ranges"] == "bytes"
    assert b"".join(response.streaming_content) == track.audio.open("rb").read()[:10]


def test_a_failed_generation_has_no_stream(owner_client, running):
    running.fail("The engine gave up.")
    assert owner_client.get(_url(running)).status_code == 404


def test_someone_elses_stream_is_not_found(stranger_client, running):
    streams.take_path(running, 0).parent.mkdir(parents=True, exist_ok=True)
    streams.take_path(running, 0).write_bytes(mp3_bytes(1.0))
    assert stranger_client.get(_url(running)).status_code == 404


def test_only_two_takes(owner_client, running):
    assert owner_client.get(_url(running, 2)).status_code == 404


def test_the_page_offers_the_take_that_is_streaming(owner_client, running):
    page = owner_client.get(f"/generations/{running.pk}/").content.decode()
    assert "stream.mp3" not in page  # nothing is being encoded yet
    path = streams.take_path(running, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.with_name(path.name + ".part").write_bytes(mp3_bytes(1.0)[:2048])
    page = owner_client.get(f"/generations/{running.pk}/").content.decode()
    assert _url(running, 0) in page and _url(running, 1) not in page
    assert "Listen while it renders" in page


def test_the_api_lists_a_signed_stream_link_that_needs_no_session(client, owner, running):
    from studio.api.models import ApiKey
    from tests.api.conftest import ApiClient
    api = ApiClient(client, ApiKey.issue(owner, "t")[1])
    items = api.record(running.task_id)["data"]["response"]["sunoData"]
    assert [t["title"] for t in items] == ["Sea", "Sea"] and not any(t["audioUrl"] for t in items)
    data = mp3_bytes(1.0)
    path = streams.take_path(running, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    client.logout()
    link = items[1]["streamAudioUrl"].removeprefix("http://testserver")
    response = client.get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    forged = link[:-3] + ("abc" if not link.endswith("abc") else "xyz")
    assert client.get(forged).status_code == 404


def test_stream_directories_of_dead_workers_are_swept(settings, running):
    import time

    from studio.generation.models import Generation as G
    old = streams.take_path(running, 0).parent
    old.mkdir(parents=True)
    (old / "take-0.mp3.part").write_bytes(b"x")
    past = time.time() - 3 * settings.JOB_TIMEOUT
    os.utime(old, (past, past))
    fresh_gen = G.objects.create(owner=running.owner, params={})
    fresh = streams.stream_dir_for(fresh_gen)
    streams.sweep(2 * settings.JOB_TIMEOUT)
    assert not old.exists() and fresh.exists()


def test_the_page_names_the_song_as_the_text_stage_did(owner_client, owner):
    g = Generation.objects.create(owner=owner, params={"customMode": False, "prompt": "a hopeful song about the sea"})
    page = owner_client.get(f"/generations/{g.pk}/").content.decode()
    assert "<h1>a hopeful song about the sea</h1>" in page  # queued: the idea is all there is
    g.advance(Status.TEXT_SUCCESS, plan={"titles": ["Hopeful Sea", "Hopeful Sea"], "styles": ["pop"] * 2,
                                         "lyrics": ["", ""]})
    page = owner_client.get(f"/generations/{g.pk}/").content.decode()
    assert "<h1>Hopeful Sea</h1>" in page and "a hopeful song about the sea" in page


def test_a_poll_brings_the_title_to_a_page_that_opened_on_the_idea(owner_client, owner):
    # the page's live block updated to Done while its heading still read the idea, cut at 60
    # characters ("a hopeful folk song about leaving my hometown by train at da")
    g = Generation.objects.create(owner=owner, params={"customMode": False, "prompt": "a hopeful song about the sea"})
    poll = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "generation-status"}
    page = owner_client.get(f"/generations/{g.pk}/").content.decode()
    assert page.count('id="generation-heading"') == 1 and "hx-swap-oob" not in page
    g.advance(Status.TEXT_SUCCESS, plan={"titles": ["Hopeful Sea", "Hopeful Sea"], "styles": ["pop"] * 2,
                                         "lyrics": ["", ""]})
    answer = owner_client.get(f"/generations/{g.pk}/", **poll).content.decode()
    heading, rest = answer.split('<div id="generation-status"', 1)
    assert '<div id="generation-heading" hx-swap-oob="true">' in heading and "<h1>Hopeful Sea</h1>" in heading
    assert "<title>Hopeful Sea · Studio</title>" in heading and "<h1>" not in rest


# -- through Redis (STUDIO_STREAM_RELAY=redis): no directory shared with the encoder --------

@pytest.fixture
def relayed(settings, tmp_path):
    from tests.s3 import redis_url

    settings.STUDIO_STREAM_RELAY = settings.STREAM_REDIS_URL = redis_url()
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "name": f"test-{os.getpid()}-{tmp_path.name}"}
    return settings


def _relay_take(generation, data: bytes, first_heard: threading.Event, errors: list, end=True,
                after=0.0):
    """The encoder on another host: its pieces go to Redis only (studio/relay.py)."""
    import time

    from studio.relay import Writer

    relay = streams.relay_for(generation)
    time.sleep(after)
    try:
        writer = Writer(relay["url"], f"{relay['key']}:0", relay["ttl"])
        writer.append(data[:4096])
        if not first_heard.wait(20):
            raise AssertionError("nobody heard the first piece while the take was being encoded")
        for i in range(4096, len(data), 4096):
            writer.append(data[i:i + 4096])
        if end:
            writer.end()
    except BaseException as e:  # noqa: BLE001 - reported by the test
        errors.append(e)


def test_a_take_relayed_through_redis_is_heard_while_it_is_encoded(relayed, owner_client, running):
    data = mp3_bytes(6.0)
    first_heard, errors = threading.Event(), []
    assert not streams.is_live(running, 0)
    writer = threading.Thread(target=_relay_take, args=(running, data, first_heard, errors),
                              kwargs={"after": 0.4})
    writer.start()
    try:
        response = owner_client.get(_url(running))  # asked before the take begins: it waits
        assert response.status_code == 200 and response["Cache-Control"] == "no-store"
        pieces = iter(response.streaming_content)
        first = next(pieces)
        assert streams.is_live(running, 0)
        first_heard.set()
        body = first + b"".join(pieces)
    finally:
        first_heard.set()
        writer.join(30)
    assert not errors, errors
    assert body == data  # every piece, in order, ended by the end entry
    assert not (relayed.MEDIA_ROOT / "streams").exists()  # nothing went through this disk
    streams.discard(running)
    assert not streams.is_live(running, 0)


def test_a_relayed_take_whose_encoder_died_ends_after_the_stall(relayed, owner_client, running,
                                                                monkeypatch):
    monkeypatch.setattr(streams, "STALL", 0.5)
    data = mp3_bytes(2.0)
    first_heard, errors = threading.Event(), []
    first_heard.set()
    _relay_take(running, data, first_heard, errors, end=False)  # no end entry: it died
    response = owner_client.get(_url(running))
    assert b"".join(response.streaming_content) == data and not errors
    streams.discard(running)


# -- seeking while the take is made: Range answered from what is written so far -------------

def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_seek_while_it_is_written_gets_the_bytes_written_so_far(owner_client, running):
    data = mp3_bytes(6.0)
    path = streams.take_path(running, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_bytes(data[:10_000])
    response = owner_client.get(_url(running), headers={"Range": "bytes=100-"})
    assert response.status_code == 206 and response["Content-Range"] == "bytes 100-9999/*"
    assert _content(response) == data[100:10_000] and response["Content-Length"] == "9900"
    response = owner_client.get(_url(running), headers={"Range": "bytes=100-199"})
    assert response.status_code == 206 and _content(response) == data[100:200]
    assert response["Content-Range"] == "bytes 100-199/*"
    whole = owner_client.get(_url(running), headers={"Range": "bytes=0-"})
    assert whole.status_code == 200 and whole.streaming  # the growing body itself, followed

    def rest():
        import time
        time.sleep(0.3)
        part.write_bytes(data)
        os.replace(part, path)

    writer = threading.Thread(target=rest)
    writer.start()
    try:  # past what is written: answered once the take reaches it, now with its length
        response = owner_client.get(_url(running), headers={"Range": "bytes=20000-"})
    finally:
        writer.join(10)
    assert response.status_code == 206 and _content(response) == data[20_000:]
    assert response["Content-Range"] == f"bytes 20000-{len(data) - 1}/{len(data)}"
    _content(whole)  # the first listener heard it to its end meanwhile
    beyond = owner_client.get(_url(running), headers={"Range": f"bytes={len(data)}-"})
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(data)}"


def test_a_seek_in_a_relayed_take_gets_the_bytes_relayed_so_far(relayed, owner_client, running):
    from studio.relay import Writer

    data = mp3_bytes(3.0)
    relay = streams.relay_for(running)
    writer = Writer(relay["url"], f"{relay['key']}:0", relay["ttl"])
    try:
        for i in range(0, 10_000, 4096):
            writer.append(data[i:min(i + 4096, 10_000)])
        response = owner_client.get(_url(running), headers={"Range": "bytes=5000-"})
        assert response.status_code == 206 and response["Content-Range"] == "bytes 5000-9999/*"
        assert _content(response) == data[5000:10_000]
        writer.append(data[10_000:])
        writer.end()
        response = owner_client.get(_url(running), headers={"Range": "bytes=9000-9999"})
        assert response["Content-Range"] == f"bytes 9000-9999/{len(data)}"
        assert _content(response) == data[9000:10_000]
        beyond = owner_client.get(_url(running), headers={"Range": f"bytes={len(data) + 5}-"})
        assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(data)}"
    finally:
        streams.discard(running)


def _watch_redis(url: str, key: str, commands: list, ready: threading.Event,
                 waiting: threading.Event) -> None:
    """Every command naming the take's stream, as Redis receives it (MONITOR), until a
    command names `key`:stop; `waiting` is set at the first blocking XREAD on it."""
    import redis

    with redis.Redis.from_url(url).monitor() as monitor:
        ready.set()
        for seen in monitor.listen():
            if f"{key}:stop" in seen["command"]:
                return
            if key in seen["command"]:
                commands.append(seen["command"].split()[0].upper())
                if commands[-1] == "XREAD":
                    waiting.set()


def test_a_seek_past_what_is_relayed_waits_in_redis_until_the_piece_comes(relayed, owner_client,
                                                                          running):
    """A seek ahead of the encoder costs one read of what is written and one blocking XREAD:
    no round trip to Redis while nothing is written, and the answer comes with the piece."""
    import redis

    from studio.relay import Writer

    data = mp3_bytes(3.0)
    relay = streams.relay_for(running)
    key = f"{relay['key']}:0"
    writer = Writer(relay["url"], key, relay["ttl"])
    commands, ready, waiting = [], threading.Event(), threading.Event()
    watcher = threading.Thread(target=_watch_redis,
                               args=(relay["url"], key, commands, ready, waiting))
    watcher.start()

    def rest():  # once the seek waits (or, were it polling, after a while of that)
        waiting.wait(5)
        writer.append(data[10_000:])

    try:
        assert ready.wait(10)
        writer.append(data[:10_000])
        more = threading.Thread(target=rest)
        more.start()
        response = owner_client.get(_url(running), headers={"Range": "bytes=20000-"})
        more.join(10)
        assert response.status_code == 206
        assert response["Content-Range"] == f"bytes 20000-{len(data) - 1}/*"
        assert _content(response) == data[20_000:]
    finally:
        redis.Redis.from_url(relay["url"]).exists(f"{key}:stop")
        watcher.join(10)
        streams.discard(running)
    assert commands.count("XRANGE") == 1 and commands.count("XREAD") == 1, commands


def test_a_seek_waiting_in_redis_learns_at_once_that_the_take_is_discarded(relayed, running):
    """The job deletes a take's stream when the generation ends (here: failed mid-take); a
    reader blocked in XREAD is not woken by a deleted key, so discard writes a last entry
    first, and the waiting seek ends with no stream instead of waiting out its deadline."""
    import time

    import redis

    from studio import relay as relay_module
    from studio.relay import Writer

    relay = streams.relay_for(running)
    key = f"{relay['key']}:0"
    Writer(relay["url"], key, relay["ttl"]).append(b"x" * 1000)
    commands, ready, waiting = [], threading.Event(), threading.Event()
    watcher = threading.Thread(target=_watch_redis,
                               args=(relay["url"], key, commands, ready, waiting))
    watcher.start()
    got = []
    reader = threading.Thread(target=lambda: got.append(relay_module.reaching(
        redis.Redis.from_url(relay["url"]), key, 5000, time.monotonic() + 600)), daemon=True)
    try:
        assert ready.wait(10)
        reader.start()
        assert waiting.wait(10)
        streams.discard(running)
        reader.join(20)
    finally:
        redis.Redis.from_url(relay["url"]).exists(f"{key}:stop")
        watcher.join(10)
    assert got == [None]
    assert not streams.is_live(running, 0)
