"""A music video and new cover art asked for through the API are made by a real django-q2
worker process (`manage.py qcluster`), which reports the video's progress on its row as it
encodes and then calls back a real receiver on 127.0.0.1."""
import pytest

from studio.library.models import CoverArt, CoverArtStatus, MusicVideo, VideoStatus
from tests.api.conftest import Receiver
from tests.api.factories import api_generation, finish_by_hand
from tests.generation.workers import output, start_cluster, stop_cluster, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings):
    process = start_cluster(settings, STUDIO_OUTBOUND_ALLOW="127.0.0.1",
                            STUDIO_CALLBACK_BACKOFF="0.1,0.2")
    yield process
    stop_cluster(process)


@pytest.fixture
def hook(loopback_allowed):
    server = Receiver()
    yield server
    server.close()


def test_a_worker_makes_the_video_and_the_covers_and_calls_back(worker, hook, api, owner):
    generation = finish_by_hand(api_generation(owner))
    track = generation.tracks.get(variation=1)
    video = api.post("/api/v1/mp4/generate", {
        "taskId": generation.task_id, "audioId": str(track.id),
        "callBackUrl": hook.url + "/mp4"}).json()["data"]["taskId"]
    covers = api.post("/api/v1/suno/cover/generate", {
        "taskId": generation.task_id, "callBackUrl": hook.url + "/cover"}).json()["data"]["taskId"]
    wait_until(lambda: len(hook.requests) == 2, seconds=180)
    made = MusicVideo.objects.get(pk=video)
    assert made.status == VideoStatus.SUCCESS and made.claimed_at, output(worker)
    assert made.progress == 1.0
    assert track.audio.storage.size(made.file_name) > 10_000
    drawn = CoverArt.objects.get(pk=covers)
    assert drawn.status == CoverArtStatus.SUCCESS and len(drawn.files) == 2, output(worker)
    by_path = {sent["path"]: sent["body"] for sent in hook.requests}
    assert by_path["/mp4"]["data"]["video_url"].endswith(".mp4")
    assert len(by_path["/cover"]["data"]["images"]) == 2
