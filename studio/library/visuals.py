"""The track page's pictures of a song: its music video (ask, watch the progress, then play
or download it) and new cover art (ask, then pick one of two images). The work is done by
worker jobs (videos.py, cover_art.py); these views ask for it and show it."""
from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from studio import media
from studio.web.ranges import file_gone_is_404

from . import cover_art, downloads, videos
from .models import CoverArt, MusicVideo, Track, VideoStatus


def _kept_track(request, pk) -> Track:
    return get_object_or_404(Track.objects.owned_by(request.user).kept(), pk=pk)


def _track_page(track: Track, anchor: str):
    return redirect(reverse("library:track", args=[track.pk]) + anchor)


def video_context(track: Track) -> dict:
    return {"track": track, **videos.shown(track)}


def cover_art_context(track: Track) -> dict:
    return {"track": track, "new_covers": cover_art.offered(track)}


# Music video -------------------------------------------------------------------------------

@require_POST
def make_video(request, pk):
    """Ask for the track's video (from its page or a card's menu); the page shows progress."""
    track = _kept_track(request, pk)
    if videos.being_made(track) is None:
        videos.request(request.user, track)
    return _track_page(track, "#video")


@require_safe
def video_block(request, pk):
    """The track page's video section alone: polled every 2 s while the video is made."""
    track = _kept_track(request, pk)
    return render(request, "library/track_video.html", video_context(track))


def _finished_video(request, pk, video_pk) -> MusicVideo:
    return get_object_or_404(MusicVideo.objects.owned_by(request.user).select_related("track"),
                             pk=video_pk, track_id=pk, status=VideoStatus.SUCCESS)


@require_safe
@file_gone_is_404
def video_file(request, pk, video_pk):
    """The video to play in the page (every seek is a Range request)."""
    made = _finished_video(request, pk, video_pk)
    return media.serve(request, made.track.audio.storage, made.file_name, content_type="video/mp4")


@require_safe
@file_gone_is_404
def video_download(request, pk, video_pk):
    made = _finished_video(request, pk, video_pk)
    return media.serve(request, made.track.audio.storage, made.file_name, content_type="video/mp4",
                       download_name=downloads.download_name(made.track, "mp4"))


# New cover art -----------------------------------------------------------------------------

@require_POST
def new_cover_art(request, pk):
    """Ask for two new covers to choose from (from the page or a card's menu)."""
    track = _kept_track(request, pk)
    cover_art.request(request.user, track)
    return _track_page(track, "#new-covers")


@require_safe
def cover_art_block(request, pk):
    """The new covers alone: polled every 2 s while they are drawn."""
    track = _kept_track(request, pk)
    return render(request, "library/track_new_covers.html", cover_art_context(track))


def _owned_task(request, pk, task_pk) -> CoverArt:
    return get_object_or_404(CoverArt.objects.owned_by(request.user).select_related("track"),
                             pk=task_pk, track_id=pk)


@require_safe
@file_gone_is_404
def cover_art_image(request, pk, task_pk, number):
    task = _owned_task(request, pk, task_pk)
    try:
        name = cover_art.image_name(task, number)
    except cover_art.NotOffered:
        raise Http404("no such image") from None
    return media.serve(request, task.track.audio.storage, name, content_type="image/jpeg",
                       max_age=86400)


@require_POST
def choose_cover_art(request, pk, task_pk):
    task = _owned_task(request, pk, task_pk)
    if task.track.trashed_at is not None:
        raise Http404("no such track")
    try:
        cover_art.choose(task, int(request.POST.get("choice", "")))
    except (ValueError, cover_art.NotOffered):
        messages.error(request, "That cover is not one of the new covers offered; pick one "
                                "of the two images.")
        return _track_page(task.track, "#new-covers")
    messages.success(request, "New cover in place.")
    return _track_page(task.track, "")
