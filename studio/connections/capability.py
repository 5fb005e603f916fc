"""Which engine serves a request, and what a connection cannot serve — said before anything
is queued, as a form error or an API message, never as a failed job.

These are not field rules (rules.py): they depend on the connection and on where the source
take came from, so the form and the API intake ask here with what they found.
"""
from __future__ import annotations

import functools

from django.conf import settings

from studio import rows
from studio.engines.upstream_legacy import MODEL_NAMES as LEGACY_MODELS
from studio.engines.upstream_legacy import MODES as LEGACY_MODES
from studio.generation.rules import GenerationRequest, model_name

from .models import Connection, DefaultEngine, connection_for
from .personas import refusal as persona_refusal

LOCAL = "local"
UPLOAD_MODES = ("upload_cover", "add_instrumental", "add_vocals", "upload_extend", "mashup")
MODE_WORDS = {"upload_cover": "covers", "add_instrumental": "adding an instrumental",
              "add_vocals": "adding vocals", "upload_extend": "extending uploads",
              "extend": "extending", "generate": "songs", "instrumental": "instrumentals",
              "replace_section": "replacing a section", "sounds": "sounds",
              "mashup": "mashups"}
# Modes that work on a take at the vendor by its own ids (taskId, audioId): only a take made
# through that connection can go there, as the derived pass-throughs (WAV, stems) send only
# the vendor's own takes. Local works on any take, a vendor's included.
OWN_TAKES = {
    "extend": ("This take was not made through {name}, so {name} cannot extend it (a vendor "
               "extends only its own takes): extend it with Local, or with the connection "
               "that made it."),
    "replace_section": ("This take was not made through {name}, so {name} cannot replace a "
                        "section of it (a vendor works only on its own takes): choose Local, "
                        "which replaces a section of any take, or the connection that made "
                        "it."),
}


def choices(user) -> list[tuple[str, str]]:
    """(value, label) for the create form's engine field: Local, then each usable connection
    (with its balance when a test found one)."""
    out = [(LOCAL, "Local (this server)")]
    for connection in Connection.objects.usable_by(user):
        label = connection.label
        if connection.credits is not None:
            label += f" · {connection.credits:,} credits"
        out.append((str(connection.pk), label))
    return out


def connection_of(user, value: str) -> Connection | None:
    """The connection an engine choice names (None: the local engine); LookupError if the
    user may not use it."""
    if value in ("", LOCAL, None):
        return None
    connection = Connection.objects.usable_by(user).filter(pk=value if str(value).isdigit()
                                                          else None).first()
    if connection is None:
        raise LookupError("That engine is not one of yours; choose Local or one of your "
                          "connections.")
    return connection


def default_for(user, alongside: tuple | None = None) -> Connection | None:
    """The engine that serves the user's API requests (and is preselected on the form).
    Asked by every API create: SQL written once (studio.rows), not compiled per call, or
    read already in the key's own query (`alongside`: default_columns_and_joins()'s
    columns, all NULL for the local engine)."""
    if alongside is not None:
        return _CONNECTION.instance(alongside)
    row = rows.one(_default_sql(), [user.pk])
    return _CONNECTION.instance(row) if row else None


@functools.cache
def default_columns_and_joins() -> tuple[str, str]:
    """The owner's default connection as columns and LEFT JOINs on the owner `u.id`, for a
    query that reads the owner anyway (the API key's): one round trip fewer per create."""
    owner, chosen = (rows.quoted(DefaultEngine._meta.get_field(name).column)
                     for name in ("owner", "connection"))
    return (_CONNECTION.sql(),
            f"LEFT JOIN {rows.table(DefaultEngine)} d ON d.{owner} = u.id "
            f"LEFT JOIN {rows.table(Connection)} c ON {_CONNECTION.column('id')} = d.{chosen} "
            f"AND {_CONNECTION.column('removed_at')} IS NULL")


_CONNECTION = rows.Columns(Connection, "c")


@functools.cache
def _default_sql() -> str:
    """The owner's chosen connection, unless it was removed (then the local engine)."""
    return (f"SELECT {_CONNECTION.sql()} FROM {rows.table(DefaultEngine)} d "
            f"JOIN {rows.table(Connection)} c ON {_CONNECTION.column('id')} = "
            f"d.{rows.quoted(DefaultEngine._meta.get_field('connection').column)} "
            f"WHERE d.{rows.quoted(DefaultEngine._meta.get_field('owner').column)} = %s "
            f"AND {_CONNECTION.column('removed_at')} IS NULL")


def for_take(user, track) -> str:
    """The engine a form working on `track` preselects: the connection that made it, when the
    user may use it (a vendor works only on its own takes), else Local."""
    made_by = connection_for(track.generation.engine)
    if made_by is not None and Connection.objects.usable_by(user).filter(pk=made_by.pk).exists():
        return str(made_by.pk)
    return LOCAL


def mode_refusal(connection: Connection | None, mode: str) -> str | None:
    """What can be said from the mode alone, before the request's source is fetched."""
    if connection is not None and connection.dialect == "legacy" and mode not in LEGACY_MODES:
        return (f"{connection.name} speaks the legacy API (sunoapi.co / sunosay), which has "
                f"no {MODE_WORDS[mode]}: choose Local or a v1 connection.")
    return None


def refusal(connection: Connection | None, request: GenerationRequest, *,
            source_track=None, surface: str = "v1", persona=None) -> str | None:
    """Why `connection` cannot serve `request` (None: it can), naming models as `surface`
    does (rules.model_name). The local engine serves all, including extending a vendor's
    take: its file is Studio's own; a persona sings only where it was made (`persona`: the
    request's, found)."""
    if refused := persona_refusal(connection, persona):
        return refused
    if connection is None:
        return None

    def model(code: str) -> str:
        return model_name(code, surface)

    name = connection.name
    mode = request.mode
    if refused := mode_refusal(connection, mode):
        return refused
    if connection.dialect == "legacy":
        if request.model not in LEGACY_MODELS:
            return (f"{name} (legacy API) offers the models "
                    f"{', '.join(map(model, LEGACY_MODELS))}; {model(request.model)} is not "
                    "one of them.")
        if mode == "extend" and request.sung and request.prompt:
            return (f"{name} (legacy API) extends instrumentals only: leave the lyrics empty, "
                    "or extend with Local.")
    if mode in OWN_TAKES and source_track is not None:
        made_by = source_track.generation
        if made_by.engine != connection.engine_name or not source_track.engine_id \
                or (mode == "replace_section" and not made_by.engine_task_id):
            return OWN_TAKES[mode].format(name=name)
        if mode == "extend" and connection.dialect == "v1" \
                and source_track.generation.model != request.model:
            return (f"{name} extends a take only with the model that made it: choose "
                    f"{model(source_track.generation.model)}.")
    uploaded = mode in UPLOAD_MODES or (mode == "replace_section" and source_track is None)
    if uploaded and not connection.upload_base_url \
            and not settings.STUDIO_BASE_URL:
        return (f"{name} has no file-upload URL, so the vendor must fetch your audio from "
                "Studio: the operator has to set STUDIO_BASE_URL to Studio's public address.")
    return None
