"""A track's stems as the library keeps them: which tracks can have them, which files a
request shows, and the ZIP. Making them is generation/derive.py's work (a worker job)."""
from __future__ import annotations

import io
import zipfile

from studio.generation.models import Mode, Status

from .downloads import safe_filename
from .models import Stems, Track

SEPARABLE = (Mode.GENERATE, Mode.INSTRUMENTAL, Mode.SOUNDS)  # what the engine composed whole
SEPARATE_VOCAL = ("vocals", "instrumental")
LABELS = {"vocals": "Vocals", "instrumental": "Instrumental", "drums": "Drums", "bass": "Bass",
          "guitar": "Guitar", "keyboard": "Keys", "strings": "Strings", "synth": "Synths",
          "brass": "Brass", "woodwinds": "Woodwinds", "fx": "FX"}


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
