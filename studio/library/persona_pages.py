"""The browser's personas: "Make persona" on a track (a 10–30 s window picked on its
waveform, a name and a description), the list of your personas, and deleting one. The rules
are the API's (rules.persona, personas.make), in the same words."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from studio.generation import rules

from . import personas
from .models import Persona, Track


class PersonaForm(forms.Form):
    name = forms.CharField(label="Name", max_length=rules.PERSONA_NAME_LIMIT, required=False)
    description = forms.CharField(label="Description", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    style = forms.CharField(label="Style (optional)", required=False)
    vocalStart = forms.CharField(label="Vocal start (s)", required=False,
                                 widget=forms.NumberInput(attrs={"min": 0, "step": 0.1}))
    vocalEnd = forms.CharField(label="Vocal end (s)", required=False,
                               widget=forms.NumberInput(attrs={"min": 0, "step": 0.1}),
                               help_text="The window is 10–30 s where the voice sings.")

    def __init__(self, *args, track: Track, **kwargs):
        super().__init__(*args, **kwargs)
        self.track = track

    def clean(self):
        cleaned = super().clean()
        try:
            self.wanted = rules.persona(cleaned, duration=self.track.duration, surface="web",
                                        labels=rules.PERSONA_LABELS)
        except rules.InvalidRequest as invalid:
            for error in invalid.errors:
                self.add_error(error.field, error.message(rules.PERSONA_LABELS))
        return cleaned


def suggested_window(track: Track) -> tuple[float, float]:
    """Where the voice first sings, for up to 20 s: the form's starting window."""
    lines = (track.analysis.get("lyrics_timing") or {}).get("lines") or []
    start = float(lines[0]["start"]) if lines else 0.0
    start = max(0.0, min(start, track.duration - rules.PERSONA_WINDOW[0]))
    return round(start, 1), round(min(track.duration, start + 20.0), 1)


@require_http_methods(["GET", "POST"])
def make(request, pk):
    track = get_object_or_404(Track.objects.owned_by(request.user).kept()
                              .select_related("generation"), pk=pk)
    existing = Persona.objects.filter(track=track).first()
    made_at_vendor = track.generation.engine.startswith("upstream:")
    problem = None if made_at_vendor else personas.refusal(track)
    start, end = suggested_window(track)
    form = PersonaForm(request.POST or None, track=track,
                       initial={"vocalStart": start, "vocalEnd": end})
    if request.method == "POST" and not problem and not existing and form.is_valid():
        # Where the take was made decides who keeps its singer: here, or its vendor.
        from studio.connections.personas import make as make_persona

        try:
            persona = make_persona(request.user, track, form.wanted)
        except personas.PersonaRefused as refused:
            form.add_error(refused.field or None, refused.message)
        else:
            messages.success(request, f"“{persona.name}” is one of your personas: choose it "
                                      "in Custom, Extend or Cover to sing with this voice.")
            return redirect("library:personas")
    return render(request, "library/persona_make.html", {
        "track": track, "form": form, "problem": problem, "existing": existing,
        "min_window": rules.PERSONA_WINDOW[0], "max_window": rules.PERSONA_WINDOW[1]})


@require_safe
def index(request):
    return render(request, "library/personas.html", {
        "personas": Persona.objects.owned_by(request.user).select_related("track")})


@require_POST
def delete(request, persona_id):
    persona = get_object_or_404(Persona.objects.owned_by(request.user), pk=persona_id)
    persona.delete()
    messages.success(request, f"Deleted the persona “{persona.name}”. Songs it sang keep "
                              "their voice.")
    return redirect("library:personas")
