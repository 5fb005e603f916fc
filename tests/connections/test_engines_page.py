"""The Engines page: a user adds a connection (its key encrypted, never shown again), tests
it against the vendor's credit endpoint, removes it; the create form offers it and refuses
what it cannot serve; the operator's connections come from the environment."""
from django.db import connection as db
from django.test import Client

from studio.connections import operator
from studio.connections.models import Connection, DefaultEngine
from studio.generation.models import Generation
from tests.factories import make_track
from tests.vendor import Answer

KEY = "sk-very-secret-vendor-key"


def add(client, vendor, family="kie", name="my kie"):
    return client.post("/engines/", {"name": name, "family": family, "base_url": vendor.url,
                                     "api_key": KEY})


def test_an_added_key_is_encrypted_at_rest_and_never_shown_again(owner_client, vendor):
    response = add(owner_client, vendor)
    assert response.status_code == 302
    saved = Connection.objects.get()
    with db.cursor() as cursor:
        cursor.execute("SELECT api_key_encrypted FROM connections_connection")
        [(stored,)] = cursor.fetchall()
    assert KEY not in stored and saved.vendor().api_key == KEY
    page = owner_client.get("/engines/").content.decode()
    assert "my kie" in page and KEY not in page and stored not in page


def test_a_test_shows_the_vendors_balance(owner_client, vendor):
    vendor.on("/api/v1/chat/credit", Answer({"code": 200, "msg": "success", "data": 777}))
    add(owner_client, vendor)
    saved = Connection.objects.get()
    page = owner_client.post(f"/engines/{saved.pk}/test", follow=True).content.decode()
    assert "777 credits left" in page
    assert vendor.sent("/api/v1/chat/credit")[0]["headers"]["Authorization"] == f"Bearer {KEY}"


def test_a_wrong_key_is_shown_as_such(owner_client, vendor):
    vendor.on("/api/v1/chat/credit", Answer({"code": 401, "msg": "invalid key"}))
    add(owner_client, vendor)
    saved = Connection.objects.get()
    page = owner_client.post(f"/engines/{saved.pk}/test", follow=True).content.decode()
    assert "refused the API key" in page


def test_a_private_address_is_refused_unless_allowed(owner_client, settings):
    settings.STUDIO_OUTBOUND_ALLOW = []
    response = owner_client.post("/engines/", {"name": "x", "family": "kie", "api_key": KEY,
                                               "base_url": "http://127.0.0.1:8000"})
    assert response.status_code == 422 and not Connection.objects.exists()
    assert "private or reserved" in response.content.decode()


def test_strangers_cannot_use_test_or_remove_someone_elses_connection(
        owner, owner_client, stranger, vendor):
    add(owner_client, vendor)
    saved = Connection.objects.get()
    assert saved.owner == owner
    stranger_client = Client()
    stranger_client.force_login(stranger)
    assert stranger_client.post(f"/engines/{saved.pk}/test").status_code == 404
    assert stranger_client.post(f"/engines/{saved.pk}/remove").status_code == 404
    assert stranger_client.post("/create/", {
        "mode": "simple", "idea": "a song", "model": "V4_5", "engine": str(saved.pk)}
    ).status_code == 200 and not Generation.objects.exists()
    assert "my kie" not in stranger_client.get("/create/").content.decode()


def test_a_removed_connection_is_no_longer_offered(owner_client, vendor):
    add(owner_client, vendor)
    saved = Connection.objects.get()
    offered = "my kie (kie.ai family)"
    assert offered in owner_client.get("/create/").content.decode()
    owner_client.post(f"/engines/{saved.pk}/remove")
    assert offered not in owner_client.get("/create/").content.decode()


def test_the_create_form_refuses_what_a_legacy_connection_cannot_make(owner, owner_client,
                                                                      vendor):
    add(owner_client, vendor, family="legacy", name="old api")
    saved = Connection.objects.get()
    track = make_track(owner)
    response = owner_client.post("/create/", {
        "mode": "cover", "track": str(track.pk), "idea": "as a waltz", "model": "V4",
        "engine": str(saved.pk)})
    assert response.status_code == 200 and not Generation.objects.exclude(
        pk=track.generation_id).exists()
    assert "has no covers" in response.content.decode()


def test_a_vendor_cannot_extend_a_local_take(owner, owner_client, vendor):
    add(owner_client, vendor)
    saved = Connection.objects.get()
    track = make_track(owner, duration=60.0)
    response = owner_client.post("/create/", {
        "mode": "extend", "track": str(track.pk), "continue_at": "20", "model": "V4_5",
        "engine": str(saved.pk)})
    assert response.status_code == 200
    assert "cannot extend it" in response.content.decode()


def test_the_default_engine_serves_the_users_api_requests_and_says_what_it_cannot(
        owner, owner_client, vendor, client):
    from studio.api.models import ApiKey

    add(owner_client, vendor, family="legacy", name="old api")
    saved = Connection.objects.get()
    owner_client.post("/engines/default", {"engine": str(saved.pk)})
    assert DefaultEngine.objects.get(owner=owner).connection == saved
    raw = ApiKey.issue(owner, "script")[1]
    answer = client.post("/api/v1/generate/add-instrumental", {
        "uploadUrl": "https://example.com/x.mp3", "title": "t", "tags": "piano",
        "negativeTags": "metal"}, content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"}).json()
    # Refused before any download or job: the legacy API has no add-instrumental.
    assert answer["code"] == 422 and "has no adding an instrumental" in answer["msg"]


def test_a_removed_default_connection_leaves_the_api_to_the_local_engine(
        owner, owner_client, vendor, client):
    from django.utils import timezone

    from studio.api.models import ApiKey

    add(owner_client, vendor)
    saved = Connection.objects.get()
    owner_client.post("/engines/default", {"engine": str(saved.pk)})
    raw = ApiKey.issue(owner, "script")[1]

    def create():
        answer = client.post("/api/v1/generate", {
            "customMode": False, "instrumental": False, "model": "V4_5",
            "prompt": "a song about the harbour"}, content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"}).json()
        assert answer["code"] == 200, answer
        return Generation.objects.get(pk=answer["data"]["taskId"])

    assert create().engine == saved.engine_name  # read with the key, in the same query
    Connection.objects.filter(pk=saved.pk).update(removed_at=timezone.now())
    assert DefaultEngine.objects.get(owner=owner).connection_id == saved.pk
    assert create().engine == "local"


def test_operator_connections_come_from_the_environment_for_everyone(settings, owner,
                                                                     stranger_client):
    settings.STUDIO_CONNECTIONS = [{"name": "house", "url": "https://api.kie.ai",
                                    "key": KEY, "vendor": "kie", "upload_url": ""}]
    operator.sync(force=True)
    house = Connection.objects.get(operator_name="house")
    assert house.owner is None and house.vendor().api_key == KEY
    assert "house (kie.ai family)" in stranger_client.get("/create/").content.decode()
    settings.STUDIO_CONNECTIONS = []
    operator.sync(force=True)
    assert Connection.objects.get(operator_name="house").removed_at is not None


def test_a_track_says_which_engine_and_model_made_it(owner, owner_client, vendor):
    add(owner_client, vendor)
    saved = Connection.objects.get()
    local = make_track(owner)
    vendor_made = make_track(owner, title="Far", model_name="chirp-auk")
    Generation.objects.filter(pk=vendor_made.generation_id).update(
        engine=saved.engine_name, model="V4_5PLUS")
    assert "Local ·" in owner_client.get(f"/tracks/{local.pk}/").content.decode()
    page = owner_client.get(f"/tracks/{vendor_made.pk}/").content.decode()
    # the model by the name creators know it by (issue 14, defect 8), not the vendor's code
    assert "my kie (kie.ai family) · V4.5+ ·" in page and "chirp-auk" not in page
