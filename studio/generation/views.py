import json
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from studio import media
from studio.library import downloads
from studio.library.models import Track
from studio.library.piano_roll import svg as piano_roll_svg
from studio.library.stitch import StitchError
from studio.web import ids
from studio.web.partials import render_partial
from studio.web.ranges import file_gone_is_404

from . import derive, jobs, rules, stitching, streams, uploads, writing
from .forms import FORMS, LIMITS_JSON, ReplaceForm, initial_from_generation, replace_limits, source_tracks
from .models import Generation, Mode, Upload

# What a browser plays each sniffed upload format as.
UPLOAD_TYPES = {"mp3": "audio/mpeg", "wav": "audio/wav", "flac": "audio/flac", "ogg": "audio/ogg",
                "m4a": "audio/mp4"}
# (mode, label, the query string that opens its tab)
TABS = [(name, form.title_text, {"mode": name}) for name, form in FORMS.items()]
# Choosing an earlier upload swaps only what Studio heard in it, a library track (also the
# track to extend) only the card that shows it: what is typed in the other fields stays.
CREATE_PARTIALS = ("upload-result", "source-track")
# The create form's fields that talk to the server as soon as they change (htmx): a picked
# file is sent at once (the form carries hx-encoding), a chosen upload or source track asks
# this page for the partial that follows it.
LIVE_FIELDS = {
    "file": {"hx-post": reverse_lazy("generation:upload"), "hx-target": "#upload-result",
             "hx-indicator": "#upload-busy"},
    "upload": {"hx-get": reverse_lazy("generation:create"), "hx-include": "[name=mode]",
               "hx-target": "#upload-result"},
    "track": {"hx-get": reverse_lazy("generation:create"), "hx-include": "[name=mode]",
              "hx-target": "#source-track"},
}
# The modes a link may open with a library track chosen (?mode=…&track=<id>).
TRACK_SOURCES = ("extend", "cover", "add_instrumental", "add_vocals", "upload_extend")
# The address names the track to extend, so a reload (or a link) opens it again.
EXTEND_TRACK = {**LIVE_FIELDS["track"], "hx-push-url": "true"}


def _live(form):
    for name, attrs in LIVE_FIELDS.items():
        field = form.fields.get(name)
        if field is not None and not field.widget.is_hidden:
            field.widget.attrs.update(EXTEND_TRACK if form.mode == Mode.EXTEND and name == "track"
                                      else attrs)
    return form


def _owned(queryset, pk):
    """The row with this id among the user's, else 404 (a malformed id included)."""
    try:
        return get_object_or_404(queryset, pk=pk)
    except ValidationError:
        raise Http404("No such item.") from None


def cover_initial(track: Track) -> dict:
    """"Cover this": the track's title, style and words in custom mode, so the first submit
    is a valid request; a source without words (an instrumental, or a vocal added under by
    add-instrumental, whose words are unknown) makes an instrumental cover (custom mode with
    empty lyrics would be refused)."""
    return {"track": track.pk, "custom": True, "title": track.title, "style": track.style,
            "lyrics": track.lyrics, "instrumental": not track.lyrics.strip()}


def from_track(mode: str, track: Track) -> dict:
    """What a library track chosen as a mode's source brings into the form's other fields."""
    if mode in ("extend", "upload_extend"):  # an instrumental goes on without words
        brought = {"title": track.title, "style": track.style,
                   "continue_at": round(track.duration / 2, 1),
                   "instrumental": track.is_instrumental}
        return {**brought, "model": track.generation.model} if mode == "extend" else brought
    if mode == "cover":
        return cover_initial(track)
    if mode == "add_vocals":  # the track's own title and style, with vocals on top
        return {"title": track.title, "style": track.style}
    return {}


def upload_fills(fields, upload) -> str:
    """What an upload chosen as the source brings into the form's `fields` where nothing was
    typed, as the fields show it (create.js fills them, as for a library track): Upload &
    extend's second to continue from, the middle of the upload as for a track."""
    if upload is None or "continue_at" not in fields:
        return ""
    return json.dumps({"continue_at": str(round(upload.duration / 2, 1))})


def _initial(request) -> tuple[str, dict]:
    """Which tab to open and what to prefill, from the query string:
    ?mode=extend&track=<id>&at=<s>, ?mode=cover&track=<id>, ?mode=cover&upload=<id>,
    ?mode=add_vocals&track=<id>, ?again=<generation id>."""
    mode = request.GET.get("mode", "simple")
    if again := request.GET.get("again"):
        generation = get_object_or_404(Generation.objects.owned_by(request.user),
                                       pk=ids.parse_or_404(again))
        return initial_from_generation(generation)
    if mode not in FORMS:
        mode = "simple"
    initial = {}
    if track_id := request.GET.get("track"):
        track = _owned(source_tracks(request.user), track_id)
        if mode in TRACK_SOURCES:
            initial = {"track": track.pk, **from_track(mode, track)}
        if mode == "extend" and (at := request.GET.get("at")):
            initial["continue_at"] = at
    if upload_id := request.GET.get("upload"):
        upload = _owned(Upload.objects.owned_by(request.user), upload_id)
        initial["upload"] = upload.pk
    return mode, initial


@require_http_methods(["GET", "POST"])
def create(request):
    if request.method == "POST":
        mode = request.POST.get("mode", "simple")
        if mode not in FORMS:
            raise Http404("unknown mode")
        form = _live(FORMS[mode](request.POST, request.FILES, owner=request.user))
        if form.is_valid():
            generation = jobs.submit(
                owner=request.user, request=form.generation_request,
                source_track=form.source_track, upload=form.upload,
                second_upload=form.second_upload,
                client_token=form.cleaned_data.get("token", ""),
                engine=form.connection.engine_name if form.connection else "")
            return redirect("generation:detail", generation.pk)
    else:
        mode, initial = _initial(request)
        form = _live(FORMS[mode](initial=initial, owner=request.user))
    source, fills = None, ""
    if "track" in form.fields and (track_id := ids.parse(form["track"].value())):
        source = source_tracks(request.user).filter(pk=track_id).first()
    if source is not None and form.source_fills:
        brought = from_track(mode, source)
        # as the fields show them, so the page can tell a value brought from one typed (a
        # box to tick: true or false)
        fills = json.dumps({name: brought[name] if isinstance(brought[name], bool)
                            else str(brought[name]) for name in form.source_fills})
    chosen_upload = getattr(form, "accepted_upload", None) or _chosen_upload(form)
    return render_partial(request, "generation/create.html", {
        "form": form, "mode": mode, "tabs": TABS, "limits_json": LIMITS_JSON,
        "source": source, "fills": fills, "chosen_upload": chosen_upload,
        "upload_fills": upload_fills(form.fields, chosen_upload),
    }, partials=CREATE_PARTIALS)


def _chosen_upload(form):
    if "upload" not in form.fields:
        return None
    value = ids.parse(form["upload"].value())
    return form.fields["upload"].queryset.filter(pk=value).first() if value else None


@require_POST
def upload(request):
    """Accept a file as soon as it is picked (htmx), and show what Studio heard in it."""
    file = request.FILES.get("file")
    error, accepted, chooser = None, None, []
    if not file:
        error = "Choose a file to upload."
    else:
        try:
            accepted = uploads.accept(request.user, file, file.name)
        except uploads.UploadError as problem:
            error = str(problem)
    mode = request.POST.get("mode")
    if accepted and mode in FORMS and "upload" in FORMS[mode].base_fields:
        # The create form it was picked in: its file input empties (the file is kept, it
        # need not be sent again) and its list of earlier uploads has this one chosen.
        form = _live(FORMS[mode](initial={"upload": accepted.pk}, owner=request.user))
        chooser = [form[name].as_widget(attrs={"hx-swap-oob": "true"})
                   for name in ("file", "upload")]
    fills = upload_fills(FORMS[mode].base_fields, accepted) if mode in FORMS else ""
    return render(request, "generation/upload_result.html",
                  {"upload": accepted, "error": error, "chooser": chooser, "fills": fills},
                  status=200 if accepted else 422)


@require_safe
def upload_info(request, pk):
    upload = get_object_or_404(Upload.objects.owned_by(request.user), pk=pk)
    return render(request, "generation/upload_result.html", {"upload": upload})


@require_safe
@file_gone_is_404
def upload_audio(request, pk):
    """An upload's own file, to listen to it in the page before creating from it."""
    upload = get_object_or_404(Upload.objects.owned_by(request.user), pk=pk)
    return media.serve_field(request, upload.file,
                            content_type=UPLOAD_TYPES.get(upload.format, "application/octet-stream"))


@require_safe
def detail(request, pk):
    generation = get_object_or_404(
        Generation.objects.owned_by(request.user).select_related("source_track", "upload",
                                                                 "second_upload"),
        pk=pk)
    takes = list(generation.tracks.order_by("variation"))
    done = {t.variation for t in takes}
    tracks = [t for t in takes if t.trashed_at is None]  # a trashed take is made, not shown
    pending = [{"variation": v, "live": not generation.is_final and streams.is_live(generation, v)}
               for v in range(rules.TAKES) if v not in done]
    return render_partial(request, "generation/detail.html", {
        "generation": generation, "tracks": tracks, "pending_takes": pending,
    }, partials=("generation-status",))


@require_http_methods(["GET", "POST"])
def replace(request, pk):
    """Replace a section of one of the user's tracks: the track page's panel posts here; its
    errors come back on this page, beside the fields, with the panel open."""
    track = _owned(source_tracks(request.user).select_related("generation"), pk)
    if request.method == "POST":
        form = ReplaceForm(request.POST, owner=request.user, track=track)
        if form.is_valid():
            generation = jobs.submit(
                owner=request.user, request=form.generation_request, source_track=track,
                client_token=form.cleaned_data.get("token", ""),
                engine=form.connection.engine_name if form.connection else "")
            return redirect("generation:detail", generation.pk)
    else:
        form = ReplaceForm(owner=request.user, track=track)
    # A section of a library track: the Library tab stays lit, as on the track's page.
    return render(request, "generation/replace.html",
                  {"track": track, "form": form, "limits_json": replace_limits(track),
                   "section": "library"},
                  status=422 if form.is_bound else 200)


@require_POST
def whole_song(request, pk):
    """Join an extension and everything it extends into one new track."""
    track = get_object_or_404(Track.objects.owned_by(request.user).select_related("generation"),
                              pk=pk)
    try:
        song = stitching.whole_song(track, request.user)
    except StitchError as error:
        messages.error(request, str(error))
        return redirect("library:track", track.pk)
    messages.success(request, "The whole song is in your library.")
    return redirect("library:track", song.pk)


@require_POST
def make_stems(request, pk):
    """Take a finished local track apart (every part); a worker makes them once, then kept."""
    track = get_object_or_404(Track.objects.owned_by(request.user).select_related("generation"),
                              pk=pk)
    try:
        derive.request(request.user, track, "split_stem")
    except derive.StemsRefused as refused:
        messages.error(request, str(refused))
    return redirect(reverse("library:track", args=[track.pk]) + "#stems")


@require_POST
def make_midi(request, pk):
    """Ask the vendor that made a finished take for its MIDI (a local take's is written when
    the page shows it); a job follows the vendor's separation and MIDI tasks, then keeps it."""
    from studio.connections import derived as vendor_derived

    track = get_object_or_404(Track.objects.owned_by(request.user).select_related("generation"),
                              pk=pk)
    if problem := derive.midi_refusal(track):
        messages.error(request, problem)
    elif track.generation.engine != "local" and derive.midi_kept(track) is None:
        vendor_derived.ask_midi(request.user, track)
    return redirect(reverse("library:track", args=[track.pk]) + "#midi")


def _midi_of(request, pk) -> tuple[Track, dict]:
    track = get_object_or_404(Track.objects.owned_by(request.user).select_related("generation"),
                              pk=pk)
    try:
        return track, derive.midi_for(track)
    except derive.StemsRefused:
        raise Http404("no MIDI for this track") from None


@require_safe
def midi_file(request, pk):
    """The track's Standard MIDI File (written once, kept)."""
    track, _data = _midi_of(request, pk)
    return media.serve(request, track.audio.storage, f"{track.folder}/{derive.MIDI_FILE}",
                       content_type="audio/midi",
                       download_name=downloads.safe_filename(track.title, "mid"))


@require_safe
def piano_roll(request, pk):
    track, data = _midi_of(request, pk)
    response = HttpResponse(piano_roll_svg(data, track.duration), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_safe
@file_gone_is_404
def stream(request, pk, variation):
    """A take as it is being encoded (see streams); the finished file once it is done."""
    generation = get_object_or_404(Generation.objects.owned_by(request.user), pk=pk)
    return streams.response(request, generation, variation)


_ELEMENT_ID = re.compile(r"^[A-Za-z][\w-]{0,80}$")


def _element_id(value) -> str:
    """The id of the field a writer's answer goes into, as the page named it."""
    if not value or not _ELEMENT_ID.match(value):
        raise Http404("no such field")
    return value


@require_POST
def write_lyrics(request):
    """Lyric sheets for the create form (htmx): from the idea, else the title and style."""
    into = _element_id(request.GET.get("into"))
    idea = request.POST.get("lyrics_idea", "").strip() or ", ".join(
        v for v in (request.POST.get("title", "").strip(),
                    request.POST.get("style", request.POST.get("tags", "")).strip()) if v)
    context = {"into": into}
    if not idea:
        context["error"] = ("Write an idea (or a title or style) first: the lyrics are "
                            "written from it.")
    else:
        try:
            context["sheets"] = writing.sheets(writing.clean_idea(idea, field="The idea"))
        except writing.WritingError as problem:
            context["error"] = problem.message
    return render(request, "generation/lyric_sheets.html", context)


@require_POST
def boost_style(request):
    """A richer style for the create form's style field (htmx); the page keeps the old one
    for Undo."""
    into = _element_id(request.GET.get("into"))
    field = request.GET.get("field") if request.GET.get("field") in ("style", "tags") else "style"
    previous = request.POST.get(field, "")
    context = {"into": into, "previous": previous}
    try:
        context["boosted"] = writing.boost(previous, field=field.capitalize())
    except writing.WritingError as problem:
        context["error"] = ("Write a short style first, e.g. “lofi” or “sad piano”."
                            if problem.kind == "required" else problem.message)
    return render(request, "generation/style_boost.html", context)
