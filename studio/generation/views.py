from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from studio.library.models import Track

from . import jobs, rules, streams, uploads
from .forms import FORMS, LIMITS_JSON, initial_from_generation
from .models import Generation, Upload

TABS = [(name, form.title_text) for name, form in FORMS.items()]


def _initial(request) -> tuple[str, dict]:
    """Which tab to open and what to prefill, from the query string:
    ?mode=extend&track=<id>&at=<s>, ?mode=cover&track=<id>, ?again=<generation id>."""
    mode = request.GET.get("mode", "simple")
    if again := request.GET.get("again"):
        generation = get_object_or_404(Generation.objects.owned_by(request.user), pk=again)
        return initial_from_generation(generation)
    if mode not in FORMS:
        mode = "simple"
    initial = {}
    if track_id := request.GET.get("track"):
        track = get_object_or_404(Track.objects.owned_by(request.user), pk=track_id)
        if mode == "extend":
            at = request.GET.get("at")
            initial = {"track": track.pk, "title": track.title, "style": track.style,
                       "lyrics": "", "model": track.generation.model,
                       "continue_at": at or round(track.duration / 2, 1)}
        elif mode == "cover":
            initial = {"track": track.pk, "title": track.title, "style": track.style,
                       "custom": True}
    return mode, initial


@require_http_methods(["GET", "POST"])
def create(request):
    if request.method == "POST":
        mode = request.POST.get("mode", "simple")
        if mode not in FORMS:
            raise Http404("unknown mode")
        form = FORMS[mode](request.POST, request.FILES, owner=request.user)
        if form.is_valid():
            generation = jobs.submit(
                owner=request.user, request=form.generation_request,
                source_track=form.source_track, upload=form.upload,
                client_token=form.cleaned_data.get("token", ""),
                engine=form.connection.engine_name if form.connection else "")
            return redirect("generation:detail", generation.pk)
    else:
        mode, initial = _initial(request)
        form = FORMS[mode](initial=initial, owner=request.user)
    source = None
    if mode == "extend":
        track_id = form["track"].value()
        source = Track.objects.owned_by(request.user).filter(pk=track_id).first() \
            if track_id else None
    return render(request, "generation/create.html", {
        "form": form, "mode": mode, "tabs": TABS, "limits_json": LIMITS_JSON,
        "source": source,
        "chosen_upload": getattr(form, "accepted_upload", None) or _chosen_upload(form),
    })


def _chosen_upload(form):
    if "upload" not in form.fields:
        return None
    value = form["upload"].value()
    return form.fields["upload"].queryset.filter(pk=value).first() if value else None


@require_POST
def upload(request):
    """Accept a file as soon as it is picked (htmx), and show what Studio heard in it."""
    file = request.FILES.get("file")
    error, accepted = None, None
    if not file:
        error = "Choose a file to upload."
    else:
        try:
            accepted = uploads.accept(request.user, file, file.name)
        except uploads.UploadError as problem:
            error = str(problem)
    return render(request, "generation/upload_result.html",
                  {"upload": accepted, "error": error}, status=200 if accepted else 422)


@require_safe
def upload_info(request, pk):
    upload = get_object_or_404(Upload.objects.owned_by(request.user), pk=pk)
    return render(request, "generation/upload_result.html", {"upload": upload})


@require_safe
def detail(request, pk):
    generation = get_object_or_404(
        Generation.objects.owned_by(request.user).select_related("source_track", "upload"),
        pk=pk)
    template = "generation/detail.html"
    if request.htmx:
        template += "#status"
    tracks = list(generation.tracks.order_by("variation"))
    done = {t.variation for t in tracks}
    pending = [{"variation": v, "live": not generation.is_final and streams.is_live(generation, v)}
               for v in range(rules.TAKES) if v not in done]
    return render(request, template, {"generation": generation, "tracks": tracks,
                                      "pending_takes": pending})


@require_safe
def stream(request, pk, variation):
    """A take as it is being encoded (see streams); the finished file once it is done."""
    generation = get_object_or_404(Generation.objects.owned_by(request.user), pk=pk)
    return streams.response(request, generation, variation)
