"""A take made from another one says what it is beside its number: an extension shares its
song's title, and the library and the player's queue showed two "Harbour · take 1"."""
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from studio.generation.models import Generation
from tests.factories import make_track


def test_the_library_and_the_player_tell_an_extension_from_its_song(owner_client, owner):
    song = make_track(owner, title="Harbour")
    extension = make_track(owner, title="Harbour", parent=song, generation=Generation.objects.create(
        owner=owner, params={"prompt": ""}, mode="extend", status="SUCCESS"))
    cover = make_track(owner, title="Harbour", variation=1, parent=song, generation=Generation.objects.create(
        owner=owner, params={"prompt": ""}, mode="upload_cover", status="SUCCESS"))
    html = owner_client.get("/").content.decode()
    cards = {pk: re.search(rf'data-play="/tracks/{pk}/audio.mp3"[^>]*data-take="([^"]+)"', html).group(1)
             for pk in (song.pk, extension.pk, cover.pk)}
    assert cards == {song.pk: "take 1", extension.pk: "extension · take 1", cover.pk: "cover · take 2"}
    for words in ("· take 1<", "· extension · take 1<", "· cover · take 2<"):
        assert words in html
    # the grid's own query says it: no query per card
    with CaptureQueriesContext(connection) as three:
        owner_client.get("/")
    for _ in range(3):
        make_track(owner, title="Harbour", parent=song, generation=Generation.objects.create(
            owner=owner, params={"prompt": ""}, mode="extend", status="SUCCESS"))
    with CaptureQueriesContext(connection) as six:
        assert owner_client.get("/").content.decode().count("· extension · take 1<") == 4
    assert len(six) == len(three)
    page = owner_client.get(f"/tracks/{extension.pk}/").content.decode()
    assert 'data-take="extension · take 1"' in page
