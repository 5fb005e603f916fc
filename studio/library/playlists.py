"""Playlists: ordered, renamable, reorderable lists of the user's tracks, played as a queue
(the page lists its tracks with the player's attributes) and downloaded as one ZIP.

A track is in a playlist at most once; positions only grow (a new entry goes last), moves swap
two neighbours' positions. Tracks in the trash are hidden from every playlist and come back
with a restore.
"""
from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import downloads, sharing
from .models import Playlist, PlaylistEntry, ShareLink, Track
from .views import back


class PlaylistForm(forms.ModelForm):
    title = forms.CharField(label="Playlist name", max_length=200, strip=True,
                            error_messages={"required": "Give the playlist a name.",
                                            "max_length": "A name is at most 200 characters "
                                                          "(this one is %(show_value)d)."})

    class Meta:
        model = Playlist
        fields = ["title"]

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())


def _owned(request, pk) -> Playlist:
    return get_object_or_404(Playlist.objects.owned_by(request.user), pk=pk)


def _touch(playlist: Playlist) -> None:
    playlist.updated_at = timezone.now()
    playlist.save(update_fields=["updated_at"])


def add(playlist: Playlist, track: Track) -> bool:
    """Append `track` unless it is there already; True when it was added."""
    with transaction.atomic():
        # One add at a time per playlist, so two never take the same last position.
        Playlist.objects.select_for_update().filter(pk=playlist.pk).first()
        if playlist.entries.filter(track=track).exists():
            return False
        last = playlist.entries.aggregate(last=Max("position"))["last"]
        PlaylistEntry.objects.create(playlist=playlist, track=track,
                                     position=0 if last is None else last + 1)
    _touch(playlist)
    return True


@require_http_methods(["GET", "POST"])
def index(request):
    form = PlaylistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        playlist = form.save(commit=False)
        playlist.owner = request.user
        playlist.save()
        return redirect("library:playlist", playlist.pk)
    # Counted as each playlist's page lists them: without tracks in the trash.
    playlists = Playlist.objects.owned_by(request.user).annotate(size=Count(
        "entries", filter=Q(entries__track__trashed_at__isnull=True)))
    return render(request, "library/playlists.html", {"playlists": playlists, "form": form},
                  status=422 if form.errors else 200)


def _page(request, playlist, form=None, status=200):
    share = ShareLink.objects.filter(playlist=playlist).first()
    return render(request, "library/playlist.html", {
        "playlist": playlist, "entries": list(playlist.kept_entries()),
        "form": form or PlaylistForm(instance=playlist),
        "share_url": sharing.absolute_url(request, share) if share else "",
    }, status=status)


@require_safe
def detail(request, pk):
    return _page(request, _owned(request, pk))


@require_POST
def rename(request, pk):
    playlist = _owned(request, pk)
    form = PlaylistForm(request.POST, instance=playlist)
    if not form.is_valid():
        playlist.refresh_from_db()
        return _page(request, playlist, form, status=422)
    playlist = form.save(commit=False)
    playlist.updated_at = timezone.now()
    playlist.save(update_fields=["title", "updated_at"])
    return redirect("library:playlist", playlist.pk)


@require_POST
def delete(request, pk):
    playlist = _owned(request, pk)
    playlist.delete()  # its entries and share link; the tracks stay in the library
    messages.success(request, f"Deleted the playlist “{playlist.title}”. Its tracks stay in "
                              "your library.")
    return redirect("library:playlists")


@require_POST
def move(request, pk, track_pk):
    """Swap a track with its neighbour above (`direction=up`) or below (`down`), among the
    tracks the playlist shows."""
    playlist = _owned(request, pk)
    with transaction.atomic():
        # Every entry, trashed tracks' too, so that their places survive a restore.
        entries = list(playlist.entries.select_related("track").select_for_update()
                       .order_by("position", "id"))
        shown = [i for i, e in enumerate(entries) if e.track.trashed_at is None]
        at = next((n for n, i in enumerate(shown) if entries[i].track_id == track_pk), None)
        if at is None:
            raise Http404("not in this playlist")
        to = at - 1 if request.POST.get("direction") == "up" else at + 1
        if 0 <= to < len(shown):
            i, j = shown[at], shown[to]
            entries[i], entries[j] = entries[j], entries[i]
            # Numbered afresh: two entries that ever shared a position still move.
            for position, entry in enumerate(entries):
                entry.position = position
            PlaylistEntry.objects.bulk_update(entries, ["position"])
    _touch(playlist)
    return redirect(back(request, reverse("library:playlist", args=[playlist.pk])))


@require_POST
def remove(request, pk, track_pk):
    playlist = _owned(request, pk)
    deleted, _ = playlist.entries.filter(track_id=track_pk).delete()
    if not deleted:
        raise Http404("not in this playlist")
    _touch(playlist)
    return redirect(back(request, reverse("library:playlist", args=[playlist.pk])))


@require_http_methods(["GET", "POST"])
def add_track(request, pk):
    """Add a track to one of the user's playlists, or to a new one named here."""
    track = get_object_or_404(Track.objects.owned_by(request.user).kept(), pk=pk)
    playlists = Playlist.objects.owned_by(request.user)
    form = PlaylistForm()
    context = {"track": track, "playlists": playlists, "form": form,
               "next": back(request, "")}
    if request.method == "POST":
        if chosen := request.POST.get("playlist"):
            playlist = get_object_or_404(playlists, pk=_uuid_or_404(chosen))
        else:
            form = PlaylistForm(request.POST)
            if not form.is_valid():
                return render(request, "library/add_to_playlist.html",
                              {**context, "form": form}, status=422)
            playlist = form.save(commit=False)
            playlist.owner = request.user
            playlist.save()
        title = track.title or "Untitled"
        if add(playlist, track):
            messages.success(request, f"Added “{title}” to “{playlist.title}”.")
        else:
            messages.info(request, f"“{title}” is already in “{playlist.title}”.")
        return redirect(back(request, reverse("library:playlist", args=[playlist.pk])))
    return render(request, "library/add_to_playlist.html", context)


def _uuid_or_404(value: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404("no such playlist") from None


@require_safe
def download(request, pk):
    """The playlist's tagged MP3s in order, as a ZIP streamed while it is written."""
    playlist = _owned(request, pk)
    tracks = [entry.track for entry in playlist.kept_entries()]
    response = StreamingHttpResponse(downloads.stream_zip(downloads.numbered(tracks),
                                                          request.user),
                                     content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(
        True, downloads.safe_filename(playlist.title, "zip", fallback="Playlist"))
    return response
