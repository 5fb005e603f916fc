from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from studio.generation.models import Generation
from studio.web.ranges import serve_file

from .models import Track


def _owned_track(request, pk) -> Track:
    return get_object_or_404(Track.objects.owned_by(request.user), pk=pk)


@require_safe
def index(request):
    tracks = (Track.objects.owned_by(request.user).select_related("generation")
              .defer("peaks", "analysis", "lyrics")[:60])
    running = Generation.objects.owned_by(request.user).running()[:20]
    context = {"tracks": tracks, "running": running}
    if request.htmx and request.GET.get("part") == "running":
        return render(request, "library/index.html#running", context)
    return render(request, "library/index.html", context)


@require_safe
def track(request, pk):
    track = get_object_or_404(Track.objects.owned_by(request.user)
                              .select_related("generation", "parent"), pk=pk)
    return render(request, "library/track.html", {"track": track})


@require_safe
def audio(request, pk):
    track = _owned_track(request, pk)
    return serve_file(request, track.audio.path, content_type="audio/mpeg")


@require_safe
def cover(request, pk):
    track = _owned_track(request, pk)
    if not track.cover:
        raise Http404("no cover")
    return serve_file(request, track.cover.path, max_age=86400)
