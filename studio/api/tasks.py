"""django-q2 entry points: thin, ids only."""
from . import callbacks


def deliver_callbacks(generation_id: str) -> None:
    callbacks.deliver_all(generation_id)


def deliver_callback_again(delivery_id: int, attempt: int) -> None:
    callbacks.deliver_again(delivery_id, attempt)


def deliver_feature_callback_again(waiting_id: int, attempt: int) -> None:
    callbacks.post_again(waiting_id, attempt)


def post_callback_again(url: str, payload: str, owner_id: int, task_id: str, attempt: int) -> None:
    """A feature callback's retry as Studio queued it before retries waited in a row (a
    broker may still hold one after an upgrade)."""
    callbacks.post_attempt(url, payload, owner_id, task_id, attempt)


def sweep_callbacks() -> int:
    """The sweep's schedule (callbacks.ensure_schedule): every minute."""
    return callbacks.sweep()


# The first attempts at feature callbacks as Studio queued them before they had their row
# (callbacks.owe queues deliver_feature_callback_again): a broker may still hold one after an
# upgrade.

def deliver_stems_callback(stems_id: str) -> None:
    callbacks.deliver_stems(stems_id)


def deliver_midi_callback(stems_id: str) -> None:
    from . import derived
    derived.deliver_midi(stems_id)


def deliver_video_callback(video_id: str) -> None:
    from . import visuals
    visuals.deliver_video(video_id)


def deliver_cover_art_callback(task_id: str) -> None:
    from . import visuals
    visuals.deliver_cover_art(task_id)


# The lyrics and WAV jobs as Studio queued them before they moved to where the work is done
# (generation/tasks.py, library/tasks.py): a broker may still hold one after an upgrade.

def write_lyrics(task_id: str) -> None:
    from studio.generation import writing
    writing.write(task_id)


def make_wav(conversion_id: str) -> None:
    from studio.library import wavs
    wavs.make(conversion_id)
