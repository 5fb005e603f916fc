"""Downloads: an MP3 and a WAV with tags, and a ZIP of a selection with its settings.

The stored MP3 is never touched: its ETag must hold while a browser streams it in ranges.
A tagged copy is written beside it, named by a digest of everything in the tags, so a rename
or a new cover makes a fresh copy and an unchanged track reuses the last one.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import tempfile
import unicodedata
import zipfile

from django.core.files.base import ContentFile, File
from mutagen.id3 import APIC, ID3, TALB, TCON, TIT2, TPE1, USLT, ID3NoHeaderError
from mutagen.wave import WAVE
from PIL import Image

from studio import media
from studio.audio import decode

ALBUM = "Studio"
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(title: str, extension: str, fallback: str = "Untitled") -> str:
    """A file name from a title that every operating system accepts.

    Drops characters Windows forbids and control characters, trailing dots and spaces, and
    side-steps reserved device names (CON, NUL, COM1 ...); keeps letters of every script.
    """
    name = unicodedata.normalize("NFC", title or "")
    name = _UNSAFE.sub("", re.sub(r"\s+", " ", name))  # a tab or newline reads as a space
    name = re.sub(r" +", " ", name).strip().rstrip(". ")
    name = name[:120].rstrip(". ")
    if not name:
        name = fallback
    if name.split(".")[0].strip().upper() in _RESERVED:
        name = f"{name} (track)"
    return f"{name}.{extension}"


def download_name(track, extension: str) -> str:
    """The name a track downloads under: its title and take, so the two takes of one
    generation (which share a title) never arrive under the same name."""
    stem = safe_filename(track.title, extension).removesuffix(f".{extension}")
    return f"{stem} (take {track.variation + 1}).{extension}"


def artist_name(user) -> str:
    return user.get_full_name().strip() or user.get_username()


def genre(style: str) -> str:
    """The first words of the style, as a genre a music player can group by."""
    first = (style or "").split(",")[0].strip()
    return " ".join(first.split()[:3])


def _cover_jpeg(track) -> bytes | None:
    if not track.cover:
        return None
    try:
        with track.cover.open("rb") as fh, Image.open(fh) as image:
            image = image.convert("RGB")
            image.thumbnail((1000, 1000))
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=88)
            return buffer.getvalue()
    except (OSError, ValueError):
        return None


def tag_digest(track, artist: str, *also: str) -> str:
    """A digest of everything the tags of `track`'s MP3 say (and of `also`): a copy named by
    it is made again when one of them changes."""
    parts = [track.audio.name, track.title, track.style, track.lyrics, artist,
             track.cover.name if track.cover else "", *also]
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:12]


def _frames(track, artist: str, part: str = "", lyrics: bool = True) -> list:
    """The ID3 frames of a track's download: title, artist, album, genre, its words and its
    cover. `part`: a stem's name ("Vocals"), which titles it "River – Vocals"; `lyrics`:
    whether the words go in (not for a part that has no voice)."""
    title = track.title or "Untitled"
    frames = [TIT2(encoding=3, text=f"{title} – {part}" if part else title),
              TPE1(encoding=3, text=artist), TALB(encoding=3, text=ALBUM)]
    if g := genre(track.style):
        frames.append(TCON(encoding=3, text=g))
    if lyrics and track.lyrics.strip():
        frames.append(USLT(encoding=3, lang="eng", desc="", text=track.lyrics))
    if jpeg := _cover_jpeg(track):
        frames.append(APIC(encoding=3, mime="image/jpeg", type=3, desc="Cover", data=jpeg))
    return frames


def tag(path, track, artist: str, part: str = "", lyrics: bool = True) -> None:
    """Write ID3v2.3 tags into the MP3 at `path` (a copy, never the stored original)."""
    try:
        ID3(path).delete(path)  # whatever the encoder (or a vendor) left, our tags replace it
    except ID3NoHeaderError:
        pass
    tags = ID3()
    for frame in _frames(track, artist, part, lyrics):
        tags.add(frame)
    tags.save(path, v2_version=3)


def tagged_mp3(track, user) -> str:
    """The storage name of a tagged copy of the track's MP3, made if not made yet."""
    return _tagged_mp3_for(track, artist_name(user))


def _tagged_mp3_for(track, artist: str) -> str:
    name = f"{track.folder}/download-{tag_digest(track, artist)}.mp3"
    storage = track.audio.storage
    if storage.exists(name):
        return name
    with tempfile.NamedTemporaryFile(suffix=".mp3") as tmp:
        with track.audio.open("rb") as src:
            for chunk in iter(lambda: src.read(1 << 20), b""):
                tmp.write(chunk)
        tmp.flush()
        tag(tmp.name, track, artist)
        tmp.seek(0)
        replace_stale(storage, track.folder, "download-", name)
        storage.save(name, File(tmp))
    return name


def wav(track) -> str:
    """The storage name of a PCM16 WAV of the track: the stored master, or one decoded once."""
    if track.wav:
        return track.wav.name
    digest = hashlib.sha1(track.audio.name.encode()).hexdigest()[:12]
    name = f"{track.folder}/download-{digest}.wav"
    storage = track.audio.storage
    if storage.exists(name):
        return name
    import soundfile  # numpy: loaded by the first download of this WAV, not before

    with media.read_field(track.audio) as path:
        samples, rate = decode(path)
    buffer = io.BytesIO()
    soundfile.write(buffer, samples.T, rate, subtype="PCM_16", format="WAV")
    storage.save(name, ContentFile(buffer.getvalue()))
    return name


def tagged_wav(track, user) -> str:
    """The storage name of the library's WAV download of the track, made if not made yet:
    its master WAV sample for sample, or its audio decoded to PCM 16-bit, with the MP3
    download's tags twice over — a RIFF INFO list (title, artist, album, genre: what Windows
    and most players read) and an ID3 chunk (the same with the words and the cover: what
    Apple Music, foobar2000 and taggers read). Named by a digest of the tags, as the MP3's
    copy is; the untagged WAV the API hands out (`wav`) is left as it is."""
    artist = artist_name(user)
    name = f"{track.folder}/wav-{tag_digest(track, artist, track.wav.name if track.wav else '')}.wav"
    storage = track.audio.storage
    if storage.exists(name):
        return name
    import soundfile  # numpy: loaded by the first WAV download, not before

    subtype = "PCM_16"
    if track.wav:  # the master, sample for sample: integers move between widths by shifts
        with track.wav.open("rb") as src:
            subtype = soundfile.info(src).subtype
            src.seek(0)
            samples, rate = soundfile.read(src, dtype="float64" if subtype in _FLOATS else "int32",
                                           always_2d=True)
    else:
        with media.read_field(track.audio) as path:
            samples, rate = decode(path)
        samples = samples.T
    with tempfile.NamedTemporaryFile(suffix=".wav") as tmp:
        with soundfile.SoundFile(tmp.name, "w", rate, samples.shape[1], subtype=subtype,
                                 format="WAV") as out:
            out.title, out.artist, out.album = track.title or "Untitled", artist, ALBUM
            if g := genre(track.style):
                out.genre = g
            out.write(samples)
        tags = WAVE(tmp.name)
        tags.add_tags()
        for frame in _frames(track, artist):
            tags.tags.add(frame)
        tags.save(v2_version=3)
        replace_stale(storage, track.folder, "wav-", name, "wav")
        with open(tmp.name, "rb") as made:
            storage.save(name, File(made))
    return name


_FLOATS = ("FLOAT", "DOUBLE")


def replace_stale(storage, folder: str, prefix: str, keep: str = "",
                  extension: str = "mp3") -> None:
    """Old tagged copies of this track (before a rename) are of no further use: every
    `extension` file in `folder` whose name starts with `prefix`, but `keep`."""
    try:
        _dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for file in files:
        if file.startswith(prefix) and file.endswith(f".{extension}") and f"{folder}/{file}" != keep:
            storage.delete(f"{folder}/{file}")


def settings_of(track) -> dict:
    """One track's settings as the export's tracks.json lists them."""
    return {
        "id": str(track.pk), "title": track.title, "style": track.style,
        "lyrics": track.lyrics, "duration": round(track.duration, 3),
        "model": track.generation.model, "model_name": track.model_name,
        "mode": track.generation.mode, "variation": track.variation,
        "params": track.generation.params,
        "parent": str(track.parent_id) if track.parent_id else None,
        "continue_at": track.continue_at,
        "created_at": track.created_at.isoformat(),
    }


def export_zip(tracks, user):
    """A temporary file holding a ZIP of the tracks' tagged MP3s and tracks.json."""
    archive = tempfile.TemporaryFile()
    used: set[str] = set()
    entries = []
    with zipfile.ZipFile(archive, "w") as zf:
        for track in tracks:
            name = _unique(download_name(track, "mp3"), used)
            storage_name = tagged_mp3(track, user)
            # MP3 is already compressed: store it as is.
            with track.audio.storage.open(storage_name, "rb") as src, \
                    zf.open(zipfile.ZipInfo(name, date_time=_zip_time(track)), "w") as out:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    out.write(chunk)
            entries.append({**settings_of(track), "file": name})
        zf.writestr("tracks.json", json.dumps({"tracks": entries}, indent=2, ensure_ascii=False),
                    compress_type=zipfile.ZIP_DEFLATED)
    archive.seek(0)
    return archive


def _zip_time(track):
    t = track.created_at
    return (max(t.year, 1980), t.month, t.day, t.hour, t.minute, t.second)


def _unique(name: str, used: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 2
    while candidate.lower() in used:
        candidate = f"{stem} ({n}){dot}{ext}"
        n += 1
    used.add(candidate.lower())
    return candidate


def numbered(tracks) -> list[tuple[str, object]]:
    """(file name, track) in order: "01 Title.mp3", "02 …", each name unique."""
    width = max(2, len(str(len(tracks))))
    used: set[str] = set()
    return [(_unique(f"{i:0{width}d} {safe_filename(track.title, 'mp3')}", used), track)
            for i, track in enumerate(tracks, 1)]


class _Pipe(io.RawIOBase):
    """Where a ZIP being streamed is written: bytes are collected until the response takes
    them. Not seekable, so zipfile writes each entry's sizes after its data."""

    def __init__(self):
        super().__init__()
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self._chunks = b"".join(self._chunks), []
        return data


def stream_zip(entries, user):
    """Yield a ZIP of the tagged MP3s of `entries` ((file name, track) pairs) as it is
    written: the first bytes leave before the last file is read, and nothing is held whole."""
    artist = artist_name(user)
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w") as zf:
        for name, track in entries:
            stored = _tagged_mp3_for(track, artist)
            with track.audio.storage.open(stored, "rb") as src, \
                    zf.open(zipfile.ZipInfo(name, date_time=_zip_time(track)), "w") as out:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    out.write(chunk)
                    yield pipe.take()
            yield pipe.take()
    yield pipe.take()
