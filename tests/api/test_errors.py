"""Whatever goes wrong, an API client gets its dialect's envelope, never an HTML page."""
from studio.api import v1


def test_malformed_json_is_a_422_envelope(api):
    body = api.post("/api/v1/generate", "{not json").json()
    assert body["code"] == 422 and "JSON" in body["msg"] and body["data"] is None


def test_a_json_array_is_a_422_envelope(api):
    assert api.post("/api/v1/generate", "[1, 2]").json()["code"] == 422


def test_malformed_json_is_a_legacy_400(api):
    body = api.post("/suno/music/generate-music", "{oops").json()
    assert body["code"] == 400 and body["task_id"] is None


def test_unknown_path_under_api_is_a_404_envelope(api):
    response = api.get("/api/v1/generate/lyrics")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == 404


def test_unknown_legacy_path_is_a_legacy_404(api):
    body = api.post("/suno/music/concat", {}).json()
    assert body["code"] == 404 and body["task_id"] is None


def test_wrong_method_is_a_404_envelope_naming_the_method(api):
    body = api.get("/api/v1/generate").json()
    assert body["code"] == 404 and "GET" in body["msg"] and "POST" in body["msg"]


def test_an_unexpected_exception_is_a_500_envelope(api, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(v1.intake, "create", explode)
    response = api.post("/api/v1/generate", {"prompt": "x"})
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == 500 and "boom" not in body["msg"]


def test_openapi_document_is_public_json(client):
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/generate" in document["paths"]
    assert "/suno/music/extend-Instrumental" in document["paths"]


def test_the_lower_cased_legacy_extend_path_is_served_too(api):
    body = api.post("/suno/music/extend-instrumental", {"tags": "house"}).json()
    assert body["code"] == 400 and "continue_clip_id" in body["message"]
