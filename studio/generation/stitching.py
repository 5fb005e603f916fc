"""Making a whole song: a chain of extensions joined into one new track in the library.

`studio.library.stitch` says what the chain is and `studio.library.joins` joins its audio;
this records the result the way every track in the library is recorded, as the take of a
generation, here one that is finished as it is made. Generations are written by this app
alone.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from studio.audio import peaks
from studio.library import stitch
from studio.library.models import Track

from .models import Generation, Mode, Status


def whole_song(track: Track, user) -> Track:
    """Stitch `track`'s chain into a new track owned by `user`, child of `track`."""
    from studio.library import joins  # numpy: loaded by the request that stitches, not before

    chain = stitch.chain_of(track, user)
    samples, rate = joins.stitch_audio(chain)
    root = chain[0]
    title = f"{root.title or 'Untitled'} (whole song)"[:200]
    with tempfile.TemporaryDirectory(prefix="studio-stitch-") as workdir:
        path = Path(workdir) / "song.mp3"
        duration = joins.write_mp3(samples, rate, path)
        with transaction.atomic():
            generation = Generation.objects.create(
                owner=user, mode=Mode.EXTEND, status=Status.SUCCESS, source_track=track,
                model=track.generation.model, finished_at=timezone.now(),
                params={"title": title, "style": root.style,
                        "stitchedFrom": [str(t.pk) for t in chain]})
            song = Track(owner=user, generation=generation, variation=0, title=title,
                         style=root.style, lyrics="\n\n".join(t.lyrics for t in chain
                                                              if t.lyrics.strip()),
                         duration=duration, peaks=peaks(samples.T),
                         model_name=track.model_name, parent=track,
                         analysis={**(root.analysis or {}), "stitched_from": [
                             str(t.pk) for t in chain], "includes_source": False})
            files = {"audio": ("audio.mp3", path)}
            if root.cover:
                files["cover"] = (Path(root.cover.name).name, root.cover)
            song.save_with_files(files)
    return song
