"""django-q2 entry points: thin, ids only."""
from . import callbacks


def deliver_callbacks(generation_id: str) -> None:
    callbacks.deliver_all(generation_id)


def deliver_stems_callback(stems_id: str) -> None:
    callbacks.deliver_stems(stems_id)
