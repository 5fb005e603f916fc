"""The trash: deleting a track moves it here; it can be restored for TRASH_DAYS days, then a
daily django-q2 schedule removes its row and its files.

A trashed track vanishes from the library, its searches, playlists and share links, but its
row and files stay as they were, so a restore brings back everything (likes, playlists, share
link). Lineage is untouched: an extension of a trashed track still shows its family. The API
keeps answering for it until it is purged (see the README).
"""
from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.contrib import messages
from django.db import OperationalError, connection, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from studio import delayed

from .models import TRASH_DAYS, Track

log = logging.getLogger("studio.library")
SCHEDULE = "studio-purge-trash"


def move_to_trash(track: Track) -> None:
    track.trashed_at = timezone.now()
    track.save(update_fields=["trashed_at"])


def remove_for_good(track: Track, *, trashed_before=None) -> bool:
    """Delete the row, then its files once that commits. False when the track was restored
    (or removed, or trashed again after `trashed_before`) meanwhile: a restore that wins the
    race keeps everything."""
    due = Track.objects.filter(pk=track.pk, trashed_at__isnull=False)
    if trashed_before is not None:
        due = due.filter(trashed_at__lt=trashed_before)
    with transaction.atomic():
        _total, per_model = due.delete()
        if not per_model.get(Track._meta.label):
            return False
        transaction.on_commit(track.delete_files)
    return True


def _with_a_fresh_connection_if_locked(act, *args, tries: int = 3, **kwargs):
    """SQLite answers "database is locked" at once, busy timeout or not, to a connection whose
    view of the database another process has moved past; a new connection sees the present."""
    for attempt in range(tries):
        try:
            return act(*args, **kwargs)
        except OperationalError as error:
            if "locked" not in str(error) or attempt == tries - 1:
                raise
            log.info("trash: the database was locked (%s); again on a new connection", error)
            connection.close()
            time.sleep(0.5 * (attempt + 1))


def purge(now=None) -> int:
    """Remove every track trashed more than TRASH_DAYS ago, with its files."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=TRASH_DAYS)
    removed = 0
    # Read the list first: a cursor left open across the deletes would hold a read snapshot
    # that SQLite (WAL) cannot turn into a write once another process has written meanwhile
    # ("database is locked", at once, whatever the busy timeout).
    expired = list(Track.objects.trash_expired(now).only("id", "owner_id", "audio", "wav",
                                                          "cover", "trashed_at"))
    for track in expired:
        if _with_a_fresh_connection_if_locked(remove_for_good, track, trashed_before=cutoff):
            removed += 1
    if removed:
        log.info("trash: removed %d track(s) trashed over %d days ago", removed, TRASH_DAYS)
    return removed


def ensure_schedule(using="default", **kwargs) -> None:
    """Purge daily on django-q2's scheduler (post_migrate)."""
    delayed.every(SCHEDULE, "studio.library.tasks.purge_trash", daily=True, using=using)


@require_safe
def index(request):
    tracks = (Track.objects.owned_by(request.user).in_trash().for_grid()
              .order_by("-trashed_at", "id"))
    return render(request, "library/trash.html", {"tracks": tracks, "days": TRASH_DAYS})


def _trashed(request, pk) -> Track:
    return get_object_or_404(Track.objects.owned_by(request.user).in_trash(), pk=pk)


@require_POST
def restore(request, pk):
    track = _trashed(request, pk)
    Track.objects.filter(pk=track.pk).update(trashed_at=None)
    messages.success(request, f"Restored “{track.title or 'Untitled'}”.")
    return redirect("library:trash")


@require_POST
def delete_for_good(request, pk):
    track = _trashed(request, pk)
    remove_for_good(track)
    messages.success(request, f"Deleted “{track.title or 'Untitled'}” for good.")
    return redirect(reverse("library:trash"))
