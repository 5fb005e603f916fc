"""A track's stems as the library keeps them: which tracks can have them, which files a
request shows, the ZIP, and the MP3s the API links to. Making them is generation/derive.py's
work (a worker job).

A stem is kept as FLAC (`stem-<name>.flac`): lossless, so the stems sum back to the master in
the stem player and the ZIP. The vendors' separation gives MP3s, and a client written to their
documentation may expect one behind `vocalUrl`, so the API's links serve an MP3 of each stem
(`mp3_of`), encoded on the first request for it and kept beside the FLAC, tagged like the
track's own download ("River – Vocals", its cover). Not at separation time: most separations
are never fetched as MP3 (the studio plays the FLAC); a 4-minute stem costs about 1.3 s of
CPU to decode and encode, so up to 12 stems would add ~16 s to every separation on the
worker; and a copy named by its tags follows a rename or a new cover as the track's download
does. A vendor's own MP3 of a stem (`stem-<name>.mp3`, kept by connections/derived.py) is the
source when there is one, so its audio reaches the client without a second lossy coding."""
from __future__ import annotations

import io
import tempfile
import zipfile

from django.core.files import File

from studio import media
from studio.generation.models import Mode, Status

from . import downloads
from .downloads import safe_filename
from .models import Stems, Track

SEPARABLE = (Mode.GENERATE, Mode.INSTRUMENTAL, Mode.SOUNDS)  # what the engine composed whole
SEPARATE_VOCAL = ("vocals", "instrumental")
# Every stem name Studio keeps (the local engine's parts and the vendors' split_stem keys,
# engines/upstream_v1.py STEM_KEYS), in the stem player's order.
LABELS = {"vocals": "Vocals", "backing_vocals": "Backing vocals", "instrumental": "Instrumental",
          "drums": "Drums", "percussion": "Percussion", "bass": "Bass", "guitar": "Guitar",
          "keyboard": "Keys", "strings": "Strings", "synth": "Synths", "brass": "Brass",
          "woodwinds": "Woodwinds", "fx": "FX"}
VOICED = ("vocals", "backing_vocals")  # the stems whose MP3 carries the lyrics


def refusal(track: Track) -> str | None:
    """Why `track` cannot have stems, in the creator's words, or None when it can."""
    generation = track.generation
    if generation.engine != "local":
        from studio.connections.derived import vendor_engine

        if vendor_engine(track) is None:
            return ("This take was made by a vendor that offers no separation (a legacy "
                    "vendor, or a connection since removed); stems come from Studio's local "
                    "engine, which knows the parts it composed, or from a v1 vendor.")
        if generation.status != Status.SUCCESS:
            return f"The song is not finished yet ({generation.get_status_display()})."
        return None  # its vendor separates it
    if generation.mode not in SEPARABLE:
        what = {Mode.EXTEND: "an extension holds audio of its source",
                Mode.UPLOAD_COVER: "a cover is built on an uploaded song",
                Mode.ADD_INSTRUMENTAL: "it holds an uploaded recording",
                Mode.REPLACE_SECTION: "it keeps its source's audio around the new section",
                Mode.ADD_VOCALS: "it holds an uploaded recording",
                Mode.UPLOAD_EXTEND: "an extension holds audio of its source",
                Mode.MASHUP: "a mashup is built on two uploaded songs",
                }.get(generation.mode, "it holds audio it did not make")
        return ("The local engine cannot separate this track: " + what + ", which it did not "
                "compose and cannot take apart. Stems come from songs it composed whole.")
    if generation.status != Status.SUCCESS:
        return f"The song is not finished yet ({generation.get_status_display()})."
    return None


def midi_refusal(track: Track) -> str | None:
    """Why `track` can have no MIDI, or None: the local engine writes it from the parts it
    composed, a v1 vendor from a separation of its own take (connections/derived.py), so the
    rule is the stems' one."""
    problem = refusal(track)
    if problem and track.generation.engine != "local":
        return problem.replace("offers no separation", "offers no separation or MIDI") \
            .replace("stems come from", "MIDI comes from")
    return problem


def shown(stems: Stems) -> dict[str, str]:
    """The files a request of its kind shows: vocals + instrumental, or every part."""
    if stems.kind == Stems.Kind.SEPARATE_VOCAL:
        return {k: v for k, v in stems.files.items() if k in SEPARATE_VOCAL}
    return {k: v for k, v in stems.files.items() if k != "instrumental"}


def kept(track: Track, kind: str | None = None) -> dict[str, str]:
    """The track's stem files, if an earlier request made them and they are still there. The
    local engine makes every part at once; a vendor makes what was asked (`kind`)."""
    done = Stems.objects.filter(track=track, status=Stems.Status.SUCCESS).exclude(files={})
    if kind and track.generation.engine != "local":
        done = done.filter(kind=kind)
    done = done.first()
    if done is None:
        return {}
    storage = track.audio.storage
    if not all(storage.exists(f"{track.folder}/{name}") for name in done.files.values()):
        return {}
    return dict(done.files)


def latest(track: Track) -> Stems | None:
    return Stems.objects.filter(track=track).order_by("-created_at").first()


def player_rows(track: Track) -> list[tuple[str, str, str]]:
    """(name, label, file name) of each part for the stem player: every part but the summed
    instrumental, the voice first."""
    files = kept(track)
    return [(name, LABELS.get(name, name.title()), files[name]) for name in LABELS
            if name in files and name != "instrumental"]


def zip_of(track: Track) -> io.BytesIO:
    """Every kept stem of `track` as FLAC, named after the track ("River - Drums.flac")."""
    buffer = io.BytesIO()
    storage = track.audio.storage
    base = safe_filename(track.title, "flac").removesuffix(".flac")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # FLAC is compressed
        for name, filename in kept(track).items():
            with storage.open(f"{track.folder}/{filename}", "rb") as fh:
                archive.writestr(f"{base} - {LABELS.get(name, name)}.flac", fh.read())
    buffer.seek(0)
    return buffer


def flac_name(track: Track, name: str) -> str:
    return f"{track.folder}/stem-{name}.flac"


def mp3_of(track: Track, name: str) -> str:
    """The storage name of stem `name` of `track` as a tagged MP3, made and kept the first
    time it is asked for (see the module's notes). Raises FileNotFoundError when the track
    has no such stem kept."""
    from studio import mp3
    from studio.audio import decode

    storage = track.audio.storage
    artist = downloads.artist_name(track.owner)
    made = f"{track.folder}/stem-{name}-{downloads.tag_digest(track, artist, name)}.mp3"
    if storage.exists(made):
        return made
    vendors = f"{track.folder}/stem-{name}.mp3"
    with tempfile.NamedTemporaryFile(suffix=".mp3") as tmp:
        if storage.exists(vendors):
            with storage.open(vendors, "rb") as src:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    tmp.write(chunk)
        else:  # a missing FLAC raises FileNotFoundError here, on disk or in a bucket
            with media.reading(storage, flac_name(track, name)) as path:
                samples, rate = decode(path)
            tmp.write(mp3.encode(samples, rate))
        tmp.flush()
        downloads.tag(tmp.name, track, artist, part=LABELS.get(name, name),
                      lyrics=name in VOICED)
        tmp.seek(0)
        downloads.replace_stale(storage, track.folder, f"stem-{name}-", made)
        kept_as = storage.save(made, File(tmp))
    if kept_as != made:  # a request for the same stem kept the same bytes first
        storage.delete(kept_as)
    return made


def drop_mp3s(track: Track, name: str) -> None:
    """Stem `name` was written anew: the MP3s made from the one before go."""
    downloads.replace_stale(track.audio.storage, track.folder, f"stem-{name}-")
