"""New cover art for a track: two images drawn by a worker to choose from, asked for on the
track page ("New cover art") or by `POST /api/v1/suno/cover/generate`.

The images come from studio.art through covers.generated(), as the engine drew the first
cover and as the cover editor's alternatives are drawn: the track's style and mood, a fresh
seed each. They are kept as JPEGs in the track's folder, so the one chosen becomes the cover
byte for byte (Track.replace_cover), and an API client fetches exactly what the page shows.
A v1 vendor's take gets its vendor's images instead, copied in the same way
(connections/derived.py).
"""
from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.dispatch import Signal

from . import claims, covers
from .models import CoverArt, CoverArtStatus, Track

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
    from studio import delayed

    delayed.run("studio.library.tasks.draw_cover_art", str(task_id),
                task_name=f"cover-art-{task_id}", sync=settings.JOBS_SYNC)


def draw(task_id) -> bool:
    """Draw and keep the images of a queued request; True if this call finished it. A v1
    vendor's take gets its vendor's images instead (connections/derived.py), a step a run."""
    from studio.connections import derived as vendor_derived

    by_vendor = vendor_derived.cover_art(task_id)
    if by_vendor is not None:
        return by_vendor is True
    return claims.fulfil(CoverArt, task_id, lambda task: {"files": _drawn(task)},
                         failed=CoverArtStatus.GENERATE_COVER_FAILED,
                         words="The covers could not be drawn", finished=announce)


def _drawn(task: CoverArt) -> list[str]:
    """IMAGES new covers of distinct seeds, kept in the track's folder; their file names."""
    seeds: list[int] = []
    while len(seeds) < IMAGES:
        seed = covers.fresh_seed()
        if seed not in seeds:
            seeds.append(seed)
    return [keep_image(task, number, covers.jpeg(covers.generated(task.track, seed)))
            for number, seed in enumerate(seeds, start=1)]


def keep_image(task: CoverArt, number: int, jpeg: bytes) -> str:
    """Image `number` of `task` (JPEG bytes) kept in its track's folder; its file name."""
    track = task.track
    storage = track.audio.storage
    name = f"{track.folder}/cover-art-{task.pk.hex}-{number}.jpg"
    storage.delete(name)
    return storage.save(name, ContentFile(jpeg)).rsplit("/", 1)[-1]


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
    """Fail requests no worker or vendor will finish (claims.reap); how many."""
    return claims.reap(CoverArt, failed=CoverArtStatus.GENERATE_COVER_FAILED, words=GAVE_UP,
                       finished=announce)


def announce(task_id) -> None:
    """Send `cover_art_finished` for a request that has just ended."""
    cover_art_finished.send(sender=CoverArt, cover_art=CoverArt.objects
                            .select_related("track", "owner").get(pk=task_id))
