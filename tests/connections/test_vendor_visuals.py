"""A v1 vendor's take gets its music video and new cover art from that vendor: Studio sends
`mp4/generate` and `suno/cover/generate` with the vendor's own task and take ids, follows the
tasks by their record-info when the vendor calls back (over real HTTP on 127.0.0.1), and copies
the vendor's MP4 and JPEGs into its storage, where the track page, the downloads and Studio's
own API serve them as local ones. The vendor is a small scripted server serving a real MP4
(smaller than Studio's own) and real JPEGs, so a copy is measured against what was served."""
import io

import av
import httpx
import numpy as np
import pytest
from PIL import Image

from studio.api.models import ApiKey
from studio.library.models import CoverArt, CoverArtStatus, MusicVideo, VideoStatus
from studio.library.tasks import draw_cover_art
from tests.api.conftest import Receiver
from tests.api.factories import api_generation, finish_by_hand
from tests.connections.conftest import connect
from tests.vendor import Answer, cover_record, mp4_record, mp4_task, vendor_image, vendor_mp4

pytestmark = pytest.mark.django_db(transaction=True)
MP4_GENERATE, MP4_RECORD = "/api/v1/mp4/generate", "/api/v1/mp4/record-info"
COVER_GENERATE, COVER_RECORD = "/api/v1/suno/cover/generate", "/api/v1/suno/cover/record-info"


@pytest.fixture
def hook(settings):
    settings.STUDIO_CALLBACK_BACKOFF = [0.05, 0.1]
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def vendor_take(owner, vendor, studio_public):
    """A finished take the vendor made (its task and take ids kept), with a key to ask."""
    connection = connect(owner, vendor, name="video vendor", key="vendor-key-1")
    generation = finish_by_hand(api_generation(owner, engine=connection.engine_name,
                                               engine_task_id="vendor-music-1"))
    for track in generation.tracks.all():
        track.engine_id = f"vendor-take-{track.variation}"
        track.save(update_fields=["engine_id"])
    return generation.tracks.get(variation=0), {
        "HTTP_AUTHORIZATION": f"Bearer {ApiKey.issue(owner, 'checks')[1]}"}


def post(client, path, body, keyed) -> dict:
    return client.post(path, body, content_type="application/json", **keyed).json()


def call_back(vendor, path, payload):
    """The vendor calls the callBackUrl Studio sent it, as the vendor would."""
    [sent] = vendor.sent(path)
    answer = httpx.post(sent["body"]["callBackUrl"], json=payload, timeout=60)
    assert answer.status_code == 200, answer.text


def test_a_vendor_take_gets_the_vendors_video_copied_in(client, owner_client, vendor,
                                                        vendor_take, hook, tmp_path):
    track, keyed = vendor_take
    served = vendor_mp4(tmp_path)
    vendor.on(MP4_GENERATE, mp4_task("vendor-mp4-1"))
    vendor.on(MP4_RECORD, mp4_record("vendor-mp4-1", "PENDING"),
              mp4_record("vendor-mp4-1", "SUCCESS", vendor.url + "/files/vendor-mp4-1.mp4"))
    vendor.on("/files/vendor-mp4-1.mp4", Answer(raw=served, content_type="video/mp4"))

    answer = post(client, MP4_GENERATE, {
        "taskId": str(track.generation_id), "audioId": str(track.pk), "author": "Ada",
        "domainName": "music.example.com", "callBackUrl": hook.url + "/mp4"}, keyed)
    assert answer["code"] == 200, answer
    task_id = answer["data"]["taskId"]

    [sent] = vendor.sent(MP4_GENERATE)
    assert sent["headers"]["Authorization"] == "Bearer vendor-key-1"
    assert {k: v for k, v in sent["body"].items() if k != "callBackUrl"} == {
        "taskId": "vendor-music-1", "audioId": "vendor-take-0", "author": "Ada",
        "domainName": "music.example.com"}
    assert "/engines/callbacks/derived/" in sent["body"]["callBackUrl"]
    record = client.get(MP4_RECORD, {"taskId": task_id}, **keyed).json()["data"]
    assert record["successFlag"] == "PENDING" and record["response"]["videoUrl"] == ""
    assert "is making its video" in owner_client.get(f"/tracks/{track.pk}/video/").content.decode()

    # The vendor's callback ({code, msg, data {task_id, video_url}}) makes Studio look now.
    for _ in range(2):  # still PENDING at the first look, made at the second
        call_back(vendor, MP4_GENERATE, {"code": 200, "msg": "MP4 generated successfully.",
                                         "data": {"task_id": "vendor-mp4-1",
                                                  "video_url": "forged, never read"}})
    made = MusicVideo.objects.get(pk=task_id)
    assert made.status == VideoStatus.SUCCESS, made.error_message
    assert made.vendor_task_id == "vendor-mp4-1" and made.progress == 1.0
    assert len(vendor.sent(MP4_GENERATE)) == 1  # sent once

    # Studio's record-info and callback name Studio's copy, which is the vendor's MP4.
    record = client.get(MP4_RECORD, {"taskId": task_id}, **keyed).json()["data"]
    url = record["response"]["videoUrl"]
    assert record["successFlag"] == "SUCCESS" and vendor.url not in url
    [called] = [r["body"]["data"]["video_url"] for r in hook.requests]  # signed anew: same file
    ours = httpx.get(url, timeout=30).content
    assert ours == served and httpx.get(called, timeout=30).content == served
    theirs_path, ours_path = tmp_path / "theirs.mp4", tmp_path / "ours.mp4"
    theirs_path.write_bytes(served)
    ours_path.write_bytes(ours)
    assert measure(ours_path) == measure(theirs_path)
    assert measure(ours_path)[0] == [("video", 160, 160), ("audio", None, None)]

    # The track page shows it and its download serves it, as a local video.
    page = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert f"/tracks/{track.pk}/videos/{made.pk}.mp4" in page and vendor.url not in page
    download = owner_client.get(f"/tracks/{track.pk}/videos/{made.pk}/download.mp4")
    assert download.status_code == 200 and b"".join(download.streaming_content) == served


def measure(path) -> tuple[list, float, float]:
    """(streams as (type, width, height), duration in s, seconds of audio decoded)."""
    with av.open(str(path)) as container:
        streams = [(s.type, getattr(s.codec_context, "width", None) or None,
                    getattr(s.codec_context, "height", None) or None)
                   for s in container.streams]
        duration = container.duration / 1e6
        audio = sum(frame.samples / frame.sample_rate
                    for frame in container.decode(audio=0))
    return streams, round(duration, 3), round(audio, 3)


def test_a_vendor_take_gets_the_vendors_cover_art_to_choose_from(client, owner_client, vendor,
                                                                 vendor_take, hook):
    track, keyed = vendor_take
    images = {1: vendor_image(600, 600, (200, 40, 40)), 2: vendor_image(512, 384, (40, 60, 220)),
              3: vendor_image(300, 200, (30, 160, 90), "PNG")}
    for number, content in images.items():
        vendor.on(f"/files/cover-{number}", Answer(raw=content, content_type="image/*"))
    urls = [vendor.url + f"/files/cover-{n}" for n in images]
    vendor.on(COVER_GENERATE, mp4_task("vendor-cover-1"))
    vendor.on(COVER_RECORD, cover_record("vendor-cover-1", 1, urls))  # successFlag 1: done

    answer = post(client, COVER_GENERATE, {"taskId": str(track.generation_id),
                                           "callBackUrl": hook.url + "/cover"}, keyed)
    assert answer["code"] == 200, answer
    [sent] = vendor.sent(COVER_GENERATE)
    assert sent["body"]["taskId"] == "vendor-music-1"
    call_back(vendor, COVER_GENERATE, {"code": 200, "msg": "success", "data": {
        "taskId": "vendor-cover-1", "images": urls}})

    task = CoverArt.objects.get(pk=answer["data"]["taskId"])
    assert task.status == CoverArtStatus.SUCCESS and task.vendor_task_id == "vendor-cover-1"
    record = client.get(COVER_RECORD, {"taskId": task.task_id}, **keyed).json()["data"]
    ours = record["response"]["images"]
    assert len(ours) == 3 and not any(vendor.url in url for url in ours)
    copies = [httpx.get(url, timeout=30).content for url in ours]
    called = hook.requests[0]["body"]["data"]["images"]  # signed anew: the same images
    assert [httpx.get(u, timeout=30).content for u in called] == copies
    assert copies[:2] == [images[1], images[2]]  # the JPEGs byte for byte
    for copy_bytes, served_bytes in zip(copies, images.values(), strict=True):
        with Image.open(io.BytesIO(copy_bytes)) as copy, \
                Image.open(io.BytesIO(served_bytes)) as served:
            assert copy.format == "JPEG" and copy.size == served.size
            difference = np.abs(np.asarray(copy, dtype=int) - np.asarray(served.convert("RGB"),
                                                                         dtype=int))
            assert difference.mean() < 3  # the PNG converted, its pixels kept

    # The track page offers them; the one chosen becomes the cover byte for byte.
    page = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert f"/tracks/{track.pk}/new-covers/{task.pk}/2.jpg" in page
    chosen = owner_client.post(f"/tracks/{track.pk}/new-covers/{task.pk}/choose",
                               {"choice": 2})
    assert chosen.status_code == 302
    track.refresh_from_db()
    with track.cover.open("rb") as fh:
        assert fh.read() == images[2]

    # Asked again on the other take's page: the vendor's one cover task of this music task is
    # followed again (the vendor would refuse a second), not sent twice.
    other = track.generation.tracks.get(variation=1)
    assert owner_client.post(f"/tracks/{other.pk}/new-covers").status_code == 302
    again = CoverArt.objects.get(track=other)
    assert again.status == CoverArtStatus.PENDING and again.vendor_task_id == "vendor-cover-1"
    draw_cover_art(str(again.pk))  # the poll step its first look queued
    again.refresh_from_db()
    assert again.status == CoverArtStatus.SUCCESS and len(again.files) == 3
    assert len(vendor.sent(COVER_GENERATE)) == 1


def test_a_vendor_failure_fails_the_task_with_its_words_and_keeps_what_was_made(
        client, owner_client, vendor, vendor_take, tmp_path):
    track, keyed = vendor_take
    served = vendor_mp4(tmp_path, seconds=1.0)
    vendor.on(MP4_GENERATE, mp4_task("vendor-mp4-1"), mp4_task("vendor-mp4-2"),
              mp4_task("vendor-mp4-3"))
    vendor.on("/files/ok.mp4", Answer(raw=served, content_type="video/mp4"))
    vendor.on("/files/page.mp4", Answer(raw=b"<html>" + b" " * 200 + b"</html>",
                                        content_type="text/html"))
    body = {"taskId": str(track.generation_id), "audioId": str(track.pk)}

    def made_by_vendor(*record) -> MusicVideo:
        vendor.on(MP4_RECORD, *record)
        task_id = post(client, MP4_GENERATE, body, keyed)["data"]["taskId"]
        sent = vendor.sent(MP4_GENERATE)[-1]
        assert httpx.post(sent["body"]["callBackUrl"], json={}, timeout=60).status_code == 200
        return MusicVideo.objects.get(pk=task_id)

    first = made_by_vendor(mp4_record("vendor-mp4-1", "SUCCESS", vendor.url + "/files/ok.mp4"))
    assert first.status == VideoStatus.SUCCESS
    failed = made_by_vendor(mp4_record("vendor-mp4-2", "GENERATE_MP4_FAILED",
                                       message="Renderer quota exceeded"))
    assert failed.status == VideoStatus.GENERATE_MP4_FAILED
    assert "Renderer quota exceeded" in failed.error_message
    record = client.get(MP4_RECORD, {"taskId": failed.task_id}, **keyed).json()["data"]
    assert record["errorCode"] == 501 and "Renderer quota exceeded" in record["errorMessage"]
    not_video = made_by_vendor(mp4_record("vendor-mp4-3", "SUCCESS",
                                          vendor.url + "/files/page.mp4"))
    assert not_video.status == VideoStatus.GENERATE_MP4_FAILED
    assert "is not an MP4 file" in not_video.error_message

    # The video made before is still shown and served.
    page = owner_client.get(f"/tracks/{track.pk}/").content.decode()
    assert f"/tracks/{track.pk}/videos/{first.pk}.mp4" in page
    assert track.audio.storage.open(first.file_name).read() == served

    # A vendor that refuses the request: the task fails at once, saying so.
    vendor.on(MP4_GENERATE, Answer({"code": 402, "msg": "Insufficient credits"}))
    refused = MusicVideo.objects.get(pk=post(client, MP4_GENERATE, body, keyed)["data"]["taskId"])
    assert refused.status == VideoStatus.CREATE_TASK_FAILED
    assert "no credits left" in refused.error_message
    assert refused.error_message in owner_client.get(f"/tracks/{track.pk}/video/").content.decode()


def test_a_local_take_stays_local_and_a_stranger_gets_404(client, vendor, vendor_take, stranger):
    track, keyed = vendor_take
    local = finish_by_hand(api_generation(track.owner))
    answer = post(client, MP4_GENERATE, {"taskId": str(local.pk), "audioId": str(
        local.tracks.get(variation=0).pk)}, keyed)
    made = MusicVideo.objects.get(pk=answer["data"]["taskId"])
    assert made.status == VideoStatus.SUCCESS and not made.vendor_task_id
    assert vendor.requests == []  # nothing asked of the vendor

    stranger = {"HTTP_AUTHORIZATION": f"Bearer {ApiKey.issue(stranger, 'theirs')[1]}"}
    body = {"taskId": str(track.generation_id), "audioId": str(track.pk)}
    assert post(client, MP4_GENERATE, body, stranger)["code"] == 404
    assert post(client, COVER_GENERATE, {"taskId": str(track.generation_id)}, stranger)[
        "code"] == 404
    assert client.get(MP4_RECORD, {"taskId": made.task_id}, **stranger).json()["code"] == 404
    assert vendor.requests == []


def test_a_vendor_without_the_endpoint_gets_the_video_made_here(client, vendor, vendor_take):
    track, keyed = vendor_take  # the vendor answers mp4/generate 404: it offers no videos
    answer = post(client, MP4_GENERATE, {"taskId": str(track.generation_id),
                                         "audioId": str(track.pk)}, keyed)
    made = MusicVideo.objects.get(pk=answer["data"]["taskId"])
    assert len(vendor.sent(MP4_GENERATE)) == 1
    assert made.status == VideoStatus.SUCCESS, made.error_message
    assert not made.vendor_task_id and made.vendor_sent_at is None
    with av.open(track.audio.storage.path(made.file_name)) as container:  # Studio's 640 px
        assert (container.streams.video[0].width, container.streams.video[0].height) == (640, 640)
