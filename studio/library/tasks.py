"""django-q2 entry points: thin."""
from . import trash


def purge_trash() -> int:
    """The trash's daily schedule (trash.ensure_schedule)."""
    return trash.purge()
