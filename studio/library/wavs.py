"""A track's WAV asked for through the API (`/api/v1/wav/generate`): the track's lossless
audio — its stored WAV master, or its audio decoded once to PCM 16-bit, the same file the
library's WAV download serves — kept with the conversion row that names it."""
from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import downloads
from .models import Track, WavConversion, WavStatus


class AlreadyConverted(Exception):
    def __init__(self, conversion: WavConversion):
        super().__init__(f"a WAV already exists for track {conversion.track_id}")
        self.conversion = conversion


def create(owner, track: Track, *, param: dict, base_url: str, callback_url: str = "",
           on_commit=None) -> WavConversion:
    """The track's one conversion; AlreadyConverted when it has one (also under a race)."""
    existing = WavConversion.objects.filter(track=track).first()
    if existing is not None:
        raise AlreadyConverted(existing)
    try:
        with transaction.atomic():
            conversion = WavConversion.objects.create(owner=owner, track=track, param=param,
                                                      base_url=base_url,
                                                      callback_url=callback_url)
            if on_commit is not None:
                transaction.on_commit(lambda: on_commit(conversion.task_id))
    except IntegrityError:
        raise AlreadyConverted(WavConversion.objects.get(track=track)) from None
    return conversion


def convert(conversion_id) -> bool:
    """Make the WAV. Safe to call twice: only the call that moves it from PENDING wins."""
    conversion = (WavConversion.objects.select_related("track")
                  .filter(pk=conversion_id, status=WavStatus.PENDING).first())
    if conversion is None:
        return False
    try:
        fields = {"status": WavStatus.SUCCESS, "file_name": downloads.wav(conversion.track)}
    except Exception as problem:
        fields = {"status": WavStatus.GENERATE_WAV_FAILED,
                  "error_message": f"The WAV could not be made: {problem}"[:500]}
    won = WavConversion.objects.filter(pk=conversion.pk, status=WavStatus.PENDING).update(
        completed_at=timezone.now(), **fields)
    return bool(won)
