"""The one interface every engine implements.

An engine turns one request into two takes (variations). It reports progress through a
`Sink`, which the generation job implements: the job owns the database, the status machine
and the files; the engine owns the music. Engines import nothing of Django beyond settings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


class EngineError(Exception):
    """The engine could not make the request.

    `permanent` failures (bad input, unreadable upload, content refused) are not retried;
    transient ones (network, vendor 5xx) may be. `code` is the vendor-style error code that
    the API reports (501 "audio generation failed" unless the engine knows better).
    """

    def __init__(self, message: str, *, permanent: bool = True, code: int = 501,
                 status: str = "GENERATE_AUDIO_FAILED"):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
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
    """One generation request, in the seeds' own field names.

    `mode` is one of: generate, instrumental (legacy generate-instrumental: tags + title),
    extend, upload_cover, add_instrumental.
    `params` holds the validated request: prompt, style, title, customMode, instrumental,
    model, negativeTags, vocalGender, styleWeight, weirdnessConstraint, audioWeight,
    continueAt, tags ... (absent keys mean "not given").
    """

    mode: str
    params: dict
    seed: int
    workdir: Path
    source: SourceAudio | None = None
    wav: bool = False  # also write a WAV master beside the MP3
    # Where a take's MP3 may be streamed while it is encoded: ``take-<i>.mp3.part`` grows there
    # and becomes ``take-<i>.mp3`` once verified. A directory every web process can read.
    stream_dir: Path | None = None

    @property
    def model(self) -> str:
        return self.params.get("model") or "V4_5"


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
    # its first job is as quick as the ones after it. Called once per worker when it spawns.
