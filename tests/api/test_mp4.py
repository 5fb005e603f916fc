"""POST /api/v1/mp4/generate makes a finished take's music video: record-info and one signed
callback give its link, the link serves an MP4 as long as the take with its audio; bad
fields, unfinished takes, strangers and a broken audio file each get their answer."""
import av
import pytest
from django.core.files.base import ContentFile

from studio.api import files
from studio.api.models import WebhookSecret
from studio.generation.models import Status
from studio.generation.streams import track_id
from studio.library.models import MusicVideo, VideoStatus
from tests.api.factories import api_generation, finish_by_hand
from tests.api.test_callbacks import signature_is_valid

GENERATE, RECORD = "/api/v1/mp4/generate", "/api/v1/mp4/record-info"


def finished(owner):
    generation = finish_by_hand(api_generation(owner))
    return generation, generation.tracks.get(variation=0)


def ask(api, generation, audio_id, **extra) -> dict:
    return api.post(GENERATE, {"taskId": generation.task_id, "audioId": str(audio_id),
                               **extra}).json()


def record(api, task_id) -> dict:
    return api.get(RECORD, {"taskId": task_id}).json()


def test_the_video_is_an_mp4_of_the_take(api, client, owner, tmp_path,
                                         django_capture_on_commit_callbacks):
    generation, track = finished(owner)
    with django_capture_on_commit_callbacks(execute=True):
        answer = ask(api, generation, track.id, author="Ada Lovelace",
                     domainName="music.example.com")
    assert answer["code"] == 200 and answer["msg"] == "success"
    data = record(api, answer["data"]["taskId"])["data"]
    assert data["successFlag"] == "SUCCESS" and data["taskId"] == answer["data"]["taskId"]
    assert data["musicId"] == data["audioId"] == str(track.id) and data["callbackUrl"] == ""
    assert isinstance(data["completeTime"], int) and isinstance(data["createTime"], int)
    assert data["errorCode"] is None and data["errorMessage"] is None
    made = MusicVideo.objects.get(pk=data["taskId"])
    assert (made.author, made.domain_name, made.owner) == ("Ada Lovelace", "music.example.com", owner)

    url = data["response"]["videoUrl"]
    assert url.startswith("http://testserver/api/files/") and url.endswith(".mp4")
    served = client.get(url.removeprefix("http://testserver"))  # a signed link: no key
    assert served.status_code == 200 and served["Content-Type"] == "video/mp4"
    path = tmp_path / "take.mp4"
    path.write_bytes(b"".join(served.streaming_content))
    with av.open(str(path)) as container:
        assert [s.type for s in container.streams] == ["video", "audio"]
        assert abs(container.duration / 1e6 - track.duration) < 0.1


def test_the_callback_carries_the_link_signed(api, owner, receiver,
                                              django_capture_on_commit_callbacks):
    generation, track = finished(owner)
    with django_capture_on_commit_callbacks(execute=True):
        answer = ask(api, generation, track.id, callBackUrl=receiver.url + "/mp4")
    task_id = answer["data"]["taskId"]
    [sent] = receiver.requests
    assert sent["path"] == "/mp4"
    assert sent["body"]["code"] == 200 and sent["body"]["msg"] == "MP4 generated successfully."
    assert set(sent["body"]["data"]) == {"task_id", "video_url"}
    assert sent["body"]["data"]["task_id"] == task_id
    # The file record-info names (each link is signed when it is made).
    listed = record(api, task_id)["data"]["response"]["videoUrl"]
    assert files.unsign(sent["body"]["data"]["video_url"].rsplit("/", 1)[1]) == \
        files.unsign(listed.rsplit("/", 1)[1]) == (files.VIDEO, MusicVideo.objects.get().id.hex)
    assert signature_is_valid(sent, WebhookSecret.for_user(owner).secret, task_id)
    assert record(api, task_id)["data"]["callbackUrl"] == receiver.url + "/mp4"


def test_a_take_whose_audio_cannot_be_read_fails_and_says_so(api, owner, receiver,
                                                            django_capture_on_commit_callbacks):
    generation, track = finished(owner)
    track.audio.delete(save=False)
    track.audio.save("audio.mp3", ContentFile(b"not audio at all" * 100))
    with django_capture_on_commit_callbacks(execute=True):
        answer = ask(api, generation, track.id, callBackUrl=receiver.url + "/mp4")
    data = record(api, answer["data"]["taskId"])["data"]
    assert data["successFlag"] == "GENERATE_MP4_FAILED" and data["errorCode"] == 501
    assert data["errorMessage"].startswith("The video could not be made")
    assert data["response"]["videoUrl"] == ""
    [sent] = receiver.requests
    assert sent["body"]["code"] == 500 and sent["body"]["data"] == {
        "task_id": answer["data"]["taskId"], "video_url": None}


def test_missing_and_bad_fields_are_named(api, owner):
    assert api.post(GENERATE, {}).json() == {
        "code": 422, "msg": "taskId is required; audioId is required", "data": None}
    generation, track = finished(owner)
    too_long = ask(api, generation, track.id, author="A" * 51)
    assert too_long["code"] == 413 and too_long["msg"] == "author is 51 characters; the limit is 50"
    assert ask(api, generation, track.id, domainName="d" * 60)["msg"] == \
        "domainName is 60 characters; the limit is 50"
    assert ask(api, generation, track.id, author=["Ada"])["msg"] == \
        "author must be text of at most 50 characters"
    assert not MusicVideo.objects.exists()


def test_an_unfinished_take_is_refused_until_it_is_final(api, owner):
    generation = finish_by_hand(api_generation(owner), stop_at=Status.TEXT_SUCCESS)
    answer = ask(api, generation, track_id(generation, 0))
    assert answer["code"] == 422 and "not finished yet" in answer["msg"] and "video" in answer["msg"]
    assert not MusicVideo.objects.exists()


@pytest.mark.parametrize("where", ["generate", "record-info"])
def test_strangers_and_wrong_ids_are_not_found(api, stranger_api, owner, where,
                                               django_capture_on_commit_callbacks):
    generation, track = finished(owner)
    if where == "generate":
        assert ask(stranger_api, generation, track.id)["code"] == 404
        _other, other_track = finished(owner)
        assert ask(api, generation, other_track.id)["code"] == 404  # not this task's take
        assert ask(api, generation, "nonsense")["code"] == 404
        assert not MusicVideo.objects.exists()
        return
    made = MusicVideo.objects.create(owner=owner, track=track, status=VideoStatus.PENDING)
    assert record(stranger_api, made.task_id)["code"] == 404
    assert record(api, "nonsense")["code"] == 404
    assert record(api, "")["code"] == 422
    pending = record(api, made.task_id)["data"]
    assert pending["successFlag"] == "PENDING" and pending["response"]["videoUrl"] == ""
    assert pending["completeTime"] is None
