"""Accepting a user's audio: by its content (magic bytes, then a decode), never its name.

One place decides what an acceptable upload is, for the browser form and for the API's
uploadUrl alike: not empty, under the size limit, a real MP3/WAV/FLAC/OGG/M4A that decodes,
with sound in it. The length limit depends on the model, so rules.check_upload_length()
applies it when a request names one.
"""
from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import OperationalError, transaction

from studio import audio, media

from .models import Upload
from .rules import LONGEST_UPLOAD_SECONDS, duration_text

log = logging.getLogger("studio.uploads")
FORMATS = ("mp3", "wav", "flac", "ogg", "m4a")


class UploadError(ValueError):
    pass


def sniff(head: bytes) -> str | None:
    """The audio format from the first bytes of a file, or None."""
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"OggS"):
        return "ogg"
    if head[4:8] == b"ftyp":
        return "m4a"
    return None


def probe(path: str | os.PathLike) -> tuple[float, float]:
    """(duration in seconds, peak level in dBFS), decoding no further than the longest upload
    any model accepts and a second more: enough to know the file is too long."""
    import numpy as np  # loaded by the request that uploads, never by a web process idle

    try:
        samples, rate = audio.decode(path, max_seconds=LONGEST_UPLOAD_SECONDS + 1)
    except audio.DecodeError as error:
        log.info("undecodable upload %s: %s", path, error)
        raise UploadError("The file could not be decoded as audio; it may be corrupt.") from None
    if not samples.size:
        raise UploadError("The file holds no audio samples.")
    peak = float(np.max(np.abs(samples)))
    return samples.shape[1] / rate, 20 * np.log10(peak) if peak > 0 else -200.0


# Never part of a file's name: a NUL (which PostgreSQL's text refuses) or another control character.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def accept(owner, fileobj, name: str) -> Upload:
    """Store `fileobj` as `owner`'s upload, or raise UploadError saying why not."""
    name = Path(_CONTROL.sub("", name or "") or "upload").name[:200] or "upload"
    size = _size(fileobj)
    limit = settings.STUDIO_UPLOAD_MAX_MB * 1024 * 1024
    if size == 0:
        raise UploadError("The file is empty.")
    if size > limit:
        raise UploadError(f"The file is {size / 1024 / 1024:.1f} MB; "
                          f"the limit is {settings.STUDIO_UPLOAD_MAX_MB} MB.")
    fileobj.seek(0)
    kind = sniff(fileobj.read(16))
    fileobj.seek(0)
    if kind is None:
        raise UploadError("This is not an audio file Studio reads "
                          "(MP3, WAV, FLAC, OGG or M4A).")
    digest = _digest(fileobj)
    kept = Upload.objects.filter(owner=owner, digest=digest, name=name).first()
    if kept is not None:  # dropped twice, or sent again by a script: one upload, listed once
        return kept
    upload = Upload(owner=owner, name=name, format=kind, size=size, duration=0, digest=digest)
    # Where the file goes, known before writing it: a write that fails half-way (a full disk)
    # leaves the part already written under this name, and the storage does not remove it.
    stored = upload.file.field.generate_filename(upload, f"audio.{kind}")
    try:
        upload.file.save(f"audio.{kind}", File(fileobj), save=False)
        with media.read_field(upload.file) as path:
            duration, peak_db = probe(path)
            if duration > LONGEST_UPLOAD_SECONDS:  # any model's limit; a model's own is in rules
                longest = duration_text(LONGEST_UPLOAD_SECONDS)
                raise UploadError(f"The audio is longer than {longest}; trim it to {longest} "
                                  "or less and upload it again.")
            if peak_db < -60:
                raise UploadError("The recording is silent: nothing louder than -60 dBFS.")
            upload.duration = duration
            upload.analysis = _analyse(path)
        upload.save()
    except BaseException as error:
        _remove(upload.file.storage, upload.file.name or stored)
        full = "disk is full" in str(error) if isinstance(error, OperationalError) else (
            isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT))
        if full:  # SQLite says "database or disk is full"
            log.error("upload of %r by user %s not stored: %s", name, owner.pk, error)
            raise UploadError(DISK_FULL) from None
        if isinstance(error, OperationalError):
            log.error("upload of %r by user %s not recorded: %s", name, owner.pk, error)
            raise UploadError(DATABASE_BUSY) from None
        raise
    return upload


def _digest(fileobj) -> str:
    """SHA-256 of the whole file, read in chunks; the file is left at its start."""
    fileobj.seek(0)
    digest = hashlib.sha256()
    while chunk := fileobj.read(1 << 20):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


DISK_FULL = ("Studio's disk is full, so this upload could not be stored. Nothing already "
             "saved was lost; please try again once space has been freed.")
DATABASE_BUSY = ("Studio's database was busy or out of reach, so this upload could not be "
                 "recorded. Nothing already saved was lost; please try again in a moment.")


def _remove(storage, name: str) -> None:
    """The upload's file, and its folder once empty (on local disk): nothing left behind."""
    storage.delete(name)
    try:
        os.rmdir(Path(storage.path(name)).parent)
    except (NotImplementedError, OSError):  # not a local disk, or the folder holds more
        pass


def remove_owners_uploads(sender, instance, using, **kwargs) -> None:
    """A deleted user's uploads go with their rows (connected in apps.py)."""
    from studio.library.signals import remove_folder

    storage = Upload._meta.get_field("file").storage
    folder = f"uploads/{instance.pk}"
    transaction.on_commit(lambda: remove_folder(storage, folder), using=using)


def _size(fileobj) -> int:
    if getattr(fileobj, "size", None) is not None:
        return fileobj.size
    fileobj.seek(0, os.SEEK_END)
    return fileobj.tell()


def _analyse(path: str) -> dict:
    """Tempo and key as the local engine hears them, shown before the user submits."""
    from studio.engines.local import analysis
    from studio.engines.local.style import NOTE_NAMES

    try:
        mono = analysis.load_audio(Path(path), max_seconds=LONGEST_UPLOAD_SECONDS).mean(axis=0)
        rhythm = analysis.tempo_and_beats(mono)
        tonic, mode = analysis.key_of(mono)
    except Exception:  # analysis is a courtesy before submitting, never a reason to refuse
        log.exception("analysis of %s failed", path)
        return {}
    return {"tempo": round(float(rhythm.tempo), 1), "key": NOTE_NAMES[tonic], "mode": mode}
