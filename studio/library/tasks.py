"""django-q2 entry points: thin, ids only."""
from . import trash


def purge_trash() -> int:
    """The trash's daily schedule (trash.ensure_schedule)."""
    return trash.purge()


def make_video(video_id: str) -> None:
    from . import videos
    videos.make(video_id)


def draw_cover_art(task_id: str) -> None:
    from . import cover_art
    cover_art.draw(task_id)


def make_wav(conversion_id: str) -> None:
    from . import wavs
    wavs.make(conversion_id)
