"""The operator's connections, from environment variables (settings.STUDIO_CONNECTIONS),
kept as rows with no owner so generations can point at them like at any connection."""
from __future__ import annotations

from django.conf import settings
from django.db import transaction

_synced: list = []


def sync(*, force: bool = False) -> None:
    """Make the rows match the settings, once per process (or again when `force`)."""
    configured = settings.STUDIO_CONNECTIONS
    if _synced == [configured] and not force:
        return
    from .models import Connection, KeyUnreadable, decrypt

    names = set()
    with transaction.atomic():
        for entry in configured:
            if not (entry.get("url") and entry.get("key")):
                continue
            names.add(entry["name"])
            row = Connection.objects.filter(operator_name=entry["name"]).first() or \
                Connection(operator_name=entry["name"], owner=None)
            try:
                same_key = bool(row.api_key_encrypted) and \
                    decrypt(row.api_key_encrypted) == entry["key"]
            except KeyUnreadable:
                same_key = False
            row.name, row.family = entry["name"], entry.get("vendor") or "sunoapi"
            row.base_url, row.upload_base_url = entry["url"], entry.get("upload_url", "")
            row.removed_at = None
            if not same_key:
                row.set_api_key(entry["key"])
            try:
                same_webhook_key = row.webhook_key() == entry.get("webhook_key", "")
            except KeyUnreadable:
                same_webhook_key = False
            if not same_webhook_key:
                row.set_webhook_key(entry.get("webhook_key", ""))
            row.save()
        from django.utils import timezone

        (Connection.objects.filter(owner__isnull=True, removed_at__isnull=True)
         .exclude(operator_name__in=names).update(removed_at=timezone.now()))
    _synced[:] = [configured]
