"""Durable results: each track's audio, cover art and waveform are our own files."""
from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from studio.generation.models import Mode

from . import thumbnails


def _track_path(track: Track, filename: str) -> str:
    return f"tracks/{track.owner_id}/{track.id}/{filename}"


TRASH_DAYS = 30

# Nobody sings in the take: it has no words, no sung line was timed in it (an extension with
# no new words keeps its source's voice up to continueAt, and that voice's timed lines), and it
# is not an instrumental added under an uploaded vocal (add-instrumental keeps the creator's
# voice, whose words Studio never learns).
INSTRUMENTAL = (models.Q(lyrics__regex=r"^\s*$")
                & models.Q(analysis__lyrics_timing__lines__0__isnull=True)
                & ~models.Q(generation__mode=Mode.ADD_INSTRUMENTAL))


class TrackQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)

    def kept(self):
        """Not in the trash: what the library, playlists, searches and share links show."""
        return self.filter(trashed_at__isnull=True)

    def in_trash(self):
        return self.filter(trashed_at__isnull=False)

    def trash_expired(self, now=None):
        """Trashed more than TRASH_DAYS ago: their rows and files are due for removal."""
        now = now or timezone.now()
        return self.filter(trashed_at__lt=now - timedelta(days=TRASH_DAYS))

    def instrumental(self):
        return self.filter(INSTRUMENTAL)

    def with_vocals(self):
        return self.exclude(INSTRUMENTAL)

    def for_grid(self):
        """What a track card shows; lyrics, peaks and analysis stay in the database (whether
        there are lyrics is asked in the same query: the card's menu offers Make persona for
        a sung take and Add vocals for an instrumental; and its model, whose title limit the
        menu's Rename keeps to)."""
        return self.only("id", "owner_id", "generation_id", "variation", "title", "style",
                         "duration", "cover", "model_name", "created_at", "liked_at",
                         "trashed_at").annotate(
            _instrumental=models.ExpressionWrapper(INSTRUMENTAL, output_field=models.BooleanField()),
            _model=models.F("generation__model"), _mode=models.F("generation__mode"))


class OwnedQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)


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
    liked_at = models.DateTimeField(null=True, blank=True)
    # Deleting moves a track here; trash.purge() removes it and its files after TRASH_DAYS.
    trashed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = TrackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "variation"]
        constraints = [models.UniqueConstraint(fields=["generation", "variation"],
                                               name="one_track_per_variation")]
        indexes = [models.Index(fields=["owner", "-created_at"]),
                   # Keyset pagination walks (owner, sort key, id) for each sort the library offers.
                   models.Index(fields=["owner", "created_at", "id"], name="track_owner_newest"),
                   models.Index(fields=["owner", "title", "id"], name="track_owner_title"),
                   models.Index(fields=["owner", "duration", "id"], name="track_owner_duration"),
                   # "Liked only", newest first: a walk over the liked tracks alone, however
                   # few of a large library they are.
                   models.Index(fields=["owner", "created_at", "id"], name="track_owner_liked",
                                condition=models.Q(liked_at__isnull=False))]

    def __str__(self):
        return self.title or str(self.id)

    @property
    def folder(self) -> str:
        """Where this track's files live: audio, cover and everything derived from them."""
        return f"tracks/{self.owner_id}/{self.id}"

    @property
    def is_instrumental(self) -> bool:
        """Nobody sings in it (INSTRUMENTAL, asked of one row)."""
        if "_instrumental" in self.__dict__:  # for_grid() asked without loading the lyrics
            return bool(self._instrumental)
        sung = ((self.analysis or {}).get("lyrics_timing") or {}).get("lines")
        return not self.lyrics.strip() and not sung and self.generation.mode != Mode.ADD_INSTRUMENTAL

    @property
    def title_limit(self) -> int:
        """The longest title the create forms take for its model (the rules' limit), the
        default model's for a model the rules do not know."""
        from studio.generation.rules import DEFAULT_MODEL, MODELS

        model = self.__dict__.get("_model") or self.generation.model  # _model: for_grid()'s
        return (MODELS.get(model) or MODELS[DEFAULT_MODEL]).title

    @property
    def liked(self) -> bool:
        return self.liked_at is not None

    @property
    def purge_at(self):
        """When the trash removes this track for good (None while it is not in the trash)."""
        return self.trashed_at + timedelta(days=TRASH_DAYS) if self.trashed_at else None

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

    def replace_cover(self, jpeg: bytes) -> None:
        """Store `jpeg` as the cover under a new name (so its thumbnails and download copies
        get new names and URLs too), make its thumbnails, and remove the old cover's files."""
        old = self.cover.name if self.cover else ""
        old_version = thumbnails.version(self)
        self.cover.save(f"cover-{uuid.uuid4().hex[:12]}.jpg", ContentFile(jpeg), save=False)
        self.save(update_fields=["cover"])
        for size in thumbnails.SIZES:
            thumbnails.thumbnail(self, size)
        storage = self.cover.storage
        if old and old != self.cover.name:
            storage.delete(old)
            for size in thumbnails.SIZES:
                storage.delete(f"{self.folder}/cover-{size}-{old_version}.webp")

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


class Playlist(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="playlists")
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "id"]
        indexes = [models.Index(fields=["owner", "-updated_at"])]

    def __str__(self):
        return self.title

    def kept_entries(self):
        """The entries in order, without tracks that are in the trash."""
        return (self.entries.filter(track__trashed_at__isnull=True)
                .select_related("track__generation").order_by("position", "id"))


class PlaylistEntry(models.Model):
    playlist = models.ForeignKey(Playlist, on_delete=models.CASCADE, related_name="entries")
    # A track purged from the trash leaves its playlists with it.
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="playlist_entries")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["playlist", "track"],
                                               name="a_track_once_per_playlist")]

    def __str__(self):
        return f"#{self.position}"


class ShareLink(models.Model):
    """A private link to one track or one playlist. The URL's token is the row's random id and
    an HMAC of it (sharing.token); the HMAC is compared in constant time. Revoking deletes the
    row, so the link is a 404 from then on."""
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="share_links")
    track = models.OneToOneField(Track, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="share_link")
    playlist = models.OneToOneField(Playlist, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="share_link")
    created_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [models.CheckConstraint(
            condition=models.Q(track__isnull=False, playlist__isnull=True)
            | models.Q(track__isnull=True, playlist__isnull=False),
            name="share_link_names_one_thing")]

    def __str__(self):
        return str(self.id)


class DerivedTask(models.Model):
    """What every task made from a track has, as the vendors' task endpoints show it: the
    row's id is the taskId, the callback it was asked with, its error, when it was asked for
    and when it finished."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # taskId
    callback_url = models.URLField(max_length=1000, blank=True)
    error_message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def task_id(self) -> str:
        return str(self.id)


class ClaimedTask(DerivedTask):
    """A derived task one of our workers makes: the worker claims the row (`claimed_at`)
    before it starts. Newest first."""

    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class Stems(ClaimedTask):
    """One request to take a track apart (the v1 API's vocal-removal task; its id is the
    taskId). The stem files are the track's, made once and shared by every later request:
    ``stem-<name>.flac`` in the track's folder, named in `files` (the MP3s the API links to
    are made from them when first asked for: library/stems.py `mp3_of`)."""

    class Kind(models.TextChoices):
        SEPARATE_VOCAL = "separate_vocal", "Vocals and instrumental"
        SPLIT_STEM = "split_stem", "Every part"

    class Status(models.TextChoices):  # the vendors' successFlag words
        PENDING = "PENDING", "Separating"
        SUCCESS = "SUCCESS", "Done"
        CREATE_TASK_FAILED = "CREATE_TASK_FAILED", "Refused"
        GENERATE_AUDIO_FAILED = "GENERATE_AUDIO_FAILED", "Failed"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="stems")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="stems")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SEPARATE_VOCAL)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.PENDING)
    # stem name (vocals, instrumental, drums ...) → file name in the track's folder
    files = models.JSONField(default=dict, blank=True)
    # A vendor's take is separated by its vendor (connections/derived.py): its task there.
    vendor_task_id = models.CharField(max_length=100, blank=True)
    vendor_sent_at = models.DateTimeField(null=True, blank=True)
    # The MIDI made from this separation (the API's midi/generate, whose taskId names this
    # row): the callBackUrl it was last asked with, and whether that callback is still to
    # be sent (once the MIDI is made or has failed).
    midi_callback_url = models.URLField(max_length=1000, blank=True)
    midi_callback_due = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.kind} {self.id}"


class WavStatus(models.TextChoices):
    """The vendors' WAV statuses (suno_api.md §3.5, `successFlag`)."""
    PENDING = "PENDING"
    SUCCESS = "SUCCESS"
    CREATE_TASK_FAILED = "CREATE_TASK_FAILED"
    GENERATE_WAV_FAILED = "GENERATE_WAV_FAILED"


WAV_FAILED = [WavStatus.CREATE_TASK_FAILED, WavStatus.GENERATE_WAV_FAILED]


class WavConversion(ClaimedTask):
    """A track's lossless WAV asked for by `POST /api/v1/wav/generate`. One per track that has
    not failed: the vendors answer 409 to a second request while a WAV exists or is being
    made, and the constraint makes it hold under races; a failed one is kept (its taskId
    still answers) and the track may be asked for again."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="wav_conversions")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="wav_conversions")
    param = models.JSONField(default=dict)  # the body as sent
    base_url = models.CharField(max_length=300, blank=True)  # the links in its callback
    status = models.CharField(max_length=30, choices=WavStatus.choices,
                              default=WavStatus.PENDING)
    file_name = models.CharField(max_length=300, blank=True)  # in the track's storage
    # A vendor's take is converted by its vendor (connections/derived.py): its task there.
    vendor_task_id = models.CharField(max_length=100, blank=True)
    vendor_sent_at = models.DateTimeField(null=True, blank=True)
    # When the reaper gave it to a new job, its job lost or its worker dead (library/claims.py).
    requeued_at = models.DateTimeField(null=True, blank=True)

    class Meta(ClaimedTask.Meta):
        constraints = [models.UniqueConstraint(
            fields=["track"], condition=~models.Q(status__in=WAV_FAILED),
            name="one_wav_per_track_unless_failed")]

    def __str__(self):
        return f"wav {self.id}"


def _persona_id() -> str:
    return f"persona_{uuid.uuid4().hex}"


class Persona(models.Model):
    """A named singer kept from a take: made by ``POST /api/v1/generate/generate-persona`` or
    the track page's "Make persona", from a window of 10–30 s of the take that is sung. Its id
    is the personaId a later request names. `voice` is the singer the local engine sang the
    take with (engines/local/singer.py: formants, source, breath, vibrato, range); a request
    with this persona sings with exactly it. A vendor's take gives a persona made at the vendor
    (connections/personas.py): `voice` stays empty and `vendor_persona_id` is the vendor's.
    One persona per take, as at the vendors."""

    id = models.CharField(primary_key=True, max_length=60, default=_persona_id, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="personas")
    # The take it was made from; the persona outlives it (its voice is kept here).
    track = models.OneToOneField(Track, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="persona")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    style = models.TextField(blank=True)
    vocal_start = models.FloatField(default=0.0)
    vocal_end = models.FloatField(default=30.0)
    voice = models.JSONField(default=dict, blank=True)
    # Where it sings: "local", or the vendor connection that made it ("upstream:<id>"),
    # which knows it by its own id (sent as personaId to that vendor only).
    engine = models.CharField(max_length=40, default="local")
    vendor_persona_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self):
        return self.name

    @property
    def gender_label(self) -> str:
        return {"m": "Male voice", "f": "Female voice"}.get(self.voice.get("gender"), "Voice")

    @property
    def range_label(self) -> str:
        """The persona's range in note names, e.g. "A2–E4"."""
        names = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
        low, high = self.voice.get("low"), self.voice.get("high")
        if low is None or high is None:
            return ""
        return "–".join(f"{names[int(n) % 12]}{int(n) // 12 - 1}" for n in (low, high))


class VideoStatus(models.TextChoices):
    """The vendors' MP4 statuses (suno_api.md §3.5, `successFlag`)."""
    PENDING = "PENDING", "Making"
    SUCCESS = "SUCCESS", "Done"
    CREATE_TASK_FAILED = "CREATE_TASK_FAILED", "Refused"
    GENERATE_MP4_FAILED = "GENERATE_MP4_FAILED", "Failed"


class MusicVideo(ClaimedTask):
    """A track's music video (studio/video.py), asked for on the track page or by
    `POST /api/v1/mp4/generate` (its id is the taskId). The MP4 is ``video-<id>.mp4`` in the
    track's folder, named in `file_name`; a later request makes a new one (the cover or the
    author may have changed), the track page shows the newest."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="music_videos")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="videos")
    author = models.CharField(max_length=50, blank=True)  # shown under the title
    domain_name = models.CharField(max_length=50, blank=True)  # a watermark in a corner
    param = models.JSONField(default=dict, blank=True)  # the API body as sent
    base_url = models.CharField(max_length=300, blank=True)  # the links in its callback
    status = models.CharField(max_length=30, choices=VideoStatus.choices,
                              default=VideoStatus.PENDING)
    progress = models.FloatField(default=0.0)  # 0..1 while it is made
    file_name = models.CharField(max_length=300, blank=True)  # in the track's storage
    # A v1 vendor's take gets its vendor's video (connections/derived.py): its task there.
    vendor_task_id = models.CharField(max_length=100, blank=True)
    vendor_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"video {self.id}"

    @property
    def percent(self) -> int:
        return int(round(100 * min(max(self.progress, 0.0), 1.0)))


class CoverArtStatus(models.TextChoices):
    """The vendors' cover statuses (suno_api.md §2 row 24, §3.5)."""
    PENDING = "PENDING", "Drawing"
    SUCCESS = "SUCCESS", "Done"
    CREATE_TASK_FAILED = "CREATE_TASK_FAILED", "Refused"
    GENERATE_COVER_FAILED = "GENERATE_COVER_FAILED", "Failed"


class CoverArt(ClaimedTask):
    """Two new cover images for a track to choose from, drawn by a worker (studio.art, as the
    engine drew the first). Asked for on the track page, or by `POST /api/v1/suno/cover/generate`
    with the music task's id (then for its first take: the vendors make one cover task per
    music task, and the constraint keeps it so under races). The images are
    ``cover-art-<id>-<n>.jpg`` in the track's folder, named in `files`."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="cover_art")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="cover_art")
    through_api = models.BooleanField(default=False)
    param = models.JSONField(default=dict, blank=True)  # the API body as sent
    base_url = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=30, choices=CoverArtStatus.choices,
                              default=CoverArtStatus.PENDING)
    files = models.JSONField(default=list, blank=True)  # the images' file names, in order
    chosen = models.PositiveSmallIntegerField(null=True, blank=True)  # 1-based, once used
    # A v1 vendor's take gets its vendor's images (connections/derived.py): its task there.
    vendor_task_id = models.CharField(max_length=100, blank=True)
    vendor_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta(ClaimedTask.Meta):
        constraints = [models.UniqueConstraint(fields=["track"],
                                               condition=models.Q(through_api=True),
                                               name="one_api_cover_task_per_track")]

    def __str__(self):
        return f"cover art {self.id}"
