"""Stems made by a real django-q2 worker process (`manage.py qcluster`), as `manage.py up`
runs it: the page's request is queued, the worker renders the parts and keeps them."""
import time

import numpy as np
import pytest
import soundfile as sf

from studio.generation import jobs
from studio.generation.models import Status
from studio.generation.rules import GenerationRequest
from studio.library.models import Stems
from tests.generation.workers import output, wait_until_final

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_makes_the_stems_the_page_asked_for(worker, owner, owner_client):
    request = GenerationRequest.from_params("generate", {
        "customMode": True, "instrumental": False, "model": "V4_5", "style": "pop, 100 bpm",
        "title": "River", "prompt": "[Verse]\nHold the night, my friend!", "_duration": 10.0})
    generation = jobs.submit(owner=owner, request=request)
    wait_until_final(generation, worker)
    assert generation.status == Status.SUCCESS, output(worker)
    track = generation.tracks.get(variation=1)

    assert owner_client.post(f"/tracks/{track.pk}/stems").status_code == 302
    stems = Stems.objects.get(track=track)
    deadline = time.monotonic() + 120
    while stems.status == Stems.Status.PENDING and time.monotonic() < deadline:
        time.sleep(0.5)
        stems.refresh_from_db()
    assert stems.status == Stems.Status.SUCCESS, output(worker)
    assert stems.claimed_at is not None
    folder = track.audio.storage.path(track.folder)
    vocals, rate = sf.read(f"{folder}/{stems.files['vocals']}", always_2d=True)
    assert rate == 44100 and abs(len(vocals) / rate - track.duration) < 0.2
    assert np.sqrt(np.mean(vocals ** 2)) > 0.01
    block = owner_client.get(f"/tracks/{track.pk}/stems/").content.decode()
    assert 'data-stem="vocals"' in block and "every 2s" not in block
