"""The offline engine: text → plan → two rendered, mastered, encoded variations.

Modes: generate, instrumental (legacy), extend, upload_cover, add_instrumental, add_vocals,
upload_extend, replace_section, sounds, mashup. Every step is deterministic for (request, seed):
randomness comes only from generators seeded with stable hashes of the seed, the variation
index and the words involved.
"""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import numpy as np
from django.conf import settings

from studio import art
from studio.audio import decode, peaks

from ..base import EngineError, EngineRequest, Plan, Sink, Take
from . import heap, parallel
from .composer import variation_seed
from .mastering import CEILING_DBTP, true_peak_db
from .modes import JOBS, GenerateJob
from .output import cover, publish_stream, stream_mp3, write_mp3, write_wav
from .replace import ReplaceSectionJob
from .style import stable_hash
from .texts import Texts, readable

log = logging.getLogger(__name__)


class LocalEngine:
    name = "local"

    def generate(self, request: EngineRequest, sink: Sink) -> None:
        heap.keep()
        try:
            self._run(request, sink)
        except EngineError:
            raise
        except Exception as e:  # a readable message instead of a traceback for the user
            if not isinstance(e, MemoryError):
                log.exception("local engine failed")
            raise readable(e) from e

    def preload(self) -> None:
        """Load what every worker needs before the workers exist: the cluster's parent calls
        this (studio/web/management/commands/qcluster.py), and the workers it forks share
        these pages with it instead of each loading its own copy. Renders, masters, encodes
        and verifies a two-second sung sketch in a scratch directory, which imports
        scipy.signal, pedalboard, lameenc and libsndfile and builds the wavetables, the
        lyric writer and the voice; then lets go of the sketch's arrays, so that only what
        lasts is shared. The heap is not kept here (heap.keep): each worker keeps its own."""
        import gc
        import tempfile
        with tempfile.TemporaryDirectory(prefix="studio-warm-") as wd:
            request = EngineRequest(mode="generate", model="V4_5", seed=0, workdir=Path(wd),
                                    idea="warm hands", target_seconds=2.0)
            job = GenerateJob(request)
            texts = job.prepare()
            finish(request, job, 0, job.render(0), texts)
        del job
        gc.collect()
        heap.trim()

    def warm_up(self) -> None:
        """Ready a fresh worker process for its first job: the sketch of `preload` (the
        imports and tables cost a first job about half a second otherwise; after a preload in
        the cluster's parent, the sketch only touches what the worker already shares), with
        this process's heap kept; fork the variation helper, which inherits all of that with
        a still-small heap (parallel.py); then fault in this process's working set (heap.py),
        as the helper does for its own. A worker that stays quiet leaves, and the one that
        takes its place skips this (generation/quiet.py)."""
        heap.keep()
        self.preload()
        if parallel.enabled():
            parallel.helper(finish, grow=True)
        heap.grow()

    def rest(self) -> None:
        """The worker is leaving after a quiet spell (generation/quiet.py): stop its helper."""
        pid = parallel.stop()
        log.info("engine at rest: helper %s stopped", pid or "(none)")

    # -- orchestration -------------------------------------------------------------------------
    def _run(self, request: EngineRequest, sink: Sink) -> None:
        workdir = Path(request.workdir)
        workdir.mkdir(parents=True, exist_ok=True)
        jobs = {**JOBS, "replace_section": ReplaceSectionJob}
        if request.mode not in jobs:
            raise EngineError(f"The local engine does not support the mode {request.mode!r}.")
        job = jobs[request.mode](request)
        texts = job.prepare()
        sink.planned(Plan(titles=[texts.title] * 2, styles=[texts.style_label] * 2, lyrics=[texts.lyrics] * 2))
        t0 = time.perf_counter()
        helper = _start_variation(request, job, texts, finish) if parallel.enabled() else None
        try:
            take0 = finish(request, job, 0, job.render(0), texts)
            sink.take(take0)
        except BaseException:
            if helper:
                helper.abort()
            raise
        took = time.perf_counter() - t0
        take1 = helper.result(max(parallel.MIN_WAIT, parallel.WAIT_FACTOR * took)) if helper else None
        if take1 is None:  # no second core, or the helper process was lost: render it here
            take1 = finish(request, job, 1, job.render(1), texts)
        sink.take(take1)
        del job
        heap.settle()


def finish(request: EngineRequest, job, index: int, mix: np.ndarray, texts: Texts) -> Take:
    """Master, encode, verify on the decoded MP3, draw the cover, and describe the take."""
    t_start = time.perf_counter()
    workdir = Path(request.workdir)
    mp3 = workdir / f"take-{index}.mp3"
    t = time.perf_counter()
    audio = job.master(index, mix)
    lu = job.lufs
    timings = {"render": t_start - job.render_started.get(index, t_start), "master": time.perf_counter() - t}
    live = Path(request.stream_dir) / f"take-{index}.mp3" if request.stream_dir else None
    relay = None
    if live is not None and request.stream_relay:
        from studio.relay import Writer
        relay = Writer(request.stream_relay["url"], f"{request.stream_relay['key']}:{index}",
                       request.stream_relay["ttl"])
    for attempt in range(3):
        t = time.perf_counter()
        if live is not None and attempt == 0:
            data = stream_mp3(live, audio, relay=relay)
        else:
            data = write_mp3(mp3, audio)
        timings[f"encode{attempt}"] = time.perf_counter() - t
        t = time.perf_counter()
        dec, sr = decode(data)
        tp = true_peak_db(dec)
        timings[f"verify{attempt}"] = time.perf_counter() - t
        if tp <= CEILING_DBTP - 0.05:
            break
        # MP3 overshoot: pull the limiter ceiling down by the excess and encode again
        audio = job.correct(audio, tp_excess=tp - (CEILING_DBTP - 0.1))
        lu = job.lufs
    if live is not None:
        mp3 = publish_stream(live, mp3 if attempt else None)
    if relay is not None:
        relay.end()
    log.debug("take %d timings %s", index, timings)
    if settings.STUDIO_ENGINE_TIMINGS:
        print("timings", index, {k: round(v, 3) for k, v in timings.items()}, file=sys.stderr)
    duration = dec.shape[1] / sr
    wav_path = None
    if request.wav or request.mode == "replace_section":
        # A replaced take's lossless master: the audio it kept is its source's, bit for bit.
        wav_path = workdir / f"take-{index}.wav"
        write_wav(wav_path, audio)
    img = workdir / f"cover-{index}.jpg"
    st = job.style
    t = time.perf_counter()
    cover(img, texts.style_label, variation_seed(request.seed, index),
          art.Mood(energy=st.energy, minor=st.mode == "minor", tempo=st.tempo))
    timings["cover"] = time.perf_counter() - t
    analysis = job.analysis(index)
    analysis.update({"duration": round(duration, 3), "lufs": round(lu, 2), "true_peak_db": round(tp, 2)})
    if request.mode in ("extend", "upload_extend"):
        # The take holds the source up to continueAt, then the new part: the library's
        # whole-song stitch must not repeat the source.
        analysis["includes_source"] = True
    return Take(index=index, title=texts.title, style=texts.style_label, lyrics=texts.lyrics,
                duration=round(duration, 3),
                audio_path=mp3, image_path=img, wav_path=wav_path, peaks=peaks(dec), model_name=request.model_name,
                analysis=analysis,
                engine_id=f"local-{stable_hash(request.seed, index, texts.title) & 0xFFFFFFFFFFFF:012x}")


_start_variation = parallel.submit  # a module attribute, so tests can watch it
