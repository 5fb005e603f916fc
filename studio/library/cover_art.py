"""New cover art for a track: two images drawn by a worker to choose from, asked for on the
track page ("New cover art") or by `POST /api/v1/suno/cover/generate`.

The images come from studio.art through covers.generated(), as the engine drew the first
cover and as the cover editor's alternatives are drawn: the track's style and mood, a fresh
seed each. They are kept as JPEGs in the track's folder, so the one chosen becomes the cover
byte for byte (Track.replace_cover), and an API client fetches exactly what the page shows.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.dispatch import Signal
from django.utils import timezone

from . import covers
from .models import CoverArt, CoverArtStatus, Track

log = logging.getLogger(__name__)
# Sent (cover_art=...) once a request is final, after its row is saved.
cover_art_finished = Signal()
IMAGES = 2  # the vendors' "usually 2 different styles to choose from"
GAVE_UP = "Studio stopped while drawing these covers; ask for new ones again."


class AlreadyAsked(Exception):
    """The API's one cover task per music task exists already (the vendors answer with it)."""

    def __init__(self, task: CoverArt):
        super().__init__(f"cover art was already asked for track {task.track_id}")
        self.task = task


class NotOffered(Exception):
    """The choice names no image of a finished request."""


def request(owner, track: Track, *, through_api: bool = False, param: dict | None = None,
            base_url: str = "", callback_url: str = "") -> CoverArt:
    """Two new images for `track`, queued once the transaction commits. Through the API
    there is one such task per track (AlreadyAsked names it); on the page, asking while
    images are being drawn returns those."""
    if through_api:
        existing = CoverArt.objects.filter(track=track, through_api=True).first()
        if existing is not None:
            raise AlreadyAsked(existing)
    else:
        drawing = CoverArt.objects.filter(track=track, status=CoverArtStatus.PENDING).first()
        if drawing is not None:
            return drawing
    try:
        with transaction.atomic():
            task = CoverArt.objects.create(owner=owner, track=track, through_api=through_api,
                                           param=param or {}, base_url=base_url,
                                           callback_url=callback_url)
            transaction.on_commit(lambda: enqueue(task.pk))
    except IntegrityError:
        raise AlreadyAsked(CoverArt.objects.get(track=track, through_api=True)) from None
    return task


def enqueue(task_id) -> None:
    from django_q.tasks import async_task

    async_task("studio.library.tasks.draw_cover_art", str(task_id),
               task_name=f"cover-art-{task_id}", sync=settings.JOBS_SYNC)


def draw(task_id) -> bool:
    """Draw and keep the images of a queued request; True if this call finished it."""
    won = CoverArt.objects.filter(pk=task_id, status=CoverArtStatus.PENDING,
                                  claimed_at__isnull=True).update(claimed_at=timezone.now())
    if not won:
        return False
    task = CoverArt.objects.select_related("track").get(pk=task_id)
    track = task.track
    storage = track.audio.storage
    try:
        seeds: list[int] = []
        while len(seeds) < IMAGES:
            seed = covers.fresh_seed()
            if seed not in seeds:
                seeds.append(seed)
        files = []
        for number, seed in enumerate(seeds, start=1):
            name = f"{track.folder}/cover-art-{task.pk.hex}-{number}.jpg"
            storage.delete(name)
            stored = storage.save(name, ContentFile(covers.jpeg(covers.generated(track, seed))))
            files.append(stored.rsplit("/", 1)[-1])
        fields = {"status": CoverArtStatus.SUCCESS, "files": files}
    except Exception as problem:
        log.exception("cover art %s failed", task_id)
        fields = {"status": CoverArtStatus.GENERATE_COVER_FAILED,
                  "error_message": f"The covers could not be drawn: {problem}"[:500]}
    won = CoverArt.objects.filter(pk=task_id, status=CoverArtStatus.PENDING).update(
        completed_at=timezone.now(), **fields)
    if won:
        _finished(task_id)
    return bool(won)


def image_name(task: CoverArt, number: int) -> str:
    """The stored name of image `number` (1-based); NotOffered if there is none."""
    if task.status != CoverArtStatus.SUCCESS or not 1 <= number <= len(task.files):
        raise NotOffered(f"cover art {task.pk} has no image {number}")
    return f"{task.track.folder}/{task.files[number - 1]}"


def choose(task: CoverArt, number: int) -> None:
    """Make image `number` of `task` its track's cover."""
    name = image_name(task, number)
    with task.track.audio.storage.open(name, "rb") as fh:
        task.track.replace_cover(fh.read())
    task.chosen = number
    task.save(update_fields=["chosen"])


def offered(track: Track) -> CoverArt | None:
    """The newest request of the track's, for its page to show (drawing, or the images)."""
    return CoverArt.objects.filter(track=track).order_by("-created_at").first()


def reap() -> int:
    """Fail requests no worker will finish (as videos.reap); how many."""
    limit = timezone.now() - timedelta(seconds=settings.Q_CLUSTER["retry"])
    stuck = CoverArt.objects.filter(status=CoverArtStatus.PENDING).filter(
        models.Q(claimed_at__lt=limit) | models.Q(claimed_at__isnull=True, created_at__lt=limit))
    reaped = 0
    for task_id in list(stuck.values_list("pk", flat=True)):
        if CoverArt.objects.filter(pk=task_id, status=CoverArtStatus.PENDING).update(
                status=CoverArtStatus.GENERATE_COVER_FAILED, error_message=GAVE_UP,
                completed_at=timezone.now()):
            _finished(task_id)
            reaped += 1
    return reaped


def _finished(task_id) -> None:
    cover_art_finished.send(sender=CoverArt, cover_art=CoverArt.objects
                            .select_related("track", "owner").get(pk=task_id))
