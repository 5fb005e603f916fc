"""Words before music: lyric sheets written from an idea, and a short style boosted into a
richer one. Both come from the local engine's own text stage, so what is offered here is
what the engine sings and reads.

The API's lyrics task (`POST /api/v1/lyrics`) is a row fulfilled by a job, as the vendors
answer with a taskId and call back once; the create form asks for sheets directly (they
take milliseconds) and keeps nothing. The engine's text stage draws with numpy, so it is
imported by the call that writes, never by a web process at start.

The task lives as every request a worker fulfils (library/claims.py): its job claims it, it
is ended once, and `lyrics_finished` is sent in the transaction that ends it (the API owes
its callback there). A task whose job was lost or whose worker died is given to a new job by
the reaper, once; lost again, it fails saying so.
"""
from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal

from studio.library import claims

from .models import LyricsStatus, LyricsTask

# Sent (task=...) once a lyrics task is final, in the transaction that ended it.
lyrics_finished = Signal()
GAVE_UP = ("Studio stopped while writing these lyrics, and again on a second try; "
           "ask for them again.")

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


def create(owner, idea: str, *, param: dict, callback_url: str = "",
           engine: str = "local") -> LyricsTask:
    """A lyrics task for `owner`, written by `engine`, its job queued once the row is
    committed."""
    with transaction.atomic():
        task = LyricsTask.objects.create(owner=owner, prompt=idea, param=param,
                                         callback_url=callback_url, engine=engine)
        transaction.on_commit(lambda: enqueue(task.pk))
    return task


def enqueue(task_id) -> None:
    from studio import delayed

    delayed.run("studio.generation.tasks.write_lyrics", str(task_id),
                task_name=f"write_lyrics-{task_id}", sync=settings.JOBS_SYNC)


def write(task_id) -> bool:
    """The job: write the task's sheets; True if this call ended it. A task of a v1 vendor
    is written there, one step per run (connections/derived.py)."""
    from studio.connections import derived as vendor_derived

    by_vendor = vendor_derived.lyrics(task_id)
    if by_vendor is not None:
        return by_vendor is True
    return fulfil(task_id)


def fulfil(task_id) -> bool:
    """Write the task's sheets locally. Safe to call twice: only the call that claims it
    writes, and ends it (library/claims.py). The writer's failure is told to the client, as
    the vendors do."""
    return claims.fulfil(LyricsTask, task_id, lambda task: {"variants": sheets(task.prompt)},
                         failed=LyricsStatus.GENERATE_LYRICS_FAILED,
                         words="The lyrics could not be written", finished=announce)


def reap() -> int:
    """Give lyrics tasks whose job was lost (or whose worker died) to a new job, once, and fail
    those lost again (claims.reap); how many."""
    return claims.reap(LyricsTask, failed=LyricsStatus.GENERATE_LYRICS_FAILED, words=GAVE_UP,
                       finished=announce, again=enqueue)


def announce(task_id) -> None:
    """Send `lyrics_finished` for a task that has just ended."""
    lyrics_finished.send(sender=LyricsTask, task=LyricsTask.objects.get(pk=task_id))
