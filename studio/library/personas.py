"""Personas: a named singer kept from a finished take, sung with again by a later request.

A persona is made from a window of 10–30 s of a take (the rules are rules.persona): the
take's task must be finished, the window must hold singing, and a take gives one persona.
What it keeps is the singer the local engine sang the take with (engines/local/singer.py,
recorded in the take's analysis): formants, source, breath, vibrato and range. A vendor's
take, or a take whose voice is an uploaded recording, has no singer Studio made, so no
persona is made from it (the refusal says so).
"""
from __future__ import annotations

from django.db import IntegrityError, transaction

from studio.engines.local.singer import Singer
from studio.generation.models import Status
from studio.generation.rules import PersonaRequest

from .models import Persona, Track

# The window must hold at least this much singing (sung words, by the take's word timings).
MIN_SUNG_SECONDS = 2.0


class PersonaRefused(Exception):
    """No persona from this take; `code` is the v1 API's (422 invalid, 409 exists)."""

    def __init__(self, message: str, *, code: int = 422, field: str = ""):
        super().__init__(message)
        self.message, self.code, self.field = message, code, field


def sung_seconds(track: Track, start: float, end: float) -> float:
    """Seconds of singing between `start` and `end`, from the take's word timings."""
    lines = (track.analysis.get("lyrics_timing") or {}).get("lines") or []
    total = 0.0
    for line in lines:
        for _word, a, b in line.get("words", []):
            total += max(0.0, min(b, end) - max(a, start))
    return total


def refusal(track: Track) -> str | None:
    """Why no persona can be made from `track` at all, or None."""
    if track.generation.status != Status.SUCCESS:
        return (f"The song is not finished yet ({track.generation.get_status_display()}): a "
                "persona is made from a finished take.")
    if track.is_instrumental:
        return "This take is instrumental: nobody sings in it, so there is no voice to keep."
    if Singer.of_take(track.analysis) is None:
        return ("Studio did not synthesise this take's voice (it is a vendor's take or an "
                "uploaded recording), so it cannot keep its singer as a persona.")
    return None


def make(owner, track: Track, request: PersonaRequest) -> Persona:
    """`owner`'s persona from `request`'s window of `track` (validated by rules.persona)."""
    if problem := refusal(track):
        raise PersonaRefused(problem)
    sung = sung_seconds(track, request.vocal_start, request.vocal_end)
    if sung < MIN_SUNG_SECONDS:
        raise PersonaRefused(
            f"The window {request.vocal_start:g}–{request.vocal_end:g} s holds "
            f"{sung:.1f} s of singing; choose 10–30 s where the voice sings (at least "
            f"{MIN_SUNG_SECONDS:g} s of it).", field="vocalStart")
    if Persona.objects.filter(track=track).exists():
        raise PersonaRefused("This take already has a persona: one persona per track.",
                             code=409)
    singer = Singer.of_take(track.analysis)
    try:
        with transaction.atomic():
            return Persona.objects.create(
                owner=owner, track=track, name=request.name, description=request.description,
                style=request.style, vocal_start=request.vocal_start,
                vocal_end=request.vocal_end, voice=singer.as_dict())
    except IntegrityError:  # a twin request won the race
        raise PersonaRefused("This take already has a persona: one persona per track.",
                             code=409) from None


def voice_for(owner_id, persona_id: str) -> dict:
    """The kept voice of the persona `persona_id` of user `owner_id` ({} when none)."""
    if not persona_id:
        return {}
    persona = Persona.objects.filter(owner_id=owner_id, pk=persona_id).only("voice").first()
    return dict(persona.voice) if persona else {}
