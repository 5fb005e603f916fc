"""Durable results: each track's audio, cover art and waveform are our own files."""
from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import models
from django.utils import timezone


def _track_path(track: Track, filename: str) -> str:
    return f"tracks/{track.owner_id}/{track.id}/{filename}"


class TrackQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)

    def for_grid(self):
        """What a track card shows; lyrics, peaks and analysis stay in the database."""
        return self.only("id", "owner_id", "generation_id", "variation", "title", "style",
                         "duration", "cover", "model_name", "created_at")


class Track(models.Model):
    # The public id: audioId in the v1 API, continue_clip_id in the legacy one.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="tracks")
    generation = models.ForeignKey("generation.Generation", on_delete=models.CASCADE,
                                   related_name="tracks")
    variation = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, blank=True)
    style = models.TextField(blank=True)
    lyrics = models.TextField(blank=True)
    duration = models.FloatField()
    audio = models.FileField(upload_to=_track_path, max_length=300)
    wav = models.FileField(upload_to=_track_path, max_length=300, blank=True)
    cover = models.FileField(upload_to=_track_path, max_length=300, blank=True)
    peaks = models.JSONField(default=list, blank=True)
    model_name = models.CharField(max_length=40, blank=True)
    # Extensions and covers point at the track they were made from.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="children")
    continue_at = models.FloatField(null=True, blank=True)
    # What the engine knew (tempo, key, seed ...), so an extension can continue in kind.
    analysis = models.JSONField(default=dict, blank=True)
    engine_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = TrackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "variation"]
        constraints = [models.UniqueConstraint(fields=["generation", "variation"],
                                               name="one_track_per_variation")]
        indexes = [models.Index(fields=["owner", "-created_at"]),
                   # Keyset pagination walks (owner, sort key, id) for each sort the library offers.
                   models.Index(fields=["owner", "created_at", "id"], name="track_owner_newest"),
                   models.Index(fields=["owner", "title", "id"], name="track_owner_title"),
                   models.Index(fields=["owner", "duration", "id"], name="track_owner_duration")]

    def __str__(self):
        return self.title or str(self.id)

    @property
    def folder(self) -> str:
        """Where this track's files live: audio, cover and everything derived from them."""
        return f"tracks/{self.owner_id}/{self.id}"

    @property
    def is_instrumental(self) -> bool:
        return not self.lyrics.strip()

    def save_with_files(self, files: dict) -> None:
        """Store each file into its field, then write the row: `files` maps a field (audio,
        cover, wav) to (file name, a path or a stored file). If anything fails, the files
        already stored are deleted: a row that could not be written leaves no orphan."""
        saved = []
        try:
            for name, (filename, source) in files.items():
                field = getattr(self, name)
                opened = open(source, "rb") if isinstance(source, str | Path) else source.open("rb")
                with opened as fh:
                    field.save(filename, File(fh), save=False)
                saved.append(field)
            self.save()
        except BaseException:
            for field in saved:
                field.storage.delete(field.name)
            raise

    def delete_files(self) -> None:
        """The stored files and everything made from them (thumbnails, tagged downloads)."""
        for field in (self.audio, self.wav, self.cover):
            if field:
                field.storage.delete(field.name)
        storage = self.audio.storage
        try:
            _dirs, files = storage.listdir(self.folder)
        except (FileNotFoundError, NotADirectoryError):
            return
        for name in files:
            storage.delete(f"{self.folder}/{name}")


class StemsQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)


class Stems(models.Model):
    """One request to take a track apart (the v1 API's vocal-removal task; its id is the
    taskId). The stem files are the track's, made once and shared by every later request:
    ``stem-<name>.flac`` in the track's folder, named in `files`."""

    class Kind(models.TextChoices):
        SEPARATE_VOCAL = "separate_vocal", "Vocals and instrumental"
        SPLIT_STEM = "split_stem", "Every part"

    class Status(models.TextChoices):  # the vendors' successFlag words
        PENDING = "PENDING", "Separating"
        SUCCESS = "SUCCESS", "Done"
        CREATE_TASK_FAILED = "CREATE_TASK_FAILED", "Refused"
        GENERATE_AUDIO_FAILED = "GENERATE_AUDIO_FAILED", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="stems")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="stems")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SEPARATE_VOCAL)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.PENDING)
    # stem name (vocals, instrumental, drums ...) → file name in the track's folder
    files = models.JSONField(default=dict, blank=True)
    callback_url = models.URLField(max_length=1000, blank=True)
    error_message = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = StemsQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} {self.id}"

    @property
    def task_id(self) -> str:
        return str(self.id)
