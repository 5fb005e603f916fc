"""A persona of a vendor's take is made at that vendor (its generate-persona, here a second
Studio on 127.0.0.1 that keeps its own take's singer), and a later song through the same
connection sends the vendor's own personaId; the local engine refuses that persona, and the
connection refuses a local one, before anything is queued."""
import json

import httpx
import pytest

from studio.api.models import ApiKey
from studio.generation.models import Generation, Status
from studio.library.models import Persona
from tests.connections.conftest import connect
from tests.connections.test_end_to_end import wait_until_final

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SONG = {"mode": "custom", "model": "V4_5", "title": "Harbour", "style": "pop, 128 bpm",
        "lyrics": "[Verse]\nHold the light across the water\nSing it home\n"
                  "Every window burning brighter\nCarry on\n[Chorus]\nHarbour, harbour\n"
                  "Bring me home\n"}


def test_a_vendor_take_gets_its_persona_from_the_vendor_and_songs_through_it_send_its_id(
        vendor_studio, studio_public, owner, owner_client):
    connection = connect(owner, vendor_studio)
    response = owner_client.post("/create/", {**SONG, "engine": str(connection.pk)})
    assert response.status_code == 302, response.content.decode()[:2000]
    source = wait_until_final(Generation.objects.get())
    assert source.status == Status.SUCCESS, source.error_message
    take = source.tracks.get(variation=0)

    key = ApiKey.issue(owner, "script")[1]
    answer = httpx.post(studio_public + "/api/v1/generate/generate-persona", headers={
        "Authorization": f"Bearer {key}"}, json={
        "taskId": source.task_id, "audioId": str(take.id), "name": "Harbour voice",
        "description": "the vendor's singer", "vocalStart": 0,
        "vocalEnd": round(min(20.0, take.duration), 1)}).json()
    assert answer["code"] == 200, answer
    persona = Persona.objects.get(pk=answer["data"]["personaId"])
    assert persona.engine == connection.engine_name and persona.voice == {}
    assert persona.vendor_persona_id.startswith("persona_")
    assert persona.vendor_persona_id != persona.pk  # the vendor's own id for it

    # The local engine cannot sing with a vendor's singer: said beside the form's engine.
    refused = owner_client.post("/create/", {**SONG, "engine": "local", "personaId": persona.pk})
    assert refused.status_code == 200
    assert f"is a singer at {connection.name}" in refused.content.decode()

    response = owner_client.post("/create/", {**SONG, "title": "Harbour II",
                                              "engine": str(connection.pk),
                                              "personaId": persona.pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    song = Generation.objects.exclude(pk=source.pk).get()
    song = wait_until_final(song)
    assert song.status == Status.SUCCESS, song.error_message
    # What the vendor got: its own persona id (read back from its record-info's param)
    record = httpx.get(vendor_studio.url + "/api/v1/generate/record-info",
                       params={"taskId": song.engine_task_id},
                       headers={"Authorization": f"Bearer {vendor_studio.key}"}).json()
    assert json.loads(record["data"]["param"])["personaId"] == persona.vendor_persona_id
