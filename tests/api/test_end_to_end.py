"""Real renders through the API: the local engine makes the music, a real HTTP server on
127.0.0.1 receives text → first → complete, and record-info matches each stage.

Renders are short: the engine's private `_duration` param (never accepted from clients) is
set on the queued generation before its job runs, so each render is a few seconds.
"""
import pytest

from studio.api.models import CallbackDelivery, WebhookSecret
from studio.generation.models import Generation, Status, stage_reached
from tests.api.factories import made_through_api
from tests.api.test_callbacks import signature_is_valid

pytestmark = pytest.mark.slow
SHORT = 8.0  # seconds of music per take


@pytest.fixture
def stage_snapshots(api):
    """record-info as a client polling at the moment each stage is reached would see it."""
    seen = []

    def snapshot(sender, generation, status, **kwargs):
        seen.append(api.record(generation.task_id)["data"])

    stage_reached.connect(snapshot, weak=False, dispatch_uid="test-snapshot")
    yield seen
    stage_reached.disconnect(dispatch_uid="test-snapshot")


def render(api, path, body, capture) -> Generation:
    """POST `body` to `path`, shorten the queued generation, run its job inline (JOBS_SYNC)."""
    return made_through_api(api, capture, body, SHORT, path=path)


def test_generate_calls_back_each_stage_and_lands_in_the_library(
        api, owner, owner_client, receiver, stage_snapshots, django_capture_on_commit_callbacks):
    generation = render(api, "/api/v1/generate", {
        "customMode": False, "instrumental": False, "model": "V4_5",
        "prompt": "a short bright folk song about a lighthouse",
        "callBackUrl": receiver.url + "/studio-hook"}, django_capture_on_commit_callbacks)
    assert generation.status == Status.SUCCESS, generation.error_message

    bodies = [r["body"] for r in receiver.requests]
    assert [b["data"]["callbackType"] for b in bodies] == ["text", "first", "complete"]
    secret = WebhookSecret.for_user(owner).secret
    assert all(signature_is_valid(r, secret, generation.task_id) for r in receiver.requests)
    assert CallbackDelivery.objects.filter(generation=generation,
                                           delivered_at__isnull=False).count() == 3

    assert [s["status"] for s in stage_snapshots] == ["TEXT_SUCCESS", "FIRST_SUCCESS",
                                                      "SUCCESS"]
    # Both takes are listed from the text stage on, with a stream link; audioUrl comes with
    # each take's end, and a take keeps one id throughout (its stream's, then its track's).
    listed = [s["response"]["sunoData"] for s in stage_snapshots]
    assert [len(items) for items in listed] == [2, 2, 2]
    assert [[bool(t["audioUrl"]) for t in items] for items in listed] == [
        [False, False], [True, False], [True, True]]
    assert all(t["streamAudioUrl"] for items in listed for t in items)
    final = stage_snapshots[-1]["response"]["sunoData"]
    assert [t["id"] for t in listed[0]] == [t["id"] for t in listed[1]] == [t["id"] for t in final]
    assert [(t["title"], t["prompt"], t["tags"]) for t in listed[0]] == [
        (t["title"], t["prompt"], t["tags"]) for t in final]  # the text stage's words are the tracks'
    complete = bodies[-1]["data"]["data"]
    assert [t["id"] for t in final] == [t["id"] for t in complete]
    assert final[0]["title"] == complete[0]["title"] and final[0]["duration"] > 0
    # The callback's first track is the record's first track.
    assert bodies[1]["data"]["data"][0]["id"] == final[0]["id"]

    # Its audio is fetchable with the signed link, and it is in the owner's library.
    audio = owner_client.get(final[0]["audioUrl"].removeprefix("http://testserver"),
                             headers={"Range": "bytes=0-3"})
    assert audio.status_code == 206
    library = owner_client.get("/").content.decode()
    assert final[0]["title"] in library or final[0]["title"].replace("'", "&#x27;") in library


def test_legacy_extend_of_a_rendered_clip_renders(api, django_capture_on_commit_callbacks):
    source = render(api, "/suno/music/generate-instrumental",
                    {"tags": "tropical house, wave, synthwave", "title": "crazy and wild"},
                    django_capture_on_commit_callbacks)
    assert source.status == Status.SUCCESS, source.error_message
    clip = api.post("/suno/music/get-task", {"task_id": source.task_id}).json()["clips"][0]
    extension = render(api, "/suno/music/extend-Instrumental", {
        "tags": "tropical house, wave, synthwave", "title": "crazy and wild", "model": "v3.5",
        "continue_clip_id": clip["continue_clip_id"], "continue_at": 4},
        django_capture_on_commit_callbacks)
    assert extension.status == Status.SUCCESS, extension.error_message
    body = api.get("/suno/music/get-music", {"task_id": extension.task_id}).json()
    assert body["status"] == "complete" and len(body["clips"]) == 2
    record = api.record(extension.task_id)["data"]
    assert record["parentMusicId"] == clip["id"] and record["operationType"] == "extend"


@pytest.mark.parametrize("path, body", [
    ("/api/v1/generate/upload-cover", {"prompt": "a dreamy cover", "customMode": False}),
    ("/api/v1/generate/add-instrumental", {"title": "Backing", "tags": "piano, soft",
                                           "negativeTags": "metal"}),
])
def test_upload_modes_render_from_the_upload(api, receiver, path, body,
                                             django_capture_on_commit_callbacks):
    from tests.factories import mp3_bytes
    receiver.files["/vocal.mp3"] = mp3_bytes(6.0)
    generation = render(api, path, {**body, "uploadUrl": receiver.url + "/vocal.mp3"},
                        django_capture_on_commit_callbacks)
    assert generation.status == Status.SUCCESS, generation.error_message
    record = api.record(generation.task_id)["data"]
    assert len(record["response"]["sunoData"]) == 2
