"""POST /api/v1/style/generate answers at once with a richer style that the local engine
reads back as what it says: an exact tempo and key, the named instruments."""
import pytest

from studio.engines.local.style import parse_bpm, parse_key, parse_style


def boost(api, content):
    return api.post("/api/v1/style/generate", {"content": content}).json()


@pytest.mark.parametrize("short", ["lofi", "sad piano", "rock", "dreamy synthwave"])
def test_a_short_style_grows_into_one_the_engine_renders_as_said(api, short):
    answer = boost(api, short)
    assert answer["code"] == 200
    data = answer["data"]
    assert data["successFlag"] == "1" and data["param"] == short and data["taskId"]
    boosted = data["result"]
    assert boosted.startswith(short) and len(boosted) > 2 * len(short)
    assert len(boosted) <= 200  # fits every model's style field
    style = parse_style(boosted, seed=1234)
    other_seed = parse_style(boosted, seed=99)
    # The boosted style pins what the short one left to the seed.
    assert style.tempo_exact and style.key_exact
    assert round(style.tempo) == round(parse_bpm(boosted)) == round(other_seed.tempo)
    assert (style.tonic, style.mode) == (other_seed.tonic, other_seed.mode)
    assert parse_key(boosted) is not None
    assert not parse_style(short, seed=1234).tempo_exact


def test_boosting_changes_what_would_be_rendered(api):
    short = "sad piano"
    boosted = boost(api, short)["data"]["result"]
    tempos = {round(parse_style(short, seed=s).tempo) for s in range(6)}
    assert len(tempos) > 1  # the short style leaves the tempo to each seed
    assert {round(parse_style(boosted, seed=s).tempo) for s in range(6)} == \
        {round(parse_bpm(boosted))}


@pytest.mark.parametrize("body, code, words", [
    ({}, 422, "content is required"),
    ({"content": ""}, 422, "content is required"),
    ({"content": ["rock"]}, 422, "content must be text"),
    ({"content": "x" * 1001}, 413, "1,001 characters; the limit is 1,000"),
])
def test_bad_requests_get_the_seeds_codes(api, body, code, words):
    answer = api.post("/api/v1/style/generate", body).json()
    assert answer["code"] == code and words in answer["msg"]


def test_needs_a_key_and_a_post(anonymous_api, api, db):
    assert anonymous_api.post("/api/v1/style/generate", {"content": "rock"}).json()["code"] \
        == 401
    assert api.get("/api/v1/style/generate").json()["code"] == 404
