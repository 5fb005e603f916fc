"""What a vendor derives from a take it made, asked of that vendor:
- the word timings (`get-timestamped-lyrics`, suno_api.md §2 row 12), kept in the take's
  analysis in the shape the local engine records, so karaoke, LRC and Studio's own API read
  both alike; the vendor is asked once per take;
- the WAV (`wav/generate`, rows 18-19): the vendor's lossless master, copied into Studio's
  storage as the track's WAV;
- the stems (`vocal-removal/generate`, rows 14-15), kept as FLAC beside the track (and the
  vendor's MP3 of each, which the API's stem links serve, tagged);
- for an owner whose default engine is a v1 vendor, API lyrics (`lyrics`, rows 10-11);
- the MIDI (`midi/generate`, rows 16-17), made from the vendor's separation of the take (sent
  first when there is none) and kept beside the track as the local engine's MIDI is.

Each vendor task is sent once (a marker before the call, as for songs) and then followed by
its record-info at the poll steps, one short job per look, so no worker waits; the vendor's
callback only makes Studio look at once."""
from __future__ import annotations

import io
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.db import transaction
from django.dispatch import Signal
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


def default_connection(user):
    """The user's default connection when it is a v1 vendor, else None: it serves their
    words requests (style boost, lyrics) as it serves their songs."""
    from .capability import default_for

    connection = default_for(user)
    return connection if connection is not None and connection.dialect == "v1" else None


def default_engine(user):
    connection = default_connection(user)
    return connection.engine() if connection is not None else None


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
WAV_FAILED = ("CREATE_TASK_FAILED", "GENERATE_WAV_FAILED")


def wav(conversion_id) -> bool | str | None:
    """One step of a vendor take's WAV conversion: None when the track is not a v1 vendor's
    take (the local conversion applies), WAITING while the vendor works (the next step is
    queued, no worker waits), else whether this step finished it. The vendor's WAV is its
    lossless master, better than decoding the kept MP3; if the vendor fails or takes longer
    than STUDIO_UPSTREAM_DEADLINE, the kept MP3 is decoded instead, so a WAV always comes."""
    from studio.library import claims, wavs
    from studio.library.models import WavConversion, WavStatus

    conversion = (WavConversion.objects.select_related("track__generation")
                  .filter(pk=conversion_id, status=WavStatus.PENDING).first())
    if conversion is None:
        return False
    track = conversion.track
    engine = vendor_engine(track)
    if engine is None:
        return None

    def finish(name: str) -> bool:
        Track.objects.filter(pk=track.pk).update(wav=name)
        return claims.finish(WavConversion, conversion.pk, wavs.announce,
                             status=WavStatus.SUCCESS, file_name=name)

    return _step("wav", conversion, claim={"claimed_at": timezone.now()},
                 submit=lambda url: engine.wav_submit(
                     track.generation.engine_task_id, track.engine_id, url),
                 status=engine.wav_status, keep=lambda url: _keep_wav(track, url), finish=finish,
                 fail=lambda why, flag: _wav_locally(conversion, why), failed=WAV_FAILED)


# The job each kind of vendor task moves by, one step per run.
STEPS = {"wav": "studio.library.tasks.make_wav", "stems": "studio.generation.tasks.run_stems",
         "lyrics": "studio.generation.tasks.write_lyrics"}
STEPS["midi"] = "studio.connections.tasks.vendor_midi"
CALLBACK_SALT = "studio.connections.derived.callback"


def callback_token(kind: str, row_id) -> str:
    return signing.dumps(f"{kind}:{row_id}", salt=CALLBACK_SALT)


def step_for_token(token: str) -> tuple[str, str] | None:
    """(job, row id) a derived task's callback token names, or None."""
    try:
        kind, _, row_id = signing.loads(token, salt=CALLBACK_SALT).partition(":")
    except signing.BadSignature:
        return None
    return (STEPS[kind], row_id) if kind in STEPS else None


def _callback_url(kind: str, row) -> str:
    # The vendor's callback only makes Studio look now instead of at the next poll: it reads
    # the result from the vendor with its own key, so a forged one can change nothing.
    return settings.STUDIO_BASE_URL.rstrip("/") + reverse(
        "connections:derived_callback", args=[callback_token(kind, row.pk)])


SEND, SENDING, LOST = "send", "sending", "lost"


def _claim_send(model, row, **also) -> str:
    """SEND: this step marked the row sent and must send it now. SENDING: another step is
    sending it (a vendor's quick callback can come before its answer is saved). LOST: it was
    sent long enough ago that its answer will never be saved (a worker died mid-call): it
    must not be sent again blindly, as the vendor may have charged."""
    now = timezone.now()
    if model.objects.filter(pk=row.pk, vendor_sent_at__isnull=True).update(vendor_sent_at=now,
                                                                           **also):
        row.vendor_sent_at = now
        return SEND
    sent = model.objects.filter(pk=row.pk).values_list("vendor_sent_at", flat=True).first()
    patience = settings.STUDIO_UPSTREAM_TIMEOUT + 30
    if sent is not None and (now - sent).total_seconds() > patience:
        return LOST
    return SENDING


def _elapsed(row) -> float:
    sent = row.vendor_sent_at or timezone.now()
    return (timezone.now() - sent).total_seconds()


def _overdue(row) -> bool:
    return _elapsed(row) > settings.STUDIO_UPSTREAM_DEADLINE


def _again(kind: str, row) -> str:
    """Look again after the poll step for how long the vendor has had it (2, 4, 8… s)."""
    steps = settings.STUDIO_UPSTREAM_POLL
    elapsed, waited = _elapsed(row), 0.0
    step = steps[-1]
    for candidate in steps:
        waited += candidate
        if waited > elapsed:
            step = candidate
            break
    delayed.run_at(time.time() + step, STEPS[kind], str(row.pk),
                   task_name=f"{kind}-{row.pk}-{int(elapsed)}")
    return WAITING


def _wav_locally(conversion, why: str) -> bool:
    from studio.library import wavs

    log.warning("WAV %s made from the kept audio instead of by the vendor: %s",
                conversion.pk, why)
    return wavs.convert(conversion.pk, claimed=True)  # this step holds it, as it was sent


def _fetch(url: str, field: str, fetch=outbound.fetch_audio):
    """The vendor's file at `url`, through the outbound guard (capped, sniffed as audio, or
    as `fetch` sniffs)."""
    try:
        outbound.check_url(url, field)
        fileobj, _name = fetch(url, field)
    except outbound.OutboundError as error:
        if error.code in (413, 422):
            raise Unkeepable(error.message) from None
        raise NotYet(error.message) from None
    return fileobj


def _keep_wav(track: Track, url: str) -> str:
    """The vendor's WAV downloaded into the track's storage; its name there."""
    fileobj = _fetch(url, "audioWavUrl")
    with fileobj:
        head = fileobj.read(16)
        fileobj.seek(0)
        if sniff(head) != "wav":
            raise Unkeepable("the vendor's WAV is not a WAV file")
        name = f"{track.folder}/vendor-master.wav"
        storage = track.audio.storage
        storage.delete(name)
        return storage.save(name, File(fileobj))


# -- stems: /api/v1/vocal-removal/generate at the vendor, for a take it made ------------------

STEM_FAILED = ("CREATE_TASK_FAILED", "GENERATE_AUDIO_FAILED")


def stems(stems_id) -> bool | str | None:
    """One step of a vendor take's separation (as `wav`): None when the track is not a v1
    vendor's take (the local engine separates it). The vendor's stems are decoded and kept as
    FLAC beside the track (`stem-<name>.flac`), so the stem player, the ZIP and the API's links
    treat them as the local engine's; the API's MP3 of each is the vendor's own (`_keep_stem`).
    A vendor failure fails the request with its words."""
    from studio.generation import derive
    from studio.library.models import Stems

    row = (Stems.objects.select_related("track__generation")
           .filter(pk=stems_id, status=Stems.Status.PENDING).first())
    if row is None:
        return False if Stems.objects.filter(pk=stems_id).exists() else None
    track = row.track
    engine = vendor_engine(track)
    if engine is None:
        return None

    def end(**fields) -> bool:
        with transaction.atomic():  # what stems_finished writes comes with the end
            won = Stems.objects.filter(pk=row.pk, status=Stems.Status.PENDING).update(
                completed_at=timezone.now(), **fields)
            if won:
                derive.stems_finished.send(sender=Stems, stems=Stems.objects.select_related(
                    "track").get(pk=row.pk))
        return bool(won)

    return _step("stems", row, claim={"claimed_at": timezone.now()},
                 submit=lambda url: engine.stems_submit(
                     track.generation.engine_task_id, track.engine_id, row.kind, url),
                 status=engine.stems_status, keep=lambda urls: {
                     name: _keep_stem(track, name, url) for name, url in urls.items()},
                 finish=lambda files: end(status=Stems.Status.SUCCESS, files=files),
                 fail=lambda why, flag: end(
                     status=Stems.Status.GENERATE_AUDIO_FAILED, error_message=(
                         f"The vendor that made this take could not separate it: {why}")[:500]),
                 failed=STEM_FAILED)


def _keep_stem(track: Track, name: str, url: str) -> str:
    """One vendor stem, decoded and kept as FLAC in the track's folder; its file name. The
    vendor's file itself is kept too when it is an MP3 (as the vendors' are): the API's MP3
    of the stem is made from it (library/stems.py `mp3_of`), not coded a second time."""
    import tempfile

    import numpy as np
    import soundfile
    from django.core.files.base import ContentFile

    from studio.audio import DecodeError, decode
    from studio.library import stems

    fileobj = _fetch(url, f"the vendor's {name} stem")
    with fileobj, tempfile.NamedTemporaryFile(suffix=".audio") as tmp:
        content = fileobj.read()
        tmp.write(content)
        tmp.flush()
        try:
            samples, rate = decode(tmp.name)
        except DecodeError:
            raise Unkeepable(f"the vendor's {name} stem could not be decoded") from None
    buffer = io.BytesIO()
    soundfile.write(buffer, np.ascontiguousarray(np.atleast_2d(samples).T), rate,
                    subtype="PCM_16", format="FLAC")
    filename = f"stem-{name}.flac"
    storage = track.audio.storage
    storage.delete(f"{track.folder}/{filename}")
    storage.save(f"{track.folder}/{filename}", ContentFile(buffer.getvalue()))
    vendors = f"{track.folder}/stem-{name}.mp3"
    storage.delete(vendors)
    if sniff(content[:16]) == "mp3":
        storage.save(vendors, ContentFile(content))
    stems.drop_mp3s(track, name)
    return filename


# -- lyrics: /api/v1/lyrics at the vendor, for an owner whose default engine it is ------------

LYRICS_FAILED = ("CREATE_TASK_FAILED", "GENERATE_LYRICS_FAILED", "SENSITIVE_WORD_ERROR")


def lyrics(task_id) -> bool | str | None:
    """One step of a lyrics task its owner's v1 vendor writes (as `wav`): None for a task the
    local writer fulfils. The vendor's sheets are kept on the task; its failure is the task's,
    with the vendor's status (SENSITIVE_WORD_ERROR stays that)."""
    from studio.generation import writing
    from studio.generation.models import LyricsStatus, LyricsTask
    from studio.library import claims

    task = LyricsTask.objects.filter(pk=task_id, status=LyricsStatus.PENDING).first()
    if task is None:
        return False if LyricsTask.objects.filter(pk=task_id).exists() else None
    if task.engine == "local":
        return None
    connection = connection_for(task.engine)

    def finish(**fields) -> bool:
        return claims.finish(LyricsTask, task.pk, writing.announce, **fields)

    def fail(why: str, flag: str | None) -> bool:
        # The vendor's own failure word where it has one; a refusal of another kind is a
        # refusal; Studio giving up (too long, lost) is a failure to write.
        status = (flag if flag in LYRICS_FAILED else LyricsStatus.GENERATE_LYRICS_FAILED
                  if flag is None else LyricsStatus.CREATE_TASK_FAILED)
        return finish(status=status, error_message=f"The vendor could not write the lyrics: "
                                                   f"{why}"[:500])

    if connection is None or connection.dialect != "v1":
        return fail("its connection was removed", LyricsStatus.CREATE_TASK_FAILED)
    engine = connection.engine()
    return _step("lyrics", task, claim={"claimed_at": timezone.now()},
                 submit=lambda url: engine.lyrics_submit(task.prompt, url),
                 status=engine.lyrics_status, keep=lambda sheets: sheets,
                 finish=lambda sheets: finish(status=LyricsStatus.SUCCESS, variants=sheets),
                 fail=fail, failed=LYRICS_FAILED)


# -- music video and cover art: /api/v1/mp4/* and /api/v1/suno/cover/* at the vendor ----------
# A v1 vendor's take gets its vendor's video and images, copied into the track's folder and
# offered as Studio's own (library/videos.py, library/cover_art.py, which call these first).
# A local take, or one of a legacy vendor (which has no such endpoints), stays local. A vendor
# failure fails the request with the vendor's words; nothing kept before is touched (earlier
# videos, covers and images have other names).

STEPS.update(video="studio.library.tasks.make_video",
             cover_art="studio.library.tasks.draw_cover_art")
IMAGES_KEPT = 4  # the vendors draw "usually 2"; more are not fetched
IMAGE_HEADS = (b"\xff\xd8\xff", b"\x89PNG", b"RIFF")  # JPEG, PNG, WebP (RIFF....WEBP)


def video(video_id) -> bool | str | None:
    """One step of a music video (as `stems`): None when the track is not a v1 vendor's take
    (Studio renders it), WAITING while the vendor works, else whether this step ended it. The
    vendor's MP4 becomes `video-<id>.mp4`, as a rendered one."""
    from studio.library import videos
    from studio.library.models import MusicVideo, VideoStatus

    row = MusicVideo.objects.select_related("track__generation").filter(
        pk=video_id, status=VideoStatus.PENDING).first()
    engine = vendor_engine(row.track) if row is not None else None
    if engine is None:
        return None if row is not None else False
    track = row.track
    return _follow("video", row, videos.announce, "make its video", submit=lambda url: (
        engine.mp4_submit(track.generation.engine_task_id, track.engine_id, url,
                          author=row.author, domain_name=row.domain_name)),
        status=engine.mp4_status, keep=lambda url: _keep_video(row, url),
        generate_failed=VideoStatus.GENERATE_MP4_FAILED)


def cover_art(task_id) -> bool | str | None:
    """One step of new cover art (as `video`). The vendor draws one cover task per music task:
    a later request for a take of the same task follows that task again (its images are
    copied again) rather than being refused by the vendor; after a failed one it is sent, and
    the vendor's answer stands."""
    from studio.library import cover_art as art
    from studio.library.models import CoverArt, CoverArtStatus

    row = CoverArt.objects.select_related("track__generation").filter(
        pk=task_id, status=CoverArtStatus.PENDING).first()
    engine = vendor_engine(row.track) if row is not None else None
    if engine is None:
        return None if row is not None else False
    generation = row.track.generation
    earlier = (CoverArt.objects.filter(track__generation=generation, status__in=(
        CoverArtStatus.PENDING, CoverArtStatus.SUCCESS)).exclude(vendor_task_id="")
        .values_list("vendor_task_id", flat=True).first())
    return _follow("cover_art", row, art.announce, "draw its cover art", submit=lambda url: (
        earlier or engine.cover_submit(generation.engine_task_id, url)),
        status=engine.cover_status, keep=lambda urls: _keep_images(row, urls),
        generate_failed=CoverArtStatus.GENERATE_COVER_FAILED)


def _follow(kind: str, row, finished, doing: str, *, submit, status, keep,
            generate_failed: str) -> bool | str | None:
    """One step of a feature task Studio also makes itself (video, cover art): `_step`, with
    the row ended through library/claims.py, so `finished` (its signal: the API's callback)
    is told once. None when the vendor answers the request 404 (it does not offer the
    feature, or no longer has the take): the row is left unclaimed for Studio to make it, as
    for a local take."""
    from studio.library import claims

    model = type(row)

    def fail(why: str, flag: str | None) -> bool:
        failed = flag if flag == "CREATE_TASK_FAILED" else generate_failed
        return claims.finish(model, row.pk, finished, status=failed, error_message=(
            f"The vendor that made this take could not {doing}: {why}")[:500])

    return _step(kind, row, claim={"claimed_at": timezone.now()}, submit=submit,
                 status=status, keep=keep, failed=("CREATE_TASK_FAILED", generate_failed),
                 finish=lambda fields: claims.finish(model, row.pk, finished, status="SUCCESS",
                                                     **fields),
                 fail=fail, ours_if_unknown=True)


def _step(kind: str, row, *, submit, status, keep, finish, fail, failed, claim=None,
          ours_if_unknown: bool = False) -> bool | str | None:
    """One step of any task at the vendor: sent once (`submit(callback URL)` gives the
    vendor's task id), then its record-info read at the poll steps (`status(vendor task)` →
    flag, result, message) until the result is there, when `keep(result)` copies it into
    Studio and `finish(kept)` ends the row. `fail(why, flag)` ends it failed: `flag` is the
    vendor's word (a status in `failed`, or a refusal's), None when Studio gave up (an answer
    lost, too long, a file it cannot keep). WAITING while the vendor works. With
    `ours_if_unknown`, a 404 to the request (no such feature there, or the take expired)
    leaves the row unsent and answers None: Studio makes it itself."""
    model = type(row)
    if not row.vendor_task_id:
        sending = _claim_send(model, row, **(claim or {}))
        if sending != SEND:
            return fail("its answer to the request was lost; ask again", None) \
                if sending == LOST else WAITING
        try:
            vendor_task = submit(_callback_url(kind, row))
        except VendorError as error:  # refused or unanswered: it made nothing to follow
            # (The caller has sent it again already where the vendor said it made nothing.)
            if ours_if_unknown and error.code == 404:
                model.objects.filter(pk=row.pk).update(
                    vendor_sent_at=None, **dict.fromkeys(claim or (), None))
                return None
            return fail(error.message, error.status)
        model.objects.filter(pk=row.pk).update(vendor_task_id=vendor_task)
        return _again(kind, row)
    try:
        flag, result, message = status(row.vendor_task_id)
    except VendorError as error:
        if error.retry and not _overdue(row):
            return _again(kind, row)
        return fail(error.message, None)
    # CALLBACK_EXCEPTION: the vendor could not call someone back; what it made is still read.
    if flag in failed:
        return fail(message or flag, flag)
    if flag == "CALLBACK_EXCEPTION" and not result:  # nothing made that can be read
        return fail(message or flag, None)
    if flag not in ("SUCCESS", "CALLBACK_EXCEPTION") or not result:
        return fail("it took too long", None) if _overdue(row) else _again(kind, row)
    try:
        kept = keep(result)
    except (Unkeepable, NotYet) as problem:
        if isinstance(problem, NotYet) and not _overdue(row):
            return _again(kind, row)
        return fail(str(problem), None)
    return finish(kept)


def _keep_video(row, url: str) -> dict:
    """The vendor's MP4 copied into the track's folder, once PyAV has read a picture from it
    (a video stream that decodes, not only an MP4's first bytes); the row's fields."""
    import functools
    import shutil
    import tempfile

    import av

    fetch = functools.partial(outbound.fetch, accepts=lambda head: head[4:8] == b"ftyp",
                              refusal="is not an MP4 file",
                              limit_mb=settings.STUDIO_VENDOR_VIDEO_MAX_MB)
    fileobj = _fetch(url, "the vendor's video", fetch)
    track = row.track
    with fileobj, tempfile.NamedTemporaryFile(suffix=".mp4") as tmp:
        shutil.copyfileobj(fileobj, tmp)
        tmp.flush()
        try:
            with av.open(tmp.name) as container:
                if not container.streams.video:
                    raise Unkeepable("the vendor's video has no picture")
                next(container.decode(video=0))
        except (av.error.FFmpegError, StopIteration):
            raise Unkeepable("the vendor's video could not be read as an MP4") from None
        tmp.seek(0)
        name = f"{track.folder}/video-{row.pk.hex}.mp4"
        storage = track.audio.storage
        storage.delete(name)
        return {"file_name": storage.save(name, File(tmp)), "progress": 1.0}


def _keep_images(row, urls: list[str]) -> dict:
    """The vendor's images (at most IMAGES_KEPT) kept as the local ones are: JPEGs named
    `cover-art-<id>-<n>.jpg`, a JPEG byte for byte, another image Pillow reads converted. An
    image Pillow cannot read is not kept."""
    import functools

    from PIL import Image, UnidentifiedImageError

    from studio.library import cover_art, covers

    fetch = functools.partial(outbound.fetch, accepts=lambda head: head.startswith(IMAGE_HEADS),
                              refusal="is not an image (JPEG, PNG or WebP)")
    files = []
    for number, url in enumerate(urls[:IMAGES_KEPT], start=1):
        with _fetch(url, f"the vendor's image {number}", fetch) as fileobj:
            content = fileobj.read()
        try:
            with Image.open(io.BytesIO(content)) as image:
                image.load()
                if image.format != "JPEG":
                    content = covers.jpeg(image)
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
            raise Unkeepable(f"the vendor's image {number} could not be read") from None
        files.append(cover_art.keep_image(row, number, content))
    return {"files": files}


# -- MIDI: /api/v1/midi/generate at the vendor, from its separation of a take it made ---------

# The vendors' midiData is in seconds with no tempo: the file's beat grid is the tempo Studio
# hears in the take, else this one; each note keeps its time (to a 960th of a second).
MIDI_TEMPO = 120.0
MIDI_FAILED = {2: "CREATE_TASK_FAILED", 3: "GENERATE_MIDI_FAILED"}
# Sent (track=...) once a vendor's MIDI request has ended, made or failed: the API's MIDI tasks
# waiting on it call back.
midi_finished = Signal()


def ask_midi(owner, track: Track, stems=None):
    """A MIDI request for a v1 vendor's finished take, queued (one still pending is reused);
    `stems`: the separation it is made from, when the caller named one."""
    from .models import VendorMidi

    # A request no job moves any more (its separation and its MIDI each had the vendor
    # deadline) is given up, so the creator can ask again. It sends no midi_finished: what
    # waited on it (an API MIDI task) waits for the request made now instead.
    stale = timezone.now() - timedelta(seconds=2 * settings.STUDIO_UPSTREAM_DEADLINE + 60)
    VendorMidi.objects.filter(track=track, status=VendorMidi.Status.PENDING,
                              created_at__lt=stale).update(
        status=VendorMidi.Status.GENERATE_MIDI_FAILED, completed_at=timezone.now(),
        error_message="Studio stopped waiting for the vendor's MIDI; ask again.")
    pending = VendorMidi.objects.filter(track=track, status=VendorMidi.Status.PENDING).first()
    if pending is not None:
        return pending
    row = VendorMidi.objects.create(owner=owner, track=track, stems=stems)
    transaction.on_commit(lambda: delayed.run(STEPS["midi"], str(row.pk), sync=settings.JOBS_SYNC,
                                              task_name=f"midi-{row.pk}"))
    return row


def latest_midi(track: Track):
    from .models import VendorMidi

    return VendorMidi.objects.filter(track=track).first()


def midi_context(track: Track) -> dict:
    """What the track page's MIDI card shows: whether the notes are there to draw (a local
    take's are written when asked), and a vendor take's latest MIDI request."""
    from studio.generation import derive

    local = track.generation.engine == "local"
    return {"midi_ready": local or derive.midi_kept(track) is not None,
            "midi_task": None if local else latest_midi(track)}


def midi(midi_id) -> bool | str:
    """One step of a vendor take's MIDI (as `stems`): first the vendor's separation of the
    take it is made from (an earlier one reused, else asked for and waited on), then the MIDI
    asked of the vendor and followed on its record-info; the notes are written to the track's
    Standard MIDI File by the local engine's writer. A vendor failure fails the request."""
    from studio.generation import derive

    from .models import VendorMidi

    row = (VendorMidi.objects.select_related("track__generation", "stems", "owner")
           .filter(pk=midi_id, status=VendorMidi.Status.PENDING).first())
    if row is None:
        return False
    track = row.track

    def end(**fields) -> bool:
        with transaction.atomic():  # what midi_finished writes comes with the end
            ended = bool(VendorMidi.objects.filter(pk=row.pk, status=VendorMidi.Status.PENDING)
                         .update(completed_at=timezone.now(), **fields))
            if ended:
                midi_finished.send(sender=VendorMidi, track=track)
        return ended

    def fail(why: str, status: str = VendorMidi.Status.GENERATE_MIDI_FAILED) -> bool:
        return end(status=status, error_message=f"The vendor that made this take could not "
                                                f"write its MIDI: {why}"[:500])

    engine = vendor_engine(track)
    if engine is None:
        return fail("its connection was removed", VendorMidi.Status.CREATE_TASK_FAILED)
    separation = row.stems
    if separation is None or (separation.status != separation.Status.PENDING
                              and not separation.vendor_task_id):
        # None named yet, or a copy of kept stems (a repeated request): the vendor's own.
        separation = _separation_for(row)
    if separation.status == separation.Status.PENDING:
        return _again("midi", row)
    if separation.status != separation.Status.SUCCESS or not separation.vendor_task_id:
        return fail("the separation it is made from failed ("
                    f"{separation.error_message or 'not made by the vendor'})")

    def kept(result: dict) -> bool:
        derive.keep_midi(track, midi_data(result["instruments"], **_heard(track)))
        return end(status=VendorMidi.Status.SUCCESS)

    return _step("midi", row, submit=lambda url: engine.midi_submit(
        separation.vendor_task_id, url), status=lambda task: _midi_status(engine, task),
        keep=_with_notes, finish=kept, fail=lambda why, flag: fail(
            why, flag if flag in MIDI_FAILED.values() else
            VendorMidi.Status.GENERATE_MIDI_FAILED), failed=tuple(MIDI_FAILED.values()))


def _midi_status(engine, vendor_task: str) -> tuple[str, dict | None, str]:
    """The vendor's MIDI record-info in the words of the other tasks' (its successFlag is a
    number: 0 pending, 1 made, 2 refused, 3 failed)."""
    flag, instruments, message = engine.midi_status(vendor_task)
    if flag == 1:
        return "SUCCESS", {"instruments": instruments}, message
    word = MIDI_FAILED.get(flag, "PENDING")
    return word, None, message or (f"successFlag {flag}" if flag in MIDI_FAILED else "")


def _with_notes(result: dict) -> dict:
    if not any(part["notes"] for part in result["instruments"]):
        raise Unkeepable("its MIDI holds no notes (the vendors find none in some separations)")
    return result


def on_stems_finished(sender, stems, **kwargs) -> None:
    """A separation finished: the MIDI requests waiting on it take their next step now
    rather than at their next look."""
    from .models import VendorMidi

    for pk in VendorMidi.objects.filter(stems=stems, status=VendorMidi.Status.PENDING,
                                        vendor_task_id="").values_list("pk", flat=True):
        # On commit: the separation ends in a transaction, which the step must find ended.
        transaction.on_commit(lambda pk=pk: delayed.run(
            STEPS["midi"], str(pk), sync=settings.JOBS_SYNC, task_name=f"midi-{pk}"))


def _separation_for(row):
    """The vendor separation `row`'s MIDI is made from: the take's latest one the vendor made
    (two stems preferred), else one being made, else a new one asked for (separate_vocal: the
    vendors' MIDI reads a split_stem separation poorly)."""
    from studio.generation import derive
    from studio.library.models import Stems

    from .models import VendorMidi

    made = (Stems.objects.filter(track=row.track).exclude(vendor_task_id="")
            .exclude(status__in=(Stems.Status.CREATE_TASK_FAILED,
                                 Stems.Status.GENERATE_AUDIO_FAILED))
            .order_by("-status", "kind", "-created_at"))  # SUCCESS before PENDING
    separation = made.first() or Stems.objects.filter(
        track=row.track, status=Stems.Status.PENDING).first()
    if separation is None:
        separation = derive.request(row.owner, row.track, Stems.Kind.SEPARATE_VOCAL)
    VendorMidi.objects.filter(pk=row.pk).update(stems=separation)
    return separation


def midi_data(instruments: list[dict], tempo: float = MIDI_TEMPO, key: str | None = None,
              mode: str | None = None) -> dict:
    """The vendor's instruments (engines/upstream_v1.py `midi_instruments`) in the shape the
    local engine's `parts()` gives, so one writer, the piano roll and the API read both: a
    General MIDI program guessed from each part's name, drums on their own channel; `tempo`,
    `key` and `mode` as Studio heard the take (`_heard`)."""
    from studio.engines.local.midi import PROGRAMS, VOICE

    out = []
    for part in instruments:
        words = part["name"].lower()
        drums = any(w in words for w in ("drum", "percussion", "kit"))
        voice = any(w in words for w in ("vocal", "voice", "sing"))
        program = VOICE if voice else next(
            (number for name, number in PROGRAMS.items() if name.replace("_", " ") in words), 0)
        out.append({"name": part["name"], "instrument": words, "program": program,
                    "drums": drums, "notes": sorted(part["notes"], key=lambda n: (
                        n["start"], n["pitch"])), "lyrics": []})
    return {"tempo": tempo, "beats_per_bar": 4, "key": key, "mode": mode,
            "instruments": out, "source": "vendor"}


def _heard(track: Track) -> dict:
    """The take's tempo and key as the local engine hears an upload's: the vendors' midiData
    has neither, and with them the MIDI's bars and key signature fit the song (its notes keep
    their times whatever the tempo). Nothing when the take cannot be heard (120 bpm, no key)."""
    from studio.audio import DecodeError
    from studio.engines.local.analysis import heard
    from studio.engines.local.style import NOTE_NAMES

    try:
        with track.audio.open("rb") as audio:
            tempo, tonic, mode = heard(audio)
    except (DecodeError, OSError, ValueError) as error:
        log.warning("MIDI of track %s on a 120 bpm grid: its take could not be heard (%s)",
                    track.pk, error)
        return {}
    return {"tempo": round(tempo, 2), "key": NOTE_NAMES[tonic], "mode": mode}
