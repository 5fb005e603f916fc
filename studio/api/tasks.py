"""django-q2 entry points: thin, ids only."""
from . import callbacks


def deliver_callbacks(generation_id: str) -> None:
    callbacks.deliver_all(generation_id)


def deliver_stems_callback(stems_id: str) -> None:
    callbacks.deliver_stems(stems_id)


def write_lyrics(task_id: str) -> None:
    from . import extras
    extras.write_lyrics(task_id)


def make_wav(conversion_id: str) -> None:
    from . import extras
    extras.make_wav(conversion_id)


def deliver_video_callback(video_id: str) -> None:
    from . import visuals
    visuals.deliver_video(video_id)


def deliver_cover_art_callback(task_id: str) -> None:
    from . import visuals
    visuals.deliver_cover_art(task_id)
