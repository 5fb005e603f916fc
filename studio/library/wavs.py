"""A track's WAV asked for through the API (`/api/v1/wav/generate`): the track's lossless
audio — its stored WAV master, or its audio decoded once to PCM 16-bit, the same file the
library's WAV download serves — kept with the conversion row that names it.

The conversion lives as every request a worker fulfils (claims.py): its job claims it, it is
ended once, and `wav_finished` is sent in the transaction that ends it (the API owes its
callback there). A conversion whose job was lost or whose worker died is given to a new job
by the reaper, once; lost again, it fails saying so. A v1 vendor's take is converted by its
vendor (connections/derived.py), ended the same way."""
from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.dispatch import Signal

from . import claims, downloads
from .models import WAV_FAILED, Track, WavConversion, WavStatus

# Sent (conversion=...) once a conversion is final, in the transaction that ended it.
wav_finished = Signal()
GAVE_UP = "Studio stopped while making this WAV, and again on a second try."


class AlreadyConverted(Exception):
    def __init__(self, conversion: WavConversion):
        super().__init__(f"a WAV already exists for track {conversion.track_id}")
        self.conversion = conversion


def create(owner, track: Track, *, param: dict, base_url: str,
           callback_url: str = "") -> WavConversion:
    """The track's one conversion, its job queued once the row is committed;
    AlreadyConverted when it has one that has not failed (also under a race). A failed one
    stays as it ended, its taskId answering; this is a new one."""
    live = WavConversion.objects.filter(track=track).exclude(status__in=WAV_FAILED)
    if (existing := live.first()) is not None:
        raise AlreadyConverted(existing)
    try:
        with transaction.atomic():
            conversion = WavConversion.objects.create(owner=owner, track=track, param=param,
                                                      base_url=base_url,
                                                      callback_url=callback_url)
            transaction.on_commit(lambda: enqueue(conversion.pk))
    except IntegrityError:
        raise AlreadyConverted(live.get()) from None
    return conversion


def enqueue(conversion_id) -> None:
    from studio import delayed

    delayed.run("studio.library.tasks.make_wav", str(conversion_id),
                task_name=f"make_wav-{conversion_id}", sync=settings.JOBS_SYNC)


def make(conversion_id) -> bool:
    """The job: make the WAV; True if this call ended the conversion. A v1 vendor's take is
    converted by its vendor, one step per run (connections/derived.py)."""
    from studio.connections import derived as vendor_derived

    by_vendor = vendor_derived.wav(conversion_id)
    if by_vendor is not None:
        return by_vendor is True
    return convert(conversion_id)


def convert(conversion_id, *, claimed: bool = False) -> bool:
    """Make the WAV from the kept audio (`claimed`: the caller holds the row, a vendor's
    conversion falling back to it). Safe to call twice: only the call that claims it makes
    it, and ends it (claims.py)."""
    return claims.fulfil(WavConversion, conversion_id,
                         lambda conversion: {"file_name": downloads.wav(conversion.track)},
                         failed=WavStatus.GENERATE_WAV_FAILED, words="The WAV could not be made",
                         finished=announce, claimed=claimed)


def reap() -> int:
    """Give conversions whose job was lost (or whose worker died) to a new job, once, and fail
    those lost again (claims.reap); how many."""
    return claims.reap(WavConversion, failed=WavStatus.GENERATE_WAV_FAILED, words=GAVE_UP,
                       finished=announce, again=enqueue)


def announce(conversion_id) -> None:
    """Send `wav_finished` for a conversion that has just ended."""
    wav_finished.send(sender=WavConversion, conversion=WavConversion.objects.select_related(
        "track").get(pk=conversion_id))
