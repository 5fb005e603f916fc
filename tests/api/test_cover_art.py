"""POST /api/v1/suno/cover/generate draws two new cover images for a finished music task:
record-info and one signed callback list them, the links serve two distinct JPEGs; asked
again, the vendors' answer (400 with the existing taskId); strangers and bad ids get theirs."""
import io
import re

import numpy as np
from PIL import Image

from studio.api import files
from studio.api.models import WebhookSecret
from studio.generation.models import Status
from studio.library.models import CoverArt, CoverArtStatus
from tests.api.factories import api_generation, finish_by_hand
from tests.api.test_callbacks import signature_is_valid

GENERATE, RECORD = "/api/v1/suno/cover/generate", "/api/v1/suno/cover/record-info"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def ask(api, task_id, **extra) -> dict:
    return api.post(GENERATE, {"taskId": task_id, **extra}).json()


def record(api, task_id) -> dict:
    return api.get(RECORD, {"taskId": task_id}).json()


def named(url: str) -> tuple[str, str]:
    """What a signed link names (its kind and id), whenever it was signed."""
    return files.unsign(url.rsplit("/", 1)[1])


def image(client, url) -> np.ndarray:
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as picture:
        assert picture.format == "JPEG" and picture.width == picture.height
        return np.asarray(picture.convert("RGB").resize((128, 128)), dtype=np.int32)


def test_two_new_images_for_a_finished_task(api, client, owner,
                                            django_capture_on_commit_callbacks):
    generation = finish_by_hand(api_generation(owner))
    with django_capture_on_commit_callbacks(execute=True):
        answer = ask(api, generation.task_id)
    assert answer["code"] == 200 and answer["msg"] == "success"
    data = record(api, answer["data"]["taskId"])["data"]
    assert data["successFlag"] == "SUCCESS" and data["parentTaskId"] == generation.task_id
    assert data["taskId"] == answer["data"]["taskId"] and data["callbackUrl"] == ""
    assert ISO.match(data["completeTime"]) and ISO.match(data["createTime"])
    assert data["errorCode"] is None and data["errorMessage"] is None
    first, second = data["response"]["images"]
    assert first.endswith(".jpg") and second.endswith(".jpg")
    assert np.abs(image(client, first) - image(client, second)).mean() > 10  # two, not one twice
    task = CoverArt.objects.get(pk=data["taskId"])
    assert task.owner == owner and task.track == generation.tracks.get(variation=0)


def test_asked_again_the_answer_is_400_with_the_existing_task(api, owner,
                                                              django_capture_on_commit_callbacks):
    generation = finish_by_hand(api_generation(owner))
    with django_capture_on_commit_callbacks(execute=True):
        first = ask(api, generation.task_id)
    again = ask(api, generation.task_id)
    assert again["code"] == 400 and again["data"] == {"taskId": first["data"]["taskId"]}
    assert again["msg"] == "Cover art was already generated for this task"
    assert CoverArt.objects.count() == 1


def test_the_callback_lists_the_images_signed(api, owner, receiver,
                                              django_capture_on_commit_callbacks):
    generation = finish_by_hand(api_generation(owner))
    with django_capture_on_commit_callbacks(execute=True):
        answer = ask(api, generation.task_id, callBackUrl=receiver.url + "/cover")
    task_id = answer["data"]["taskId"]
    [sent] = receiver.requests
    assert sent["path"] == "/cover"
    assert sent["body"]["code"] == 200 and sent["body"]["msg"] == "success"
    assert sent["body"]["data"]["taskId"] == task_id
    # The same two files as record-info names (each link is signed when it is made).
    listed = record(api, task_id)["data"]["response"]["images"]
    assert [named(url) for url in sent["body"]["data"]["images"]] == [named(url) for url in listed]
    assert signature_is_valid(sent, WebhookSecret.for_user(owner).secret, task_id)


def test_an_unfinished_task_is_refused(api, owner):
    generation = finish_by_hand(api_generation(owner), stop_at=Status.FIRST_SUCCESS)
    answer = ask(api, generation.task_id)
    assert answer["code"] == 422 and "is not finished" in answer["msg"]
    assert not CoverArt.objects.exists()


def test_missing_unknown_and_strangers_ids(api, stranger_api, owner):
    assert ask(api, None) == {"code": 422, "msg": "taskId is required", "data": None}
    assert api.post(GENERATE, {}).json()["code"] == 422
    assert ask(api, "nonsense")["code"] == 404
    generation = finish_by_hand(api_generation(owner))
    assert ask(stranger_api, generation.task_id)["code"] == 404
    assert not CoverArt.objects.exists()
    task = CoverArt.objects.create(owner=owner, track=generation.tracks.get(variation=0),
                                   through_api=True)
    assert record(stranger_api, task.task_id)["code"] == 404
    assert record(api, "nonsense")["code"] == 404
    pending = record(api, task.task_id)["data"]
    assert pending["successFlag"] == CoverArtStatus.PENDING and pending["completeTime"] is None
    assert pending["response"] == {"images": None}
