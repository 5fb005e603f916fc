"""POST /api/v1/generate/generate-persona (suno_api.md §2 row 22): a persona from a window of
a finished take, answered at once (synchronous, as at the vendors): `{personaId, name,
description}`. The rules are rules.persona and library/personas.py, shared with the track
page's "Make persona"; a vendor's take asks its vendor (connections/personas.py)."""
from __future__ import annotations

from studio.connections import personas as making
from studio.generation import rules
from studio.library import personas

from .derived import finished_track
from .envelope import V1, ApiError, body, endpoint, v1


@endpoint("POST", creates=True)
def generate_persona(request):
    data = body(request, V1)
    track = finished_track(request, data)
    wanted = rules.persona(data, duration=track.duration, surface="v1")
    try:
        persona = making.make(request.user, track, wanted)
    except personas.PersonaRefused as refused:
        raise ApiError(refused.code, refused.message) from None
    return v1({"personaId": persona.id, "name": persona.name,
               "description": persona.description})
