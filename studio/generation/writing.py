"""Words before music: lyric sheets written from an idea, and a short style boosted into a
richer one. Both come from the local engine's own text stage, so what is offered here is
what the engine sings and reads.

The API's lyrics task (`POST /api/v1/lyrics`) is a row fulfilled by a job, as the vendors
answer with a taskId and call back once; the create form asks for sheets directly (they
take milliseconds) and keeps nothing. The engine's text stage draws with numpy, so it is
imported by the call that writes, never by a web process at start.
"""
from __future__ import annotations

import re
import secrets

from django.db import transaction
from django.utils import timezone

from .models import LyricsStatus, LyricsTask

IDEA_WORDS = 200  # the vendors' limit on a lyrics prompt
IDEA_CHARS = 3000  # and a bound on characters, so two hundred words stay words
STYLE_CHARS = 1000  # the longest style any model takes


class WritingError(ValueError):
    """A field the writer cannot work from; `kind` is "required", "invalid" or "too_long"."""

    def __init__(self, field: str, kind: str, message: str):
        super().__init__(message)
        self.field, self.kind, self.message = field, kind, message


def clean_idea(value, field: str = "prompt") -> str:
    """The idea as the writer reads it, or the reason it cannot be read."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise WritingError(field, "required", f"{field} is required: the idea of the song")
    if not isinstance(value, str):
        raise WritingError(field, "invalid", f"{field} must be text")
    value = value.strip()
    words = len(value.split())
    if words > IDEA_WORDS:
        raise WritingError(field, "too_long",
                           f"{field} is {words:,} words; the limit is {IDEA_WORDS}")
    if len(value) > IDEA_CHARS:
        raise WritingError(field, "too_long",
                           f"{field} is {len(value):,} characters; the limit is {IDEA_CHARS:,}")
    if not re.search(r"\w", value):
        raise WritingError(field, "invalid", f"{field} must contain words")
    return value


def sheets(idea: str, seed: int | None = None) -> list[dict]:
    """Distinct lyric sheets for `idea`: [{"title", "text"}], each with section markers."""
    from studio.engines.local import texts

    seed = secrets.randbelow(2**31) if seed is None else seed
    return [{"title": s.title, "text": s.text} for s in texts.lyric_variants(idea, seed)]


def boost(style: str, field: str = "content") -> str:
    """A short style grown into a richer one the local engine reads back the same way."""
    if style is None or (isinstance(style, str) and not style.strip()):
        raise WritingError(field, "required", f"{field} is required: a short style to boost")
    if not isinstance(style, str):
        raise WritingError(field, "invalid", f"{field} must be text")
    if len(style) > STYLE_CHARS:
        raise WritingError(field, "too_long",
                           f"{field} is {len(style):,} characters; the limit is {STYLE_CHARS:,}")
    from studio.engines.local import style as engine_style

    return engine_style.boost_style(style)


def create(owner, idea: str, *, param: dict, callback_url: str = "", on_commit=None,
           engine: str = "local") -> LyricsTask:
    """A lyrics task for `owner`, written by `engine`; `on_commit(task_id)` is run once the
    row is committed (it enqueues the job)."""
    with transaction.atomic():
        task = LyricsTask.objects.create(owner=owner, prompt=idea, param=param,
                                         callback_url=callback_url, engine=engine)
        if on_commit is not None:
            transaction.on_commit(lambda: on_commit(task.task_id))
    return task


def fulfil(task_id) -> bool:
    """Write the task's sheets. Safe to call twice: only the first call that finds it
    pending fills it (a conditional UPDATE), and only that one returns True."""
    task = LyricsTask.objects.filter(pk=task_id, status=LyricsStatus.PENDING).first()
    if task is None:
        return False
    try:
        variants = sheets(task.prompt)
        fields = {"status": LyricsStatus.SUCCESS, "variants": variants}
    except Exception as problem:  # the writer's fault, told to the client as the vendors do
        fields = {"status": LyricsStatus.GENERATE_LYRICS_FAILED,
                  "error_message": f"The lyrics could not be written: {problem}"[:500]}
    won = LyricsTask.objects.filter(pk=task.pk, status=LyricsStatus.PENDING).update(
        completed_at=timezone.now(), **fields)
    return bool(won)
