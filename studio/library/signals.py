"""A user's files go with the user.

Rows cascade when a user is deleted (generations, tracks, uploads), but files are not rows:
each app removes the folder its files live in for that owner, once the deletion commits (a
rolled-back deletion keeps them). Here: tracks/<owner>/, with every track's audio, cover,
WAV and what was derived from them (thumbnails, tagged downloads).
"""
from __future__ import annotations

import shutil

from django.db import transaction

from .models import Track


def remove_folder(storage, folder: str) -> None:
    """`folder` and everything under it, on local disk or any storage that can list."""
    try:
        shutil.rmtree(storage.path(folder), ignore_errors=True)
        return
    except NotImplementedError:  # a remote storage: no paths, only names
        pass
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        storage.delete(f"{folder}/{name}")
    for name in dirs:
        remove_folder(storage, f"{folder}/{name}")


def remove_owners_tracks(sender, instance, using, **kwargs) -> None:
    storage = Track._meta.get_field("audio").storage
    folder = f"tracks/{instance.pk}"
    transaction.on_commit(lambda: remove_folder(storage, folder), using=using)
