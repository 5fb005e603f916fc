"""Every mode of both dialects through a second Studio acting as the vendor on 127.0.0.1
(one for the whole session: it is slow to start): v1 covers and added instrumentals, their
upload handed over as an uploadUrl either through the vendor's file-upload API or through
Studio's own signed link; legacy instrumentals and their extensions. Each result is measured
where it is kept: the audio decodes, lasts as long as the vendor says it made it, has peaks,
and nothing Studio serves links to the vendor."""
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from studio.api.models import ApiKey
from studio.connections.models import DefaultEngine, UpstreamTask
from studio.generation.models import Generation, Mode, Status
from studio.library import lineage
from tests.connections.conftest import (
    assert_kept_as_the_vendor_made_it,
    assert_nothing_links_to,
    connect,
    vendor_takes,
)
from tests.connections.test_end_to_end import wait_until_final
from tests.factories import MINOR_SCALE, audio_bytes, make_track, mp3_bytes, tune_bytes
from tests.generation.workers import wait_until
from tests.vendor import Answer, FaultVendor

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
UPLOAD_SECONDS = 6.0


def created(response) -> Generation:
    assert response.status_code == 302, (response.context or {}).get("form").errors
    return Generation.objects.order_by("-created_at").first()


def upload(name="hum.wav"):
    return SimpleUploadedFile(name, audio_bytes("wav", UPLOAD_SECONDS))


def api_key(owner) -> str:
    return ApiKey.issue(owner, "checks")[1]


def assert_tracked_by_callbacks(generation):
    task = UpstreamTask.objects.get(pk=generation.pk)
    assert task.callbacks >= 3 and task.polls == 0


def test_a_cover_goes_to_the_vendor_through_its_file_upload_api(
        vendor_studio, studio_public, owner, owner_client, settings):
    connection = connect(owner, vendor_studio)
    connection.upload_base_url = vendor_studio.url  # a Studio serves /api/file-stream-upload
    connection.save(update_fields=["upload_base_url"])
    generation = created(owner_client.post("/create/", {
        "mode": "cover", "file": upload(), "idea": "the same tune as a lo-fi song",
        "model": "V4_5", "engine": str(connection.pk)}))
    assert generation.mode == Mode.UPLOAD_COVER and generation.engine == connection.engine_name

    wait_until_final(generation)

    assert generation.status == Status.SUCCESS, generation.error_message
    assert_tracked_by_callbacks(generation)
    sent = next(iter(vendor_takes(vendor_studio, generation).values()))[1]
    # The upload went to the vendor's file host, and the vendor fetched it from there.
    assert sent["uploadUrl"].startswith(vendor_studio.url + "/api/files/")
    assert not sent["uploadUrl"].startswith(settings.STUDIO_BASE_URL)
    assert_kept_as_the_vendor_made_it(generation, vendor_studio, settings)
    assert_nothing_links_to(vendor_studio, owner_client, generation, api_key(owner))


def test_a_library_track_is_covered_through_studios_signed_link(
        vendor_studio, studio_public, owner, owner_client, settings):
    connection = connect(owner, vendor_studio)  # no file-upload URL: Studio serves the file
    track = make_track(owner, title="Old tune", duration=UPLOAD_SECONDS)
    track.audio.save("audio.mp3", ContentFile(mp3_bytes(UPLOAD_SECONDS)))
    generation = created(owner_client.post("/create/", {
        "mode": "cover", "track": str(track.pk), "custom": "on", "title": "Old tune, new",
        "style": "bossa nova", "instrumental": "on", "model": "V4_5",
        "engine": str(connection.pk)}))
    assert generation.source_track == track and generation.upload is None

    wait_until_final(generation)

    assert generation.status == Status.SUCCESS, generation.error_message
    sent = next(iter(vendor_takes(vendor_studio, generation).values()))[1]
    assert sent["uploadUrl"].startswith(settings.STUDIO_BASE_URL + "/api/files/")
    assert_kept_as_the_vendor_made_it(generation, vendor_studio, settings)


@pytest.mark.parametrize("handed_over", ["vendor file-upload API", "Studio's signed link"])
def test_an_instrumental_is_added_under_an_upload_the_vendor_fetches(
        vendor_studio, studio_public, owner, owner_client, settings, handed_over):
    connection = connect(owner, vendor_studio)
    if handed_over == "vendor file-upload API":
        connection.upload_base_url = vendor_studio.url
        connection.save(update_fields=["upload_base_url"])
    generation = created(owner_client.post("/create/", {
        "mode": "add_instrumental", "file": upload("vocal.wav"), "title": "Hum along",
        "tags": "soft piano", "negativeTags": "", "model": "V5",
        "engine": str(connection.pk)}))
    assert generation.mode == Mode.ADD_INSTRUMENTAL

    wait_until_final(generation)

    assert generation.status == Status.SUCCESS, generation.error_message
    assert_tracked_by_callbacks(generation)
    sent = next(iter(vendor_takes(vendor_studio, generation).values()))[1]
    host = vendor_studio.url if connection.upload_base_url else settings.STUDIO_BASE_URL
    assert sent["uploadUrl"].startswith(host + "/api/files/"), sent
    assert sent["title"] == "Hum along" and sent["tags"] == "soft piano"
    assert_kept_as_the_vendor_made_it(generation, vendor_studio, settings)
    assert_nothing_links_to(vendor_studio, owner_client, generation, api_key(owner))


@pytest.mark.parametrize("mode, fields, sent_as", [
    ("add_vocals", {"title": "Sung along", "style": "jazz", "lyrics": "[Verse]\nthe tide comes in",
                    "negativeTags": "", "model": "V5"},
     {"title": "Sung along", "style": "jazz", "prompt": "[Verse]\nthe tide comes in",
      "negativeTags": "", "model": "V5"}),
    ("upload_extend", {"title": "Longer", "style": "folk", "continue_at": "4", "instrumental": "on",
                       "model": "V4_5"},
     {"title": "Longer", "style": "folk", "continueAt": 4.0, "instrumental": True,
      "defaultParamFlag": True, "model": "V4_5"}),
])
def test_vocals_are_added_and_an_upload_extended_at_the_vendor(
        vendor_studio, studio_public, owner, owner_client, settings, mode, fields, sent_as):
    connection = connect(owner, vendor_studio)
    connection.upload_base_url = vendor_studio.url
    connection.save(update_fields=["upload_base_url"])
    generation = created(owner_client.post("/create/", {
        "mode": mode, "file": upload("song.wav"), **fields, "engine": str(connection.pk)}))
    assert generation.mode == mode and generation.engine == connection.engine_name

    wait_until_final(generation)

    assert generation.status == Status.SUCCESS, generation.error_message
    assert_tracked_by_callbacks(generation)
    sent = next(iter(vendor_takes(vendor_studio, generation).values()))[1]
    assert sent["uploadUrl"].startswith(vendor_studio.url + "/api/files/"), sent
    assert {k: sent.get(k) for k in sent_as} == sent_as
    assert_kept_as_the_vendor_made_it(generation, vendor_studio, settings)
    assert_nothing_links_to(vendor_studio, owner_client, generation, api_key(owner))


def test_a_v1_extension_names_the_vendors_take_and_joins_its_family(
        vendor_studio, studio_public, owner, owner_client, settings):
    connection = connect(owner, vendor_studio)
    source = created(owner_client.post("/create/", {
        "mode": "instrumental", "tags": "calm harp", "title": "Harbour", "model": "V4_5",
        "engine": str(connection.pk)}))
    wait_until_final(source)
    assert source.status == Status.SUCCESS, source.error_message
    parent = source.tracks.get(variation=0)

    extension = created(owner_client.post("/create/", {
        "mode": "extend", "track": str(parent.pk), "continue_at": "8", "model": "V4_5",
        "title": "Harbour, later", "style": "calm harp", "lyrics": "", "instrumental": "on",
        "engine": str(connection.pk)}))
    wait_until_final(extension)

    assert extension.status == Status.SUCCESS, extension.error_message
    assert_tracked_by_callbacks(extension)
    sent = next(iter(vendor_takes(vendor_studio, extension).values()))[1]
    assert sent["audioId"] == parent.engine_id and sent["model"] == "V4_5"  # the vendor's id
    children = assert_kept_as_the_vendor_made_it(extension, vendor_studio, settings)
    assert {child.parent_id for child in children} == {parent.pk}
    family = lineage.tree(children[0], owner)
    assert family.track == parent and {c.track for c in family.children} >= set(children)
    page = owner_client.get(f"/tracks/{children[0].pk}/").content.decode()
    assert f"/tracks/{parent.pk}/" in page  # the lineage shows its vendor parent
    assert_nothing_links_to(vendor_studio, owner_client, extension, api_key(owner))


def test_a_legacy_instrumental_and_its_extension_are_followed_by_the_poller(
        vendor_studio, studio_public, owner, owner_client, settings):
    connection = connect(owner, vendor_studio, family="legacy", name="legacy vendor")
    source = created(owner_client.post("/create/", {
        "mode": "instrumental", "tags": "warm synth pads", "title": "Dusk", "model": "V4",
        "engine": str(connection.pk)}))
    wait_until_final(source, poll=True)  # generate-instrumental; the dialect has no callbacks
    assert source.status == Status.SUCCESS, source.error_message
    assert UpstreamTask.objects.get(pk=source.pk).polls >= 1
    parents = assert_kept_as_the_vendor_made_it(source, vendor_studio, settings, legacy=True)

    extension = created(owner_client.post("/create/", {
        "mode": "extend", "track": str(parents[1].pk), "continue_at": "6", "model": "V4",
        "title": "Dusk, later", "style": "warm synth pads", "lyrics": "",
        "instrumental": "on", "engine": str(connection.pk)}))
    wait_until_final(extension, poll=True)  # extend-Instrumental with continue_clip_id

    assert extension.status == Status.SUCCESS, extension.error_message
    sent = next(iter(vendor_takes(vendor_studio, extension).values()))[1]
    assert sent["continue_clip_id"] == parents[1].engine_id, sent
    children = assert_kept_as_the_vendor_made_it(extension, vendor_studio, settings,
                                                 legacy=True)
    assert {child.parent_id for child in children} == {parents[1].pk}
    family = lineage.tree(children[0], owner)
    assert family.track == parents[1] and {c.track for c in family.children} >= set(children)
    assert_nothing_links_to(vendor_studio, owner_client, extension, api_key(owner))


def test_a_script_pointing_at_studio_gets_the_vendors_songs_as_studios_own(
        vendor_studio, studio_public, owner, client, settings):
    """The user's default engine serves their API requests: a script speaks the v1 API to
    Studio, Studio to the vendor; the script's callbacks and record-info name Studio's
    links, and extending by Studio's track id reaches the vendor as the vendor's take id."""
    connection = connect(owner, vendor_studio)
    DefaultEngine.objects.create(owner=owner, connection=connection)
    script = FaultVendor()  # the script's own callback receiver
    script.on("/hook", Answer({"code": 200}))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_key(owner)}"}
    try:
        answer = client.post("/api/v1/generate", {
            "customMode": True, "instrumental": True, "model": "V4_5", "title": "Tide",
            "style": "slow guitar", "callBackUrl": script.url + "/hook"},
            content_type="application/json", **auth).json()
        assert answer["code"] == 200, answer
        generation = Generation.objects.get(pk=answer["data"]["taskId"])
        assert generation.engine == connection.engine_name
        wait_until_final(generation)
        assert generation.status == Status.SUCCESS, generation.error_message
        assert_tracked_by_callbacks(generation)
        tracks = assert_kept_as_the_vendor_made_it(generation, vendor_studio, settings)

        # Studio calls the script back once the take is kept, just after it is final.
        wait_until(lambda: len(script.sent("/hook")) >= 3, seconds=30, every=0.2)
        stages = [r["body"]["data"]["callbackType"] for r in script.sent("/hook")]
        assert stages == ["text", "first", "complete"]
        complete = script.sent("/hook")[-1]["body"]["data"]["data"]
        record = client.get("/api/v1/generate/record-info", {"taskId": str(generation.pk)},
                            **auth).json()["data"]["response"]["sunoData"]
        for item in [*complete, *record]:
            audio = item.get("audioUrl") or item["audio_url"]  # callbacks are snake_case
            assert audio.startswith(settings.STUDIO_BASE_URL + "/api/files/")
            assert vendor_studio.url not in str(item)
        assert {item["id"] for item in record} == {str(t.pk) for t in tracks}

        answer = client.post("/api/v1/generate/extend", {
            "audioId": str(tracks[0].pk), "defaultParamFlag": True, "model": "V4_5",
            "continueAt": 10, "title": "Tide, later", "style": "slow guitar",
            "instrumental": True, "callBackUrl": script.url + "/hook"},
            content_type="application/json", **auth).json()
        assert answer["code"] == 200, answer
        extension = Generation.objects.get(pk=answer["data"]["taskId"])
        wait_until_final(extension)
        assert extension.status == Status.SUCCESS, extension.error_message
        sent = next(iter(vendor_takes(vendor_studio, extension).values()))[1]
        assert sent["audioId"] == tracks[0].engine_id != str(tracks[0].pk)
        children = assert_kept_as_the_vendor_made_it(extension, vendor_studio, settings)
        assert {child.parent_id for child in children} == {tracks[0].pk}
    finally:
        script.close()


def test_a_loop_from_the_sound_form_is_made_at_the_vendor(
        vendor_studio, studio_public, owner, owner_client, settings):
    """sounds (suno_api.md §2 row 25) through a v1 connection: the form's fields reach the
    vendor in its names, and the loop it made is kept as it made it: 8 bars at 90 BPM."""
    connection = connect(owner, vendor_studio)
    generation = created(owner_client.post("/create/", {
        "mode": "sound", "description": "a dusty boom bap beat", "loop": "on", "tempo": "90",
        "key": "Am", "model": "V5", "engine": str(connection.pk)}))
    assert generation.mode == Mode.SOUNDS and generation.engine == connection.engine_name

    wait_until_final(generation)

    assert generation.status == Status.SUCCESS, generation.error_message
    assert_tracked_by_callbacks(generation)
    sent = next(iter(vendor_takes(vendor_studio, generation).values()))[1]
    assert {k: sent.get(k) for k in ("prompt", "model", "soundLoop", "soundTempo", "soundKey",
                                     "grabLyrics")} == {
        "prompt": "a dusty boom bap beat", "model": "V5", "soundLoop": True, "soundTempo": 90,
        "soundKey": "Am", "grabLyrics": False}
    for track in assert_kept_as_the_vendor_made_it(generation, vendor_studio, settings):
        assert abs(track.duration - 8 * 4 * 60 / 90) < 0.05  # whole bars, no tail


def test_a_legacy_connection_has_no_sounds(vendor_studio, owner, owner_client):
    connection = connect(owner, vendor_studio, family="legacy")
    response = owner_client.post("/create/", {"mode": "sound", "description": "rain",
                                              "model": "V5", "engine": str(connection.pk)})
    assert response.status_code == 200
    assert "which has no sounds" in response.context["form"].errors["engine"][0]


def test_a_scripts_mashup_reaches_the_vendor_as_two_songs_on_its_file_host(
        vendor_studio, studio_public, owner, owner_client, settings):
    """mashup (suno_api.md §2 row 8) through the user's default engine: the two songs the
    script uploaded to Studio go to the vendor's file host, one link each in uploadUrlList,
    and the vendor's mashup is kept as it made it."""
    connection = connect(owner, vendor_studio)
    connection.upload_base_url = vendor_studio.url
    connection.save(update_fields=["upload_base_url"])
    DefaultEngine.objects.create(owner=owner, connection=connection)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_key(owner)}"}
    links = []
    for name, tune in (("first.wav", {"bpm": 120, "tonic": 69, "scale": MINOR_SCALE}),
                       ("second.wav", {"bpm": 90, "tonic": 64})):
        uploaded = owner_client.post("/api/file-stream-upload", {
            "file": SimpleUploadedFile(name, tune_bytes(seconds=UPLOAD_SECONDS, **tune)),
            "uploadPath": "songs"}, **auth).json()
        assert uploaded["code"] == 200, uploaded
        links.append(uploaded["data"]["downloadUrl"])
    answer = owner_client.post("/api/v1/generate/mashup", {
        "uploadUrlList": links, "customMode": True, "instrumental": True, "model": "V4_5",
        "style": "synthwave", "title": "Two as one"},
        content_type="application/json", **auth).json()
    assert answer["code"] == 200, answer
    generation = Generation.objects.get(pk=answer["data"]["taskId"])
    assert generation.mode == Mode.MASHUP and generation.engine == connection.engine_name
    assert generation.second_upload is not None

    wait_until_final(generation)

    assert generation.status == Status.SUCCESS, generation.error_message
    sent = next(iter(vendor_takes(vendor_studio, generation).values()))[1]
    first, second = sent["uploadUrlList"]
    assert first != second
    assert all(url.startswith(vendor_studio.url + "/api/files/") for url in (first, second))
    assert (sent["title"], sent["style"], sent["customMode"]) == ("Two as one", "synthwave", True)
    assert_kept_as_the_vendor_made_it(generation, vendor_studio, settings)
    assert_nothing_links_to(vendor_studio, owner_client, generation, api_key(owner))
