"""Stems of a finished track: asked for (browser or API), made once by a worker, kept.

The local engine takes apart only songs it composed whole (engines/local/stems.py): a vendor's
take, an upload's cover or added instrumental, or an extension (which holds its source's
audio) cannot be separated exactly, and the request is refused saying so, before anything is
queued."""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from studio.engines.base import EngineError
from studio.library import claims
from studio.library.models import Stems, Track
from studio.library.stems import drop_mp3s, kept, midi_refusal, refusal

log = logging.getLogger(__name__)
# Sent (stems=...) once a stems request is final, in the transaction that saves its row: the
# API owes its callback.
stems_finished = Signal()


class StemsRefused(Exception):
    """The track cannot be taken apart; the message says why, in the creator's words."""


class MidiNotYet(StemsRefused):
    """A vendor's take whose MIDI its vendor has not made yet (it can be asked for)."""


def request(owner, track: Track, kind: str, callback_url: str = "") -> Stems:
    """A stems request for `owner`'s finished `track`: done at once when the track's stems are
    kept, else queued. Raises StemsRefused when the track cannot be separated."""
    problem = refusal(track)
    if problem:
        raise StemsRefused(problem)
    files = kept(track, kind)
    if files:
        with transaction.atomic():  # made and told at once: what is owed comes with it
            stems = Stems.objects.create(owner=owner, track=track, kind=kind, files=files,
                                         status=Stems.Status.SUCCESS, callback_url=callback_url,
                                         claimed_at=timezone.now(), completed_at=timezone.now())
            stems_finished.send(sender=Stems, stems=stems)
        return stems
    stems = Stems.objects.create(owner=owner, track=track, kind=kind, callback_url=callback_url)
    transaction.on_commit(lambda: enqueue(stems.pk))
    return stems


def enqueue(stems_id) -> None:
    from studio import delayed
    delayed.run("studio.generation.tasks.run_stems", str(stems_id),
                task_name=f"stems-{stems_id}", sync=settings.JOBS_SYNC)


def run(stems_id) -> None:
    """Render the track's stems once (claimed by a conditional UPDATE), keep them beside it.
    A vendor's take is separated by its vendor instead, one step per run."""
    from studio.connections import derived as vendor_derived

    if vendor_derived.stems(stems_id) is not None:
        return
    if not claims.claim(Stems, stems_id):
        return
    stems = Stems.objects.select_related("track__generation").get(pk=stems_id)
    track = stems.track
    files = kept(track)
    try:
        if not files:
            files = _make(track)
    except EngineError as problem:
        claims.finish(Stems, stems_id, _finished, status=Stems.Status.GENERATE_AUDIO_FAILED,
                      error_message=problem.message)
        return
    except Exception:
        log.exception("stems %s failed", stems_id)
        claims.finish(Stems, stems_id, _finished, status=Stems.Status.GENERATE_AUDIO_FAILED,
                      error_message="Studio could not make the stems (its log has the "
                                    "details).")
        return
    claims.finish(Stems, stems_id, _finished, status=Stems.Status.SUCCESS, files=files)


STEMS_GAVE_UP = ("Studio stopped while taking this song apart; ask for the stems again.")


def reap_stems() -> int:
    """Fail stems requests no worker or vendor will finish (library/claims.py), so no page
    polls forever; how many. A new request makes them again."""
    return claims.reap(Stems, failed=Stems.Status.GENERATE_AUDIO_FAILED, words=STEMS_GAVE_UP,
                       finished=_finished)


def _finished(stems_id) -> None:
    stems_finished.send(sender=Stems, stems=Stems.objects.select_related("track").get(pk=stems_id))


def _make(track: Track) -> dict[str, str]:
    import numpy as np  # the job's, never a web process's
    import soundfile

    from studio.engines.local.stems import separate

    from .jobs import engine_request_for

    storage = track.audio.storage
    with tempfile.TemporaryDirectory(prefix="studio-stems-") as tmp:
        parts = separate(engine_request_for(track.generation, Path(tmp)), track.variation)
        parts.pop("_mix")
        # the instrumental is every other part, summed exactly
        parts["instrumental"] = np.sum([a for k, a in parts.items() if k != "vocals"], axis=0)
        files = {}
        for name, audio in parts.items():
            path = Path(tmp) / f"stem-{name}.flac"
            # FLAC: lossless, so the stems still sum to the master; half a WAV's size. The
            # API's MP3 of a stem is made when first asked for (library/stems.py `mp3_of`).
            soundfile.write(str(path), np.ascontiguousarray(audio.T), 44100, subtype="PCM_16")
            stored = f"{track.folder}/{path.name}"
            storage.delete(stored)
            with open(path, "rb") as fh:
                storage.save(stored, File(fh))
            drop_mp3s(track, name)
            files[name] = path.name
        return files


# -- MIDI -----------------------------------------------------------------------------------

MIDI_DATA, MIDI_FILE = "midi.json", "song.mid"


def midi_for(track: Track) -> dict:
    """The track's parts as notes (engines/local/midi.py), written once beside the track with
    its Standard MIDI File and read from there after. Raises StemsRefused for a track the
    engine did not compose whole (the same rule as stems), and for a vendor's take whose
    vendor has not made its MIDI yet (connections/derived.py `midi` keeps it here)."""
    from studio.engines.local import midi

    from .jobs import engine_request_for

    problem = midi_refusal(track)
    if problem:
        raise StemsRefused(problem.replace("cannot separate this track", "cannot write MIDI for this track"))
    if (data := midi_kept(track)) is not None:
        return data
    if track.generation.engine != "local":
        raise MidiNotYet(MIDI_NOT_YET)
    with tempfile.TemporaryDirectory(prefix="studio-midi-") as tmp:
        data = midi.parts(engine_request_for(track.generation, Path(tmp)), track.variation)
    return keep_midi(track, data)


MIDI_NOT_YET = ("Its vendor has not made this take's MIDI yet: ask for it (the vendor writes it "
                "from a separation of the take).")


def midi_kept(track: Track) -> dict | None:
    """The notes kept beside the track, when both they and the MIDI file are there."""
    import json

    storage = track.audio.storage
    data_name, file_name = f"{track.folder}/{MIDI_DATA}", f"{track.folder}/{MIDI_FILE}"
    if not (storage.exists(data_name) and storage.exists(file_name)):
        return None
    with storage.open(data_name, "rb") as fh:
        return json.loads(fh.read())


def keep_midi(track: Track, data: dict) -> dict:
    """Write `data` (engines/local/midi.py `parts()` shape) beside the track: its Standard
    MIDI File (`midi.smf`, the one writer for local and vendor notes) and the notes."""
    import json

    from django.core.files.base import ContentFile

    from studio.engines.local import midi

    storage = track.audio.storage
    for name, content in ((f"{track.folder}/{MIDI_FILE}", midi.smf(data)),
                          (f"{track.folder}/{MIDI_DATA}", json.dumps(data).encode())):
        storage.delete(name)
        storage.save(name, ContentFile(content))
    return data
