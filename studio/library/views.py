import io
import json
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from studio import media
from studio.connections import derived as vendor_timing
from studio.engines.upstream import VendorError
from studio.generation.models import FAILURES, Generation
from studio.web import ids, signedin
from studio.web.partials import chosen_partial, render_partial
from studio.web.ranges import file_gone_is_404

from . import covers, downloads, lineage, sharing, stems, stitch, thumbnails, timed_lyrics, trash, visuals
from .browse import BrowseForm, paginate
from .models import TRASH_DAYS, ShareLink, Track

FAILURES_SHOWN_FOR = timedelta(hours=24)
YEAR = 365 * 24 * 3600
# The library's live blocks, each named like the element it fills (see studio.web.partials).
INDEX_PARTIALS = ("results", "more")
TRACK_PARTIALS = ("track-title",)


def _owned_track(request, pk) -> Track:
    """One of the user's tracks, in the trash or not: its files (audio, cover, downloads)."""
    return get_object_or_404(Track.objects.owned_by(request.user), pk=pk)


def _kept_track(request, pk) -> Track:
    """One of the user's tracks that is not in the trash: what its page and actions need."""
    return get_object_or_404(Track.objects.owned_by(request.user).kept(), pk=pk)


def back(request, fallback: str) -> str:
    """Where a form posted from a card returns: its own page (a `next` field naming a path
    on this site), else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def _running_context(request) -> dict:
    """Generations still being made, those that finished since the last poll, recent failures."""
    mine = Generation.objects.owned_by(request.user)
    takes = Prefetch("tracks", queryset=Track.objects.for_grid().order_by("variation"))
    # Newest first by an expression no index supplies: SQLite would otherwise walk the
    # owner's every generation by date to find the few still running (or recently failed),
    # instead of reading those few from the (owner, status) index and sorting them.
    newest = Coalesce("created_at", "created_at").desc()
    running = list(mine.running().order_by(newest).prefetch_related(takes)[:20])
    running_ids = {g.pk for g in running}
    watched = ids.parse_list(request.GET.get("watch", "").split(",")[:20], limit=20)
    finished_ids = [w for w in watched if w not in running_ids]
    finished = list(mine.filter(pk__in=finished_ids).prefetch_related(takes)) if finished_ids \
        else []
    dismissed = request.session.get("dismissed_failures", [])
    failed = list(mine.filter(status__in=FAILURES,
                              finished_at__gte=timezone.now() - FAILURES_SHOWN_FOR)
                  .exclude(pk__in=[*dismissed, *finished_ids]).order_by(newest)[:5])
    return {"running": running, "finished": finished, "failed": failed,
            "poll": {"watch": ",".join(sorted(pk.hex for pk in running_ids))}}


@require_safe
def index(request):
    form = BrowseForm(request.GET)
    form.is_valid()
    tracks = form.filter(Track.objects.owned_by(request.user).kept().for_grid())
    page = paginate(tracks, form.order, request.GET.get("cursor", ""))
    context = {"form": form, "page": page, "tracks": page.items}
    if not chosen_partial(request, INDEX_PARTIALS):  # the whole page, with the running strip
        context.update(_running_context(request))
    return render_partial(request, "library/index.html", context, partials=INDEX_PARTIALS)


@require_safe
def running(request):
    """The running strip on its own: polled every 2 s while something runs."""
    context = _running_context(request)
    response = render(request, "library/running.html", context)
    if context["finished"]:
        # Their takes belong in the grid now: the results region refreshes itself.
        response["HX-Trigger"] = "library-changed"
    return response


@require_POST
def dismiss(request, pk):
    """Hide a failed generation from the library's top; it stays on its own page."""
    generation = get_object_or_404(Generation.objects.owned_by(request.user), pk=pk)
    dismissed = request.session.get("dismissed_failures", [])
    request.session["dismissed_failures"] = [*dismissed[-49:], str(generation.pk)]
    if request.htmx:
        return HttpResponse("")
    return redirect("library:index")


def _track_page(request, track: Track) -> dict:
    family = lineage.tree(track, request.user)
    share = ShareLink.objects.filter(track=track).first()
    extension = track.parent_id is not None and track.continue_at is not None
    whole = extension and stitch.holds_whole_song(lineage.ancestors(track, request.user) + [track])
    return {"track": track, "family": family, "family_size": lineage.size(family),
            "share_url": sharing.absolute_url(request, share) if share else "",
            "extend_at": round(track.duration / 2, 1),
            "stitchable": extension and not whole, "holds_whole_song": whole,
            "cover_version": thumbnails.version(track) or "0",
            "cover_choices": range(1, covers.CHOICES + 1), "cover_form": covers.UploadForm(),
            "timed_lines": timed_lyrics.as_shown(track),
            "timing_pending": vendor_timing.timing_pending(track), **_stems_context(track),
            **visuals.video_context(track), **visuals.cover_art_context(track)}


def _stems_context(track: Track) -> dict:
    return {"stems_task": stems.latest(track), "stems_refusal": stems.refusal(track),
            "midi_refusal": stems.midi_refusal(track), **vendor_timing.midi_context(track),
            "stem_rows": stems.player_rows(track)}


@require_safe
def track(request, pk):
    track = get_object_or_404(Track.objects.owned_by(request.user).kept()
                              .select_related("generation", "parent"), pk=pk)
    return render(request, "library/track.html", _track_page(request, track))


@require_http_methods(["GET", "POST"])
def rename(request, pk):
    """A new title, within the create forms' limit for the track's model. A refused one is
    shown again beside the field on the track's page, as typed (from a card's menu too)."""
    track = _kept_track(request, pk)
    refused = {}
    if request.method == "POST":
        typed = request.POST.get("title", "")
        title = " ".join(typed.split())
        if not title:
            refused = {"rename_error": "Type a title: spaces alone are not one."}
        elif len(title) > track.title_limit:
            refused = {"rename_error": f"A title is at most {track.title_limit} characters; "
                                       f"this one has {len(title)}."}
        else:
            track.title = title
            track.save(update_fields=["title"])
            if not request.htmx or "next" in request.POST:
                return redirect(back(request, reverse("library:track", args=[track.pk])))
        if refused:
            refused["typed_title"] = typed
    context = {"track": track, **refused}
    if not chosen_partial(request, TRACK_PARTIALS):  # the whole page around the title
        context = {**_track_page(request, track), **refused}
    return render_partial(request, "library/track.html", context, partials=TRACK_PARTIALS,
                          status=422 if refused else 200)


@require_http_methods(["GET", "POST"])
def delete(request, pk):
    """Move a track to the trash (a GET asks first, for a link followed without a form)."""
    track = _kept_track(request, pk)
    if request.method == "POST":
        trash.move_to_trash(track)
        messages.success(request, f"Moved “{track.title or 'Untitled'}” to the trash. "
                                  f"You can restore it for {TRASH_DAYS} days.")
        fallback = reverse("library:index")
        target = back(request, fallback)
        # Its own page is gone now: return to the library instead.
        if target.startswith(reverse("library:track", args=[track.pk])):
            target = fallback
        return redirect(target)
    return render(request, "library/delete.html", {"track": track, "days": TRASH_DAYS})


@require_POST
def like(request, pk):
    """Like a track, or unlike it (`liked=0`)."""
    track = _kept_track(request, pk)
    track.liked_at = timezone.now() if request.POST.get("liked", "1") != "0" else None
    track.save(update_fields=["liked_at"])
    return redirect(back(request, reverse("library:track", args=[track.pk])))


@login_not_required  # signed in or not is checked below, in the track's own query
@require_safe
@file_gone_is_404
def audio(request, pk):
    # Every seek of the player is a Range request here: one query reads the file's name
    # (not the track's lyrics and waveform peaks) with the session and the account it
    # belongs to (studio.web.signedin), where the usual path took three.
    found, name = signedin.own_value(request, Track, pk, "audio")
    if not found:  # not told by that one query: asked the usual way, answered as ever
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            name = Track.objects.owned_by(request.user).values_list("audio", flat=True).get(
                pk=pk)
        except Track.DoesNotExist:
            raise Http404("No such track.") from None
    if not name:
        raise Http404("No such track.")
    response = media.serve(request, Track.audio.field.storage, name, content_type="audio/mpeg")
    return signedin.vary_on_cookie(response)


@require_safe
def player_info(request, pk):
    """What the footer player shows beyond a play button's attributes: the waveform it seeks
    in and the lyrics it opens on demand (too big to repeat on every card of a page)."""
    track = _owned_track(request, pk)
    return render(request, "library/player_info.html",
                  {"track": track, "peaks_json": json.dumps(track.peaks or [])})


@require_safe
@file_gone_is_404
def cover(request, pk):
    track = _owned_track(request, pk)
    if not track.cover:
        raise Http404("no cover")
    return media.serve_field(request, track.cover, max_age=86400)


@require_safe
@file_gone_is_404
def thumbnail(request, pk, size):
    track = _owned_track(request, pk)
    if not track.cover or size not in thumbnails.SIZES:
        raise Http404("no such cover")
    name = thumbnails.thumbnail(track, size)
    response = media.serve(request, track.cover.storage, name, content_type="image/webp",
                           max_age=YEAR)
    if response.status_code != 302:  # a presigned redirect expires: never kept for a year
        # The URL carries the cover's version, so what it names never changes.
        response["Cache-Control"] = f"private, max-age={YEAR}, immutable"
    return response


@require_safe
def cover_choice(request, pk, version, number):
    """A preview of generated cover `number` offered against cover `version`."""
    track = _owned_track(request, pk)
    if not covers.valid_version(version) or not 1 <= number <= covers.CHOICES:
        raise Http404("no such cover choice")
    image = covers.generated(track, covers.choice_seed(track, version, number), size=covers.PREVIEW_SIZE)
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=82, method=4)
    response = HttpResponse(buffer.getvalue(), content_type="image/webp")
    # (track, version, number) always draws the same image.
    response["Cache-Control"] = f"private, max-age={YEAR}, immutable"
    return response


@require_POST
def choose_cover(request, pk):
    track = _kept_track(request, pk)
    version, choice = request.POST.get("version", ""), request.POST.get("choice", "")
    if not covers.valid_version(version) or choice not in {str(n) for n in range(1, covers.CHOICES + 1)}:
        messages.error(request, "That cover choice is not one this page offered; pick one of the images.")
        return redirect("library:track", track.pk)
    seed = covers.choice_seed(track, version, int(choice))
    track.replace_cover(covers.jpeg(covers.generated(track, seed)))
    messages.success(request, "New cover in place.")
    return redirect("library:track", track.pk)


@require_POST
def regenerate_cover(request, pk):
    track = _kept_track(request, pk)
    track.replace_cover(covers.jpeg(covers.generated(track, covers.fresh_seed())))
    messages.success(request, "A freshly drawn cover is in place.")
    return redirect("library:track", track.pk)


@require_POST
def upload_cover(request, pk):
    track = _kept_track(request, pk)
    form = covers.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        context = {**_track_page(request, track), "cover_form": form}
        return render(request, "library/track.html", context, status=422)
    track.replace_cover(covers.jpeg(form.cleaned_data["image"]))
    messages.success(request, "Your image is the cover now.")
    return redirect("library:track", track.pk)


@require_safe
@file_gone_is_404
def download_mp3(request, pk):
    track = _owned_track(request, pk)
    name = downloads.tagged_mp3(track, request.user)
    return media.serve(request, track.audio.storage, name, content_type="audio/mpeg",
                       download_name=downloads.download_name(track, "mp3"))


@require_safe
@file_gone_is_404
def download_wav(request, pk):
    track = _owned_track(request, pk)
    name = downloads.tagged_wav(track, request.user)
    return media.serve(request, track.audio.storage, name, content_type="audio/wav",
                       download_name=downloads.download_name(track, "wav"))


@require_safe
def lyrics_panel(request, pk):
    """The track page's lyrics card, once the vendor that made the take was asked for its
    word timings (loaded after the page, so the page never waits for a vendor)."""
    track = _owned_track(request, pk)
    problem = ""
    try:
        vendor_timing.fetch_timing(track)
    except VendorError as error:
        problem = error.message
    return render(request, "library/track_lyrics.html", {
        "track": track, "timed_lines": timed_lyrics.as_shown(track), "timing_problem": problem})


@require_safe
def lyrics_lrc(request, pk):
    track = _owned_track(request, pk)
    if not timed_lyrics.lines(track):
        raise Http404("no timed lyrics")
    response = HttpResponse(timed_lyrics.lrc(track), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, downloads.download_name(track, "lrc"))  # named by take, as MP3 and WAV are
    return response


@require_safe
def stems_block(request, pk):
    """The track page's stems section alone: polled every 2 s while the stems are made."""
    track = get_object_or_404(Track.objects.owned_by(request.user).kept()
                              .select_related("generation"), pk=pk)
    return render(request, "library/track_stems.html", {"track": track, **_stems_context(track)})


@require_safe
def midi_block(request, pk):
    """The track page's MIDI section alone: polled every 2 s while a vendor writes it."""
    track = get_object_or_404(Track.objects.owned_by(request.user).kept()
                              .select_related("generation"), pk=pk)
    return render(request, "library/track_midi.html", {"track": track, **_stems_context(track)})


@require_safe
def stems_zip(request, pk):
    track = _owned_track(request, pk)
    if not stems.kept(track):
        raise Http404("no stems")
    response = FileResponse(stems.zip_of(track), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(
        True, downloads.safe_filename(f"{track.title or 'Untitled'} stems", "zip"))
    return response


@require_safe
@file_gone_is_404
def stem_audio(request, pk, name):
    track = _owned_track(request, pk)
    filename = stems.kept(track).get(name)
    if not filename:
        raise Http404("no such stem")
    return media.serve(request, track.audio.storage, f"{track.folder}/{filename}",
                       content_type="audio/flac")


@require_POST
def export(request):
    """A ZIP of the selected tracks (tagged MP3s) and tracks.json with their settings."""
    ids = request.POST.getlist("track")
    if not ids:
        messages.error(request, "Select the tracks to download first.")
        return redirect(reverse("library:index"))
    try:
        wanted = {str(Track._meta.pk.to_python(i)) for i in ids[:500]}
    except ValidationError:
        raise Http404("no such track") from None
    tracks = list(Track.objects.owned_by(request.user).kept().filter(pk__in=wanted)
                  .select_related("generation").order_by("created_at", "variation"))
    if len(tracks) != len(wanted):
        raise Http404("no such track")  # someone else's id, or one that is gone
    archive = downloads.export_zip(tracks, request.user)
    response = FileResponse(archive, content_type="application/zip")
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = content_disposition_header(
        True, f"Studio tracks {stamp}.zip")
    return response
