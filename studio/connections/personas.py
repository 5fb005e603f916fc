"""Making a persona, wherever the take was made: a local take's singer is kept here
(library/personas.py); a take made through a v1 vendor connection gets its persona from that
vendor's generate-persona (its taskId and audioId are the vendor's), kept here with the
vendor's personaId, which is sent to that vendor when a request through the same connection
names the persona (tracking.vendor_request)."""
from __future__ import annotations

from django.db import IntegrityError, transaction

from studio.engines.upstream import VendorError
from studio.generation.models import Status
from studio.generation.rules import PersonaRequest
from studio.library import personas
from studio.library.models import Persona, Track

from .models import UpstreamTask, connection_for


def make(owner, track: Track, wanted: PersonaRequest) -> Persona:
    """`owner`'s persona from `wanted`'s window of `track`; PersonaRefused says why not."""
    generation = track.generation
    connection = connection_for(generation.engine)
    if connection is None:
        return personas.make(owner, track, wanted)
    if generation.status != Status.SUCCESS:
        raise personas.PersonaRefused(f"The song is not finished yet "
                                      f"({generation.get_status_display()}).")
    if track.is_instrumental:
        raise personas.PersonaRefused("This take is instrumental: nobody sings in it, so "
                                      "there is no voice to keep.")
    if connection.dialect != "v1":
        raise personas.PersonaRefused(f"{connection.name} speaks the legacy API, which has no "
                                      "personas.")
    task = UpstreamTask.objects.filter(generation=generation).first()
    if task is None or not task.vendor_task_id or not track.engine_id:
        raise personas.PersonaRefused(f"{connection.name} gave no ids for this take, so it "
                                      "cannot be asked for its persona.")
    if Persona.objects.filter(track=track).exists():
        raise personas.PersonaRefused("This take already has a persona: one persona per track.",
                                      code=409)
    fields = {"taskId": task.vendor_task_id, "audioId": track.engine_id, "name": wanted.name,
              "description": wanted.description, "vocalStart": wanted.vocal_start,
              "vocalEnd": wanted.vocal_end}
    if wanted.style:
        fields["style"] = wanted.style
    try:
        vendor_id = connection.engine().persona(fields)
    except VendorError as error:
        code = error.code if 400 <= error.code < 500 else 500
        raise personas.PersonaRefused(f"{connection.name} did not make the persona: "
                                      f"{error.message}", code=code) from None
    try:
        with transaction.atomic():
            return Persona.objects.create(
                owner=owner, track=track, name=wanted.name, description=wanted.description,
                style=wanted.style, vocal_start=wanted.vocal_start, vocal_end=wanted.vocal_end,
                engine=connection.engine_name, vendor_persona_id=vendor_id)
    except IntegrityError:
        raise personas.PersonaRefused("This take already has a persona: one persona per track.",
                                      code=409) from None


def refusal(connection, persona: Persona | None) -> str | None:
    """Why the engine of `connection` (None: local) cannot sing with `persona`, or None."""
    if persona is None:
        return None
    engine = connection.engine_name if connection is not None else "local"
    if persona.engine == engine:
        return None
    where = "Studio's local engine" if persona.engine == "local" else "another vendor"
    if connection is None:
        made_at = connection_for(persona.engine)
        name = made_at.name if made_at else "a vendor connection"
        return (f"“{persona.name}” is a singer at {name}: choose that engine to sing with it, "
                "or leave the persona out.")
    return (f"“{persona.name}” is a singer kept by {where}; {connection.name} cannot sing "
            f"with it: choose {'Local' if persona.engine == 'local' else 'its engine'}, "
            "or leave the persona out.")
