"""The whole song of a chain of extensions, joined into one stretch of audio.

For root → e1 → e2, each extension made at its `continue_at` (seconds in its parent's own
timeline), the song is root up to e1's point, then e1's new music up to e2's point, then
e2's new music to its end. Vendors return extensions holding only new music; an engine may
instead return the source up to `continue_at` followed by the new music. Each extension is
cut accordingly: from its start, or from its `continue_at` when it holds its source. The
track's analysis says which (`includes_source`); without that word we listen: if its first
`continue_at` seconds sound like the source's, it holds the source.

When every extension of the chain holds its source (the local engine's always do), the last
one already is the whole song: joining would only copy it, so it is refused.

This module holds the chain and its rules, all a page needs; `studio.library.joins` joins
the audio (numpy, imported only once someone stitches), and `studio.generation.stitching`
records the result as a track.
"""
from __future__ import annotations

from .lineage import ancestors
from .models import Track


class StitchError(ValueError):
    pass


def chain_of(track: Track, user) -> list[Track]:
    chain = ancestors(track, user) + [track]
    if len(chain) < 2:
        raise StitchError("This track is not an extension of another track.")
    for extension in chain[1:]:
        if extension.continue_at is None:
            raise StitchError(f"“{extension.title or 'Untitled'}” does not say where it "
                              "continues its source.")
    return chain


def holds_whole_song(chain: list[Track]) -> bool:
    """Whether the chain's last track says it already starts with everything before it."""
    return len(chain) > 1 and all((t.analysis or {}).get("includes_source") for t in chain[1:])
