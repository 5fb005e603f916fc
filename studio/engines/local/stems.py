"""A local take taken apart into its parts: exact stems, not estimated ones.

The engine is deterministic for (request, seed), so a take is rendered again, each group of
parts on its own; every step after the parts (reverb send, lo-fi filter, mastering's gains,
fade-out) is linear once the whole mix's gains are known, and those are applied to every
stem (mastering.master(also=...)). The stems therefore sum to the take's master, to float
precision. The names are the vendors' (suno_api.md §4.3, vocal_removal_info).
"""
from __future__ import annotations

import numpy as np

from ..base import EngineError, EngineRequest
from .composer import Score, variation_seed
from .instruments import render_score
from .mastering import CEILING_DBTP, true_peak_db
from .modes import GenerateJob, SoundJob

# Our instruments under the vendors' stem names; anything else is a synth.
STEM_OF = {"bass": "bass", "synth_bass": "bass", "808": "bass", "upright": "bass",
           "piano": "keyboard", "epiano": "keyboard", "organ": "keyboard",
           "guitar": "guitar", "dist_guitar": "guitar", "strings": "strings", "brass": "brass",
           "flute": "woodwinds"}
# In the vendors' order (split_stem lists up to 12; these are the ones our parts fill).
SPLIT_STEMS = ("vocals", "drums", "bass", "guitar", "keyboard", "strings", "synth", "brass",
               "woodwinds", "fx")
# What the engine composed whole: songs, and sounds (a loop's wrap is linear: its stems are
# wrapped as its mix is, then mastered with it as three copies, keeping the middle one).
MODES = {"generate": GenerateJob, "instrumental": GenerateJob, "sounds": SoundJob}


def groups(score: Score, style) -> dict[str, set[str]]:
    """Stem name → the score's parts in it (vocals and drums are not parts: see render)."""
    out: dict[str, set[str]] = {}
    for name, part in score.parts.items():
        if part.notes:
            out.setdefault(STEM_OF.get(part.instrument, "synth"), set()).add(name)
    if score.vocal:
        out["vocals"] = set()
    if score.drums:
        out["drums"] = set()
    if "lofi" in style.flavors:
        out["fx"] = set()  # the record crackle
    return {name: out[name] for name in SPLIT_STEMS if name in out}


def separate(request: EngineRequest, index: int) -> dict[str, np.ndarray]:
    """Take `index` of `request` as mastered stereo stems, name → (2, n) float32, summing to
    the take's master. Only songs the engine composed whole can be taken apart."""
    from studio import audio as audio_io
    from studio import mp3
    if request.mode not in MODES:
        raise EngineError("The local engine can separate only songs it composed itself; this take "
                          "holds audio it did not make (an extension, cover or upload).", code=422,
                          status="CREATE_TASK_FAILED")
    job = MODES[request.mode](request)
    job.prepare()
    score = job.compose(index)
    job.scores[index] = score
    vocal = job.sing(score, index)
    seed = variation_seed(request.seed, index)
    mix = render_score(score, job.style, seed, vocal=vocal)
    gain = render_score.last_vocal_gain if vocal is not None else None
    stems = {name: render_score(score, job.style, seed, vocal=vocal if name == "vocals" else None,
                                only=parts, drums=name == "drums", fx=name == "fx", vocal_gain=gain)
             for name, parts in groups(score, job.style).items()}
    if isinstance(job, SoundJob):
        mix = job.wrapped(index, mix)
        stems = {name: job.wrapped(index, stem) for name, stem in stems.items()}
    also = list(stems.values())
    out = job.master(index, mix, also=also)
    # The take's own true-peak check (engine.finish), so the same corrections happen.
    for _attempt in range(3):
        decoded, _sr = audio_io.decode(mp3.encode(out))
        tp = true_peak_db(decoded)
        if tp <= CEILING_DBTP - 0.05:
            break
        out = job.correct(out, tp_excess=tp - (CEILING_DBTP - 0.1), also=also)
    stems["_mix"] = out
    return stems
