"""A track's music video: asked for on the track page or through the API, made by a worker
(studio/video.py draws the frames and encodes them), kept in the track's folder.

A request is a MusicVideo row; its job claims it with a conditional UPDATE, reports its
progress on the row as it encodes (the page shows it), and ends it SUCCESS with the file or
GENERATE_MP4_FAILED with the reason (library/claims.py). `video_finished` then tells whoever
cares (the API's callback). A v1 vendor's take is made into a video by its vendor, and the MP4
is copied in (connections/derived.py): the row ends the same way, so the page, the download
and the API serve either alike."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.dispatch import Signal
from PIL import Image

from studio.audio import decode

from . import claims, timed_lyrics
from .models import MusicVideo, Track, VideoStatus

# Sent (video=...) once a video request is final, after its row is saved.
video_finished = Signal()
AUTHOR_LIMIT = DOMAIN_LIMIT = 50  # characters, as kie documents for author and domainName
GAVE_UP = "Studio stopped while making this video; ask for it again."


def request(owner, track: Track, *, author: str = "", domain_name: str = "",
            param: dict | None = None, base_url: str = "", callback_url: str = "") -> MusicVideo:
    """A new video of `owner`'s `track`, queued once the transaction commits."""
    with transaction.atomic():
        made = MusicVideo.objects.create(owner=owner, track=track, author=author,
                                         domain_name=domain_name, param=param or {},
                                         base_url=base_url, callback_url=callback_url)
        transaction.on_commit(lambda: enqueue(made.pk))
    return made


def being_made(track: Track) -> MusicVideo | None:
    """The track's video still in the works, if any: the page asks for no second one."""
    return MusicVideo.objects.filter(track=track, status=VideoStatus.PENDING).first()


def latest(track: Track) -> MusicVideo | None:
    return MusicVideo.objects.filter(track=track).order_by("-created_at").first()


def shown(track: Track) -> dict:
    """What the track page's video card shows: the newest request, and the newest finished
    video (a failed or running remake does not hide the one there is)."""
    newest = latest(track)
    ready = newest if newest is not None and newest.status == VideoStatus.SUCCESS else (
        MusicVideo.objects.filter(track=track, status=VideoStatus.SUCCESS)
        .order_by("-created_at").first())
    return {"video_task": newest, "video_ready": ready}


def enqueue(video_id) -> None:
    from studio import delayed

    delayed.run("studio.library.tasks.make_video", str(video_id), task_name=f"video-{video_id}",
                sync=settings.JOBS_SYNC)


def make(video_id) -> bool:
    """Render the video of a queued request; True if this call finished it. A v1 vendor's
    take gets its vendor's video instead (connections/derived.py), one step per run."""
    from studio.connections import derived as vendor_derived

    by_vendor = vendor_derived.video(video_id)
    if by_vendor is not None:
        return by_vendor is True
    return claims.fulfil(MusicVideo, video_id, lambda made: {
        "file_name": _render(made), "progress": 1.0},
        failed=VideoStatus.GENERATE_MP4_FAILED, words="The video could not be made",
        finished=announce)


def _render(made: MusicVideo) -> str:
    from studio import video  # numpy: the job's, never a web process's

    track = made.track
    with track.audio.open("rb") as fh:
        samples, rate = decode(fh)
    cover = None
    if track.cover:
        with track.cover.open("rb") as fh, Image.open(fh) as image:
            cover = image.convert("RGB")
    song = video.Song(samples=samples, rate=rate, title=track.title, cover=cover,
                      author=made.author, domain=made.domain_name,
                      lines=timed_lyrics.lines(track))
    last = [0.0]

    def progress(share: float) -> None:
        now = time.monotonic()
        if now - last[0] >= 1.0:  # a row write a second at most, whatever the speed
            last[0] = now
            MusicVideo.objects.filter(pk=made.pk).update(progress=min(share, 0.99))

    storage = track.audio.storage
    name = f"{track.folder}/video-{made.pk.hex}.mp4"
    with tempfile.TemporaryDirectory(prefix="studio-video-") as tmp:
        path = Path(tmp) / "video.mp4"
        video.render(song, path, progress=progress)
        storage.delete(name)
        with open(path, "rb") as fh:
            return storage.save(name, File(fh))


def reap() -> int:
    """Fail video requests no worker or vendor will finish (claims.reap); how many. The page
    then offers to ask again."""
    return claims.reap(MusicVideo, failed=VideoStatus.GENERATE_MP4_FAILED, words=GAVE_UP,
                       finished=announce)


def announce(video_id) -> None:
    """Send `video_finished` for a request that has just ended."""
    video_finished.send(sender=MusicVideo,
                        video=MusicVideo.objects.select_related("track", "owner").get(pk=video_id))

