"""A music video and new cover art asked for through the API are made by a real django-q2
worker process (`manage.py qcluster`), which reports the video's progress on its row as it
encodes and then calls back a real receiver on 127.0.0.1."""
import pytest

from studio.library.models import CoverArt, CoverArtStatus, MusicVideo, VideoStatus
from tests.api.factories import api_generation, finish_by_hand
from tests.generation.workers import output, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_makes_the_video_and_the_covers_and_calls_back(api_worker, receiver, api,
                                                                owner):
    generation = finish_by_hand(api_generation(owner))
    track = generation.tracks.get(variation=1)
    video = api.post("/api/v1/mp4/generate", {
        "taskId": generation.task_id, "audioId": str(track.id),
        "callBackUrl": receiver.url + "/mp4"}).json()["data"]["taskId"]
    covers = api.post("/api/v1/suno/cover/generate", {
        "taskId": generation.task_id, "callBackUrl": receiver.url + "/cover"}).json()["data"]["taskId"]
    wait_until(lambda: len(receiver.requests) == 2, seconds=180)
    made = MusicVideo.objects.get(pk=video)
    assert made.status == VideoStatus.SUCCESS and made.claimed_at, output(api_worker)
    assert made.progress == 1.0
    assert track.audio.storage.size(made.file_name) > 10_000
    drawn = CoverArt.objects.get(pk=covers)
    assert drawn.status == CoverArtStatus.SUCCESS and len(drawn.files) == 2, output(api_worker)
    by_path = {sent["path"]: sent["body"] for sent in receiver.requests}
    assert by_path["/mp4"]["data"]["video_url"].endswith(".mp4")
    assert len(by_path["/cover"]["data"]["images"]) == 2
