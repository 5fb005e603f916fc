"""The one interface every engine implements.

An engine turns one request into two takes (variations). It reports progress through a
`Sink`, which the generation job implements: the job owns the database, the status machine
and the files; the engine owns the music. Engines import nothing of Django beyond settings.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


class EngineError(Exception):
    """The engine could not make the request. `code` is the vendor-style error code that the
    API reports (501 "audio generation failed" unless the engine knows better)."""

    def __init__(self, message: str, *, code: int = 501, status: str = "GENERATE_AUDIO_FAILED"):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


@dataclass(frozen=True)
class SourceAudio:
    """Audio the request builds on: the track being extended, or the user's upload."""

    path: Path
    duration: float
    title: str = ""
    style: str = ""
    lyrics: str = ""
    # What an earlier local render knew about it (tempo, key, seed...), empty for uploads.
    analysis: dict = field(default_factory=dict)


@dataclass(frozen=True)
class EngineRequest:
    """One generation request, validated, with its decisions made: an engine reads these
    fields and never re-checks or re-interprets them.

    `mode` is one of: generate, instrumental (legacy generate-instrumental: tags + title),
    extend, upload_cover, add_instrumental, add_vocals, upload_extend, replace_section,
    sounds, mashup. Field names are the API's, in Python's case.
    """

    mode: str
    model: str
    seed: int
    workdir: Path
    title: str = ""  # "" → the engine names the song
    style: str = ""  # the style asked for ("" → from the idea, or the source's)
    lyrics: str = ""  # sung as written
    idea: str = ""  # a description to write lyrics and a title from (non-custom)
    instrumental: bool = False  # nothing is sung
    negative_tags: str = ""
    vocal_gender: str = ""  # m | f | "" (the engine chooses)
    style_weight: float | None = None
    weirdness_constraint: float | None = None
    audio_weight: float | None = None
    persona_id: str = ""
    # The persona's singer as it was kept (engines/local/singer.py's fields): a local render
    # sings with exactly that voice and range. Empty: the engine's own singer.
    persona: Mapping = field(default_factory=dict)
    continue_at: float | None = None  # extend: seconds of the source kept before the new part
    # replace_section: the (start, end) seconds of the source made again; the rest is kept.
    window: tuple[float, float] | None = None
    full_lyrics: str = ""  # replace_section: the whole song's words after the change, if given
    target_seconds: float | None = None  # a length to fit the form to (tests, benchmarks)
    # sounds: a loop (whole bars that join end to start), the BPM asked (1-300; None: the
    # style decides) and the key ("Cm", "F#"; "": the style decides).
    loop: bool = False
    tempo: float | None = None
    key: str = ""
    max_seconds: float = 480.0  # the model's longest song
    max_upload_seconds: float = 480.0  # the model's longest source audio
    model_name: str = ""  # Suno's name for the model, shown as modelName
    source: SourceAudio | None = None
    second_source: SourceAudio | None = None  # mashup: the second song (source is the first)
    wav: bool = False  # also write a WAV master beside the MP3
    # Where a take's MP3 may be streamed while it is encoded: ``take-<i>.mp3.part`` grows there
    # and becomes ``take-<i>.mp3`` once verified. A directory every web process can read.
    stream_dir: Path | None = None
    # With it ({url, key, ttl}), a take's pieces also go to a Redis stream `<key>:<take>`
    # (studio/relay.py), for listeners on hosts that do not share stream_dir.
    stream_relay: Mapping | None = None
    # The request in the API's field names, for an upstream engine to forward to its vendor.
    fields: Mapping = field(default_factory=dict)


@dataclass
class Plan:
    """What exists after the text stage: per variation, the title, style and lyrics."""

    titles: list[str]
    styles: list[str]
    lyrics: list[str]  # "" for instrumentals


@dataclass
class Take:
    """One finished variation, with its files in the request's workdir."""

    index: int
    title: str
    style: str
    lyrics: str
    duration: float  # seconds, as measured on the encoded MP3
    audio_path: Path  # MP3
    image_path: Path | None = None  # cover art (JPEG or PNG)
    wav_path: Path | None = None
    peaks: list[float] = field(default_factory=list)  # 0..1, for the waveform
    model_name: str = ""  # e.g. "chirp-v4-5", shown as modelName
    analysis: dict = field(default_factory=dict)  # tempo, key, mode, seed... for later extends
    engine_id: str = ""  # the engine's own id for this take (upstream audioId)


class Sink(Protocol):
    """Where an engine reports progress. Calls are in order: planned, then take per variation."""

    def planned(self, plan: Plan) -> None: ...

    def take(self, take: Take) -> None: ...


class Engine(Protocol):
    name: str

    def generate(self, request: EngineRequest, sink: Sink) -> None:
        """Make two takes, calling sink.planned() once and sink.take() per take.

        Raises EngineError on failure. Must not leave half-written files outside workdir.
        """

    # Optional: ``warm_up(self) -> None`` readies a fresh worker process (imports, tables) so
    # its first job is as quick as the ones after it. Called once per worker when it spawns
    # (but not in one that replaces a worker that left while quiet: generation/quiet.py).
    # Optional: ``rest(self) -> None`` stops what the engine runs beside a worker (helper
    # processes) before the worker leaves after a quiet spell.


class UpstreamEngine(Protocol):
    """An engine at a vendor: it submits and is then tracked, never waited for.

    `submit` sends the create call once (see engines.upstream.Caller for when it is sent
    again) and returns the vendor's task id; `status` asks the vendor where a task is, and
    `from_callback` reads a callback body; both give an `upstream.VendorEvent` that the
    generation's status machine merges (duplicates and late events change nothing).
    `credits` is the account's balance (None where the dialect cannot tell).
    """

    name: str

    def submit(self, request: EngineRequest, callback_url: str) -> str: ...

    def status(self, task_id: str): ...

    def from_callback(self, payload): ...

    def credits(self) -> int | None: ...
