"""django-q2 entry points: thin, ids (and a callback's body) only."""
from . import tracking


def submit_upstream(generation_id: str) -> None:
    tracking.submit(generation_id)


def receive_callback(generation_id: str, payload) -> None:
    tracking.receive_callback(generation_id, payload)


def poll() -> int:
    return tracking.poll()


def keep(generation_id: str) -> int:
    return tracking.keep(generation_id)


def vendor_midi(midi_id: str):
    from .derived import midi

    return midi(midi_id)
