"""What a vendor derives from a take it made, asked of that vendor:
- the word timings (`get-timestamped-lyrics`, suno_api.md §2 row 12), kept in the take's
  analysis in the shape the local engine records, so karaoke, LRC and Studio's own API read
  both alike; the vendor is asked once per take;
- the WAV (`wav/generate`, rows 18-19): the vendor's lossless master, copied into Studio's
  storage as the track's WAV, tracked by polling record-info with no worker waiting."""
from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.urls import reverse
from django.utils import timezone

from studio import delayed
from studio.api import outbound
from studio.engines.upstream import VendorError
from studio.generation.uploads import sniff
from studio.library import timed_lyrics
from studio.library.models import Track

from .keep import NotYet, Unkeepable
from .models import connection_for

log = logging.getLogger("studio.upstream")


def vendor_engine(track: Track):
    """The engine of the v1 connection that made `track`, or None (a local take, a legacy
    vendor, which has no such endpoint, or a connection since removed)."""
    generation = track.generation
    connection = connection_for(generation.engine)
    if connection is None or connection.dialect != "v1":
        return None
    if not (track.engine_id and generation.engine_task_id):
        return None
    return connection.engine()


def timing_pending(track: Track) -> bool:
    """A sung vendor take whose vendor has not been asked for its word timings yet."""
    return (not track.is_instrumental and "lyrics_timing" not in (track.analysis or {})
            and vendor_engine(track) is not None)


def fetch_timing(track: Track) -> bool:
    """Ask the vendor for `track`'s word timings once and keep them; whether it has any now.
    A vendor's failure (VendorError) is raised and nothing is kept, so it is asked again."""
    if timed_lyrics.lines(track):
        return True
    if not timing_pending(track):
        return False
    words = vendor_engine(track).timestamped_lyrics(track.generation.engine_task_id,
                                                    track.engine_id)
    timing = {**timed_lyrics.from_aligned_words(words), "source": "vendor"}
    fresh = Track.objects.get(pk=track.pk)  # merge into what is stored now, not what was read
    track.analysis = {**(fresh.analysis or {}), "lyrics_timing": timing}
    Track.objects.filter(pk=track.pk).update(analysis=track.analysis)
    return bool(timing["lines"])


# -- WAV: /api/v1/wav/generate at the vendor, for a take it made ------------------------------

WAITING = "waiting"
WAV_FAILED = ("CREATE_TASK_FAILED", "GENERATE_WAV_FAILED", "CALLBACK_EXCEPTION")


def wav(conversion_id) -> bool | str | None:
    """One step of a vendor take's WAV conversion: None when the track is not a v1 vendor's
    take (the local conversion applies), WAITING while the vendor works (the next step is
    queued, no worker waits), else whether this step finished it. The vendor's WAV is its
    lossless master, better than decoding the kept MP3; if the vendor fails or takes longer
    than STUDIO_UPSTREAM_DEADLINE, the kept MP3 is decoded instead, so a WAV always comes."""
    from studio.library.models import WavConversion, WavStatus

    conversion = (WavConversion.objects.select_related("track__generation")
                  .filter(pk=conversion_id, status=WavStatus.PENDING).first())
    if conversion is None:
        return False
    track = conversion.track
    engine = vendor_engine(track)
    if engine is None:
        return None
    try:
        if not conversion.vendor_task_id:
            if conversion.vendor_sent_at is not None:  # sent, answer lost: never sent twice
                return _wav_locally(conversion, "the vendor's answer to the WAV request was lost")
            WavConversion.objects.filter(pk=conversion.pk).update(vendor_sent_at=timezone.now())
            vendor_task = engine.wav_submit(track.generation.engine_task_id, track.engine_id,
                                            _wav_callback_url(conversion))
            WavConversion.objects.filter(pk=conversion.pk).update(vendor_task_id=vendor_task)
            return _again(conversion)
        flag, url, message = engine.wav_status(conversion.vendor_task_id)
    except VendorError as error:
        if error.retry and not _overdue(conversion):
            return _again(conversion)
        return _wav_locally(conversion, error.message)
    if flag in WAV_FAILED:
        return _wav_locally(conversion, message or flag)
    if flag != "SUCCESS" or not url:
        return _wav_locally(conversion, "the vendor took too long") if _overdue(conversion) \
            else _again(conversion)
    try:
        name = _keep_wav(track, url)
    except (Unkeepable, NotYet) as problem:
        if isinstance(problem, NotYet) and not _overdue(conversion):
            return _again(conversion)
        return _wav_locally(conversion, str(problem))
    Track.objects.filter(pk=track.pk).update(wav=name)
    return bool(WavConversion.objects.filter(pk=conversion.pk, status=WavStatus.PENDING).update(
        status=WavStatus.SUCCESS, file_name=name, completed_at=timezone.now()))


def wav_callback_token(conversion_id) -> str:
    return signing.dumps(str(conversion_id), salt=WAV_SALT)


def conversion_for_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=WAV_SALT)
    except signing.BadSignature:
        return None


WAV_SALT = "studio.connections.derived.wav"


def _wav_callback_url(conversion) -> str:
    # The vendor's callback only makes Studio look now instead of at the next poll: it reads
    # the result from the vendor with its own key, so a forged one can change nothing.
    return settings.STUDIO_BASE_URL.rstrip("/") + reverse(
        "connections:wav_callback", args=[wav_callback_token(conversion.pk)])


def _elapsed(conversion) -> float:
    sent = conversion.vendor_sent_at or timezone.now()
    return (timezone.now() - sent).total_seconds()


def _overdue(conversion) -> bool:
    return _elapsed(conversion) > settings.STUDIO_UPSTREAM_DEADLINE


def _again(conversion) -> str:
    """Look again after the poll step for how long the vendor has had it (2, 4, 8… s)."""
    steps = settings.STUDIO_UPSTREAM_POLL
    elapsed, waited = _elapsed(conversion), 0.0
    step = steps[-1]
    for candidate in steps:
        waited += candidate
        if waited > elapsed:
            step = candidate
            break
    delayed.run_at(time.time() + step, "studio.api.extras.make_wav", str(conversion.pk),
                   task_name=f"make_wav-{conversion.pk}-{int(elapsed)}")
    return WAITING


def _wav_locally(conversion, why: str) -> bool:
    from studio.library import wavs

    log.warning("WAV %s made from the kept audio instead of by the vendor: %s",
                conversion.pk, why)
    return wavs.convert(conversion.pk)


def _keep_wav(track: Track, url: str) -> str:
    """The vendor's WAV downloaded through the outbound guard (capped, sniffed as audio) into
    the track's storage; its name there."""
    try:
        outbound.check_url(url, "audioWavUrl")
        fileobj, _name = outbound.fetch_audio(url, "audioWavUrl")
    except outbound.OutboundError as error:
        if error.code in (413, 422):
            raise Unkeepable(error.message) from None
        raise NotYet(error.message) from None
    with fileobj:
        head = fileobj.read(16)
        fileobj.seek(0)
        if sniff(head) != "wav":
            raise Unkeepable("the vendor's WAV is not a WAV file")
        name = f"{track.folder}/vendor-master.wav"
        storage = track.audio.storage
        storage.delete(name)
        return storage.save(name, File(fileobj))
