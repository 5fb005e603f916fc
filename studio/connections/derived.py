"""What a vendor derives from a take it made, asked of that vendor: today the word timings
(`get-timestamped-lyrics`, suno_api.md §2 row 12). They are kept in the take's analysis in the
shape the local engine records, so karaoke, LRC and Studio's own API read both alike, and the
vendor is asked once per take."""
from __future__ import annotations

from studio.library import timed_lyrics
from studio.library.models import Track

from .models import connection_for


def vendor_engine(track: Track):
    """The engine of the v1 connection that made `track`, or None (a local take, a legacy
    vendor, which has no such endpoint, or a connection since removed)."""
    generation = track.generation
    connection = connection_for(generation.engine)
    if connection is None or connection.dialect != "v1":
        return None
    if not (track.engine_id and generation.engine_task_id):
        return None
    return connection.engine()


def timing_pending(track: Track) -> bool:
    """A sung vendor take whose vendor has not been asked for its word timings yet."""
    return (not track.is_instrumental and "lyrics_timing" not in (track.analysis or {})
            and vendor_engine(track) is not None)


def fetch_timing(track: Track) -> bool:
    """Ask the vendor for `track`'s word timings once and keep them; whether it has any now.
    A vendor's failure (VendorError) is raised and nothing is kept, so it is asked again."""
    if timed_lyrics.lines(track):
        return True
    if not timing_pending(track):
        return False
    words = vendor_engine(track).timestamped_lyrics(track.generation.engine_task_id,
                                                    track.engine_id)
    timing = {**timed_lyrics.from_aligned_words(words), "source": "vendor"}
    fresh = Track.objects.get(pk=track.pk)  # merge into what is stored now, not what was read
    track.analysis = {**(fresh.analysis or {}), "lyrics_timing": timing}
    Track.objects.filter(pk=track.pk).update(analysis=track.analysis)
    return bool(timing["lines"])
