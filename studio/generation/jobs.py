"""A generation's lifecycle: submit (save, then enqueue on commit), run (claim, call the
engine, store each take, advance the status), fail (clean up, record why).

The worker entry point is `studio.generation.tasks.run_generation`, which calls `run()`.
"""
from __future__ import annotations

import errno
import logging
import re
import secrets
import sqlite3
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db import OperationalError as DatabaseOperationalError
from django_q.exceptions import TimeoutException

from studio import delayed, media, rows
from studio.engines import registry
from studio.engines.base import EngineError, EngineRequest, Plan, SourceAudio, Take
from studio.library import personas
from studio.library.models import Track

from . import streams
from .models import Generation, Status, Upload
from .rules import MODELS, TAKES, GenerationRequest

log = logging.getLogger("studio.jobs")


def submit(*, owner, request: GenerationRequest, source_track: Track | None = None,
           upload: Upload | None = None, second_upload: Upload | None = None,
           client_token: str = "", callback_url: str = "", origin: str = "web",
           engine: str = "") -> Generation:
    """Save a new generation of the validated `request` and queue it: in the same transaction
    when the queue is the database (the ORM broker), else once the transaction commits.

    `client_token` makes a double submit of one form harmless: the second submit finds the
    first generation and returns it instead of making another. `engine` is the local engine
    (the default, STUDIO_ENGINE) or a connection's ("upstream:<id>").
    """
    if client_token:
        existing = Generation.objects.filter(owner=owner, client_token=client_token).first()
        if existing:
            return existing
    # A savepoint only where the twin's race can be lost (a client token is unique per
    # owner): without one, SAVEPOINT and RELEASE were two more statements of every API create.
    try:
        with transaction.atomic(savepoint=bool(client_token)):
            # Acknowledged once committed, not once on disk: SQLite's synchronous=NORMAL, and
            # on PostgreSQL this transaction's own (a disk wait was half of an API create).
            rows.commit_unawaited()
            generation = _GENERATION.save(Generation(
                owner=owner, mode=request.mode, params=request.as_params(), model=request.model,
                seed=secrets.randbelow(2**31), source_track=source_track, upload=upload,
                second_upload=second_upload,
                engine=engine or settings.STUDIO_ENGINE, client_token=client_token,
                callback_url=callback_url, origin=origin,
            ))
            if in_one_transaction := _queue_is_the_database():
                # The job's row commits with the generation's (and an API create's request):
                # there is no moment in which a generation is saved but not queued.
                enqueue(generation.pk, generation.engine)
    except IntegrityError:  # the twin request won the race
        return Generation.objects.get(owner=owner, client_token=client_token)
    if not in_one_transaction:  # a worker must not take a job before its generation commits
        transaction.on_commit(lambda: enqueue(generation.pk, generation.engine))
    return generation


def _queue_is_the_database() -> bool:
    """True when jobs are queued as rows of the default database (the ORM broker), and
    queued for workers rather than run at once (STUDIO_JOBS_SYNC)."""
    return isinstance(delayed.broker(), delayed.ORM) and not settings.JOBS_SYNC


_GENERATION = rows.Insert(Generation)  # written on every create: see studio.rows

# An upstream engine's job only submits (a few seconds); no worker waits for its music.
UPSTREAM_JOB = "studio.connections.tasks.submit_upstream"


def enqueue(generation_id, engine: str | None = None) -> None:
    if engine is None:
        engine = Generation.objects.filter(pk=generation_id).values_list(
            "engine", flat=True).first() or "local"
    job = UPSTREAM_JOB if engine.startswith("upstream:") else \
        "studio.generation.tasks.run_generation"
    delayed.run(job, str(generation_id),
                task_name=f"generation-{generation_id}", sync=settings.JOBS_SYNC)


class _Recorder:
    """The engine's sink: turns its progress into status moves and library tracks."""

    def __init__(self, generation: Generation):
        self.generation = generation
        self.tracks: list[Track] = []

    def planned(self, plan: Plan) -> None:
        self.generation.advance(Status.TEXT_SUCCESS, plan={
            "titles": plan.titles, "styles": plan.styles, "lyrics": plan.lyrics})

    def take(self, take: Take) -> None:
        track = _store_take(self.generation, take)
        self.tracks.append(track)
        if len(self.tracks) == 1:
            self.generation.advance(Status.FIRST_SUCCESS)


def _store_take(generation: Generation, take: Take) -> Track:
    source = generation.source_track
    track = Track(
        id=streams.track_id(generation, take.index),  # the id its stream was listed under
        owner_id=generation.owner_id, generation=generation, variation=take.index,
        title=take.title, style=take.style, lyrics=take.lyrics, duration=take.duration,
        peaks=take.peaks, model_name=take.model_name, analysis=take.analysis,
        engine_id=take.engine_id, parent=source,
        continue_at=generation.request.continue_at,
    )
    files = {"audio": (f"audio{take.audio_path.suffix}", take.audio_path)}
    if take.image_path:
        files["cover"] = (f"cover{take.image_path.suffix}", take.image_path)
    if take.wav_path:
        files["wav"] = ("audio.wav", take.wav_path)
    track.save_with_files(files)
    return track


def engine_request_for(generation: Generation, workdir: Path) -> EngineRequest:
    """The engine request a worker hands over for `generation`, with its source audio (a
    copy in `workdir` when media is not on this machine's disk)."""
    source = second = None
    if generation.upload is not None:
        source = _upload_source(generation.upload, workdir)
        if generation.second_upload is not None:
            second = _upload_source(generation.second_upload, workdir)
    elif generation.source_track is not None:
        track = generation.source_track
        source = SourceAudio(path=media.local_copy(track.audio.storage, track.audio.name, workdir),
                             duration=track.duration,
                             title=track.title, style=track.style, lyrics=track.lyrics,
                             analysis=track.analysis)
    return engine_request(generation.request, seed=generation.seed, workdir=workdir,
                          source=source, stream_dir=streams.stream_dir_for(generation),
                          stream_relay=streams.relay_for(generation),
                          persona=persona_voice(generation), second_source=second)


def _upload_source(upload: Upload, workdir: Path) -> SourceAudio:
    path = media.local_copy(upload.file.storage, upload.file.name, workdir)
    return SourceAudio(path=path, duration=upload.duration, title=upload.name,
                       analysis=upload.analysis)


def persona_voice(generation: Generation) -> dict:
    """The singer of the generation's persona, as kept: from the persona, or, once the
    persona is gone, from a take it sang (so stems and MIDI re-render the same voice)."""
    persona_id = generation.request.persona_id
    if not persona_id:
        return {}
    voice = personas.voice_for(generation.owner_id, persona_id)
    if voice:
        return voice
    for analysis in generation.tracks.values_list("analysis", flat=True):
        if isinstance(analysis, dict) and isinstance(analysis.get("singer"), dict):
            return analysis["singer"]
    return {}


def engine_request(request: GenerationRequest, *, seed: int, workdir: Path,
                   source: SourceAudio | None = None, stream_dir: Path | None = None,
                   stream_relay: dict | None = None, wav: bool = False,
                   persona: dict | None = None,
                   second_source: SourceAudio | None = None) -> EngineRequest:
    """What an engine reads: the validated request with its decisions made (lyrics or an
    idea, the continue point, the model's lengths), and where to put the takes."""
    model = MODELS[request.model]
    return EngineRequest(
        mode=request.mode, model=request.model, seed=seed, workdir=workdir,
        title=request.title, style=request.style, lyrics=request.lyrics, idea=request.idea,
        instrumental=not request.sung, negative_tags=request.negative_tags,
        vocal_gender=request.vocal_gender, style_weight=request.style_weight,
        weirdness_constraint=request.weirdness_constraint, audio_weight=request.audio_weight,
        persona_id=request.persona_id, persona=persona or {}, continue_at=request.continue_at,
        window=(request.infill_start_s, request.infill_end_s)
        if request.infill_end_s is not None else None, full_lyrics=request.full_lyrics,
        target_seconds=request.target_seconds, loop=request.sound_loop,
        tempo=request.sound_tempo, key=request.sound_key, max_seconds=model.max_seconds,
        max_upload_seconds=model.max_upload_seconds, model_name=model.suno_name,
        source=source, second_source=second_source, wav=wav, stream_dir=stream_dir,
        stream_relay=stream_relay,
        fields=request.as_params())


def run(generation_id) -> None:
    """Make the generation's music. Safe to call twice: only one caller claims it."""
    generation = Generation.objects.select_related("source_track", "upload",
                                                   "second_upload").filter(
        pk=generation_id).first()
    if generation is None:
        return
    if not generation.claim():
        # A live worker has it, or it was tried MAX_ATTEMPTS times: either way the reaper looks
        # at it again once no worker can still be making it.
        log.info("generation %s not claimed (held by %r, %s attempts)", generation.pk,
                 generation.claimed_by, generation.attempts)
        return
    if generation.attempts > 1:  # a worker died part-way: start the takes afresh
        _discard(list(generation.tracks.all()))
    recorder = _Recorder(generation)
    streams.sweep(2 * settings.JOB_TIMEOUT)
    started = time.monotonic()
    try:
        engine = registry.get(generation.engine)
        try:
            with tempfile.TemporaryDirectory(prefix="studio-") as workdir:
                engine.generate(engine_request_for(generation, Path(workdir)), recorder)
        finally:
            streams.discard(generation)
        if len(recorder.tracks) < TAKES:
            raise EngineError(f"The engine made {len(recorder.tracks)} of {TAKES} takes.")
    except EngineError as error:
        if words := _trouble_in_words(error):
            log.error("generation %s failed: %s", generation.pk, error.message, exc_info=error)
            _give_up(generation, recorder.tracks, words, code=500)
        else:
            log.warning("generation %s failed: %s", generation.pk, error.message)
            _give_up(generation, recorder.tracks, error.message, code=error.code,
                     status=error.status)
        return
    except Exception as error:
        log.exception("generation %s crashed", generation.pk)
        _give_up(generation, recorder.tracks, _trouble_in_words(error) or CRASHED, code=500)
        return
    except TimeoutException:
        log.error("generation %s stopped by the job timeout (%s s)", generation.pk,
                  settings.JOB_TIMEOUT)
        _give_up(generation, recorder.tracks, _took_too_long(), code=500)
        raise  # django-q2 records the task as failed and replaces this worker
    except BaseException:
        # The worker is being stopped (Ctrl-C, a deploy). Not the song's fault: the claim
        # stays with this exiting process, so the task's redelivery or the reaper retries it.
        _discard(recorder.tracks)
        raise
    if time.monotonic() - started > settings.JOB_TIMEOUT:
        # django-q2's alarm can be lost: raised where Python only prints an exception (a
        # finaliser, a collector callback), it never reaches us. Past its limit, a song fails
        # as the timeout would have failed it, never counting as made.
        log.error("generation %s ran past the job timeout (%s s)", generation.pk,
                  settings.JOB_TIMEOUT)
        _give_up(generation, recorder.tracks, _took_too_long(), code=500)
        return
    generation.advance(Status.SUCCESS)


def _discard(tracks: list[Track]) -> None:
    """A failed generation leaves nothing half-made in the library."""
    for track in tracks:
        track.delete_files()
        track.delete()


def discard_takes(generation: Generation) -> None:
    """Everything an abandoned generation made so far: its tracks and its stream files."""
    _discard(list(generation.tracks.all()))
    streams.discard(generation)


def _give_up(generation: Generation, tracks: list[Track], message: str, **how) -> None:
    try:
        _discard(tracks)
    finally:  # the reason is recorded even when the tracks could not all be removed
        generation.fail(message, **how)


CRASHED = "Studio hit an internal error while making this song; it has been logged."
DISK_FULL = ("Studio's disk is full, so this song could not be saved. Nothing already in "
             "your library was lost; please try again once space has been freed.")
DATABASE_BUSY = ("Studio's database was busy or out of reach, so this song could not be saved. "
                 "Nothing already in your library was lost; please try again in a moment.")
_RAW_ERRNO = re.compile(r"\[Errno (\d+)\]")  # an OSError's text, as the engine's helper sends it


def _took_too_long() -> str:
    minutes = settings.JOB_TIMEOUT / 60
    amount, unit = (minutes, "minute") if minutes >= 1 else (settings.JOB_TIMEOUT, "second")
    limit = f"{amount:g} {unit}" + ("" if amount == 1 else "s")
    return (f"This song took longer than Studio allows ({limit}) to make, so it was stopped. "
            "A shorter song, or a less busy moment, may fit.")


def _trouble_in_words(error: BaseException) -> str | None:
    """What a user can understand of a full disk or a locked database, found anywhere in
    the error's chain of causes (the engine wraps what our sink raises); None otherwise."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            return DISK_FULL
        if isinstance(error, (DatabaseOperationalError, sqlite3.OperationalError)):
            return DISK_FULL if "disk is full" in str(error) else DATABASE_BUSY  # SQLITE_FULL
        if isinstance(error, EngineError):
            found = _RAW_ERRNO.search(error.message)
            if (found and int(found.group(1)) in (errno.ENOSPC, errno.EDQUOT)
                    or "disk is full" in error.message):
                return DISK_FULL
            if "database is locked" in error.message:
                return DATABASE_BUSY
        error = error.__cause__ or error.__context__
    return None
