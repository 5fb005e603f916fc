"""A browser's mistakes — a mangled id, a forged cursor, a huge Range, a file that is gone —
are answered with a 4xx page, never a server error."""
import base64
import json
import os

import pytest

from studio.generation.models import Generation, Status
from tests.factories import make_track

pytestmark = pytest.mark.django_db

NOT_AN_ID = ["nope", "z" * 32, "1" * 5000, "00000000-0000-0000-0000-00000000000g"]


@pytest.mark.parametrize("value", NOT_AN_ID)
@pytest.mark.parametrize("name", ["again", "track"])
def test_create_page_with_a_mangled_id_is_a_404(owner_client, name, value):
    assert owner_client.get("/create/", {name: value, "mode": "extend"}).status_code == 404


@pytest.mark.parametrize("value", NOT_AN_ID)
@pytest.mark.parametrize("mode", ["cover", "extend"])
def test_create_form_posted_with_a_mangled_id_is_refused_in_words(owner_client, mode, value):
    response = owner_client.post("/create/", {"mode": mode, "track": value, "upload": value,
                                             "style": "folk", "title": "x", "prompt": "x"})
    assert response.status_code in (200, 400, 404, 422)


@pytest.mark.parametrize("value", NOT_AN_ID)
def test_create_page_with_a_mangled_upload_is_not_a_server_error(owner_client, value):
    assert owner_client.get("/create/", {"mode": "cover", "upload": value}).status_code in (
        200, 404)


@pytest.mark.parametrize("watch", [",".join(NOT_AN_ID), "z" * 32, "%" * 32, "1" * 5000])
def test_running_strip_ignores_a_mangled_watch_list(owner_client, owner, watch):
    Generation.objects.create(owner=owner, status=Status.PENDING, params={"title": "Night"})
    response = owner_client.get("/running/", {"watch": watch}, HTTP_HX_REQUEST="true",
                                HTTP_HX_TARGET="running")
    assert response.status_code == 200
    assert "Night" in response.content.decode()


def _cursor(payload) -> str:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("sort", ["newest", "title", "longest"])
@pytest.mark.parametrize("cursor", [
    _cursor(["2024-01-01T00:00:00", "not-a-uuid"]),
    _cursor([{"a": 1}, "00000000-0000-0000-0000-000000000000"]),
    _cursor([[1, 2], 3]),
    _cursor(["1e999", "00000000-0000-0000-0000-000000000000"]),
    _cursor([1e308 * 10, "00000000-0000-0000-0000-000000000000"]),
    _cursor(["NaN", "00000000-0000-0000-0000-000000000000"]),
    _cursor(["x" * 10000, "00000000-0000-0000-0000-000000000000"]),
    _cursor(["\ud800", "00000000-0000-0000-0000-000000000000"]),
    _cursor(["a\x00b", "00000000-0000-0000-0000-000000000000"]),
    _cursor([1, 2, 3]),
    _cursor(b"[" * 5000),
    _cursor(b"\xff\xfe"),
    _cursor(["9999-12-31T23:59:59.999999-23:59", "00000000-0000-0000-0000-000000000000"]),
    _cursor([-1e300, "00000000-0000-0000-0000-000000000000"]),
    "!!!", "=" * 3, "a", "%00",
])
def test_forged_library_cursor_starts_over(owner_client, owner, sort, cursor):
    make_track(owner, title="Lighthouse")
    response = owner_client.get("/", {"cursor": cursor, "sort": sort})
    assert response.status_code == 200
    assert "Lighthouse" in response.content.decode()


def test_range_with_five_thousand_digits_gets_the_whole_file(owner_client, owner):
    track = make_track(owner)
    for header in ("bytes=" + "9" * 5000 + "-", "bytes=-" + "9" * 5000,
                   "bytes=0-" + "9" * 5000):
        response = owner_client.get(f"/tracks/{track.pk}/audio.mp3", HTTP_RANGE=header)
        assert response.status_code in (200, 206, 416), header


@pytest.mark.parametrize("what", ["audio.mp3", "cover", "cover/256.webp", "download.mp3",
                                  "download.wav"])
def test_a_track_whose_files_are_gone_is_a_404(owner_client, owner, what):
    track = make_track(owner)
    os.remove(track.audio.path)
    os.remove(track.cover.path)
    assert owner_client.get(f"/tracks/{track.pk}/{what}").status_code == 404


SURROGATE_TITLE = {"title": "Night\ud800Drive", "prompt": "x\udfff", "style": "\ud800"}


@pytest.mark.parametrize("status", [Status.PENDING, Status.GENERATE_AUDIO_FAILED])
def test_a_lone_surrogate_stored_in_a_title_still_renders_the_library(owner_client, owner, storable_surrogates,
                                                                      status):
    from django.utils import timezone

    Generation.objects.create(owner=owner, status=status, params=SURROGATE_TITLE,
                              finished_at=timezone.now())
    response = owner_client.get("/")
    assert response.status_code == 200
    assert "Night\ufffdDrive" in response.content.decode()


def test_a_lone_surrogate_stored_in_a_title_still_renders_its_page(owner_client, owner, storable_surrogates):
    generation = Generation.objects.create(owner=owner, status=Status.GENERATE_AUDIO_FAILED,
                                           params=SURROGATE_TITLE)
    assert owner_client.get(f"/generations/{generation.pk}/").status_code == 200
    assert owner_client.get("/create/", {"again": generation.pk.hex}).status_code == 200
