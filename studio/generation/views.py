from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from . import jobs
from .forms import SimpleForm
from .models import Generation, Mode


@require_http_methods(["GET", "POST"])
def create(request):
    form = SimpleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        generation = jobs.submit(owner=request.user, mode=Mode.GENERATE, params=form.params,
                                 client_token=form.cleaned_data.get("token", ""))
        return redirect("generation:detail", generation.pk)
    return render(request, "generation/create.html", {"form": form})


@require_safe
def detail(request, pk):
    generation = get_object_or_404(Generation.objects.owned_by(request.user), pk=pk)
    template = "generation/detail.html"
    if request.htmx:
        template += "#status"
    tracks = list(generation.tracks.all())
    return render(request, template, {"generation": generation, "tracks": tracks,
                                      "pending_takes": range(max(0, 2 - len(tracks)))})
