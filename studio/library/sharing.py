"""Private share links: a public page for one track or one playlist, no account needed.

A link's token is its row's random id (122 random bits) followed by an HMAC of that id under
the secret key: nothing secret is stored, the owner can see the link again on the track's or
playlist's page, and the HMAC is compared in constant time. Revoking deletes the row, so the
link is a 404 from then on; a new link has a new id. Everything under /s/<token>/ answers
404 for a token that is wrong, revoked, or names a track in the trash, and shows only what
the link names: no other track of the owner, nothing about the owner.
"""
from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.http import require_POST, require_safe

from studio import media
from studio.web.ranges import file_gone_is_404

from . import thumbnails
from .models import Playlist, ShareLink, Track

_SALT = "studio.library.share"
_MAC_LENGTH = 32


def _mac(link_id: uuid.UUID) -> str:
    return salted_hmac(_SALT, link_id.hex, algorithm="sha256").hexdigest()[:_MAC_LENGTH]


def token(link: ShareLink) -> str:
    return link.id.hex + _mac(link.id)


def url(link: ShareLink) -> str:
    return reverse("library:shared", args=[token(link)])


def absolute_url(request, link: ShareLink) -> str:
    """The address to give out: under STUDIO_BASE_URL when set (behind a proxy the request's
    host may be an internal one), else the host the owner is using."""
    if base := settings.STUDIO_BASE_URL:
        return base.rstrip("/") + url(link)
    return request.build_absolute_uri(url(link))


def find(token_: str) -> ShareLink:
    """The live link a token names, or a 404."""
    if len(token_) != 32 + _MAC_LENGTH:
        raise Http404("no such link")
    try:
        link_id = uuid.UUID(hex=token_[:32])
    except ValueError:
        raise Http404("no such link") from None
    if not constant_time_compare(_mac(link_id), token_[32:]):
        raise Http404("no such link")
    link = (ShareLink.objects.select_related("track", "playlist").filter(pk=link_id).first())
    if link is None or (link.track_id and link.track.trashed_at is not None):
        raise Http404("no such link")
    return link


def shared_tracks(link: ShareLink) -> list[Track]:
    """What the link shows, in order: its track, or its playlist's tracks not in the trash."""
    if link.track_id:
        return [link.track]
    return [entry.track for entry in link.playlist.kept_entries()]


def _shared_track(link: ShareLink, track_id) -> Track:
    for track in shared_tracks(link):
        if track.pk == track_id:
            return track
    raise Http404("not in this link")


def _no_index(response):
    # A private link: kept out of search engines and shared caches.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store" if "Cache-Control" not in response \
        else response["Cache-Control"]
    return response


@login_not_required
@require_safe
def page(request, token):
    link = find(token)
    tracks = shared_tracks(link)
    return _no_index(render(request, "library/shared.html", {
        "link": link, "token": token, "playlist": link.playlist, "tracks": tracks}))


@login_not_required
@require_safe
@file_gone_is_404
def audio(request, token, pk):
    track = _shared_track(find(token), pk)
    return _no_index(media.serve_field(request, track.audio, content_type="audio/mpeg"))


@login_not_required
@require_safe
@file_gone_is_404
def cover(request, token, pk, size):
    track = _shared_track(find(token), pk)
    if not track.cover or size not in thumbnails.SIZES:
        raise Http404("no cover")
    name = thumbnails.thumbnail(track, size)
    return _no_index(media.serve(request, track.cover.storage, name,
                                 content_type="image/webp", max_age=3600))


@login_not_required
@require_safe
def player_info(request, token, pk):
    """The footer player's peaks and lyrics for a track the link shows (as the owner's
    library/player_info.html, through the token)."""
    track = _shared_track(find(token), pk)
    return _no_index(render(request, "library/player_info.html",
                            {"track": track, "peaks_json": json.dumps(track.peaks or [])}))


# The owner's side: make or revoke the link of a track or of a playlist.

def _owned(request, kind: str, pk):
    if kind == "track":
        return get_object_or_404(Track.objects.owned_by(request.user).kept(), pk=pk)
    return get_object_or_404(Playlist.objects.owned_by(request.user), pk=pk)


def _page_of(kind: str, thing) -> str:
    name = "library:track" if kind == "track" else "library:playlist"
    return reverse(name, args=[thing.pk]) + "#share"


@require_POST
def create(request, kind, pk):
    thing = _owned(request, kind, pk)
    ShareLink.objects.get_or_create(owner=request.user, **{kind: thing})
    return redirect(_page_of(kind, thing))


@require_POST
def revoke(request, kind, pk):
    thing = _owned(request, kind, pk)
    ShareLink.objects.filter(owner=request.user, **{kind: thing}).delete()
    return redirect(_page_of(kind, thing))
