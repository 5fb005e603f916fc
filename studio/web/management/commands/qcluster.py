"""`manage.py qcluster`: django-q2's cluster, with the engine loaded before it forks.

django-q2 forks every process of a cluster from this one (its sentinel, which forks the
workers, the monitor and the pusher). The engine's imports and tables (numpy, scipy,
pedalboard, the wavetables, the lyric writer) used to be loaded by each worker after it was
forked, so every worker held its own copy for as long as it lived. Loaded here first (the
engine's `preload`), they are one copy that the workers share: an idle cluster of 2 workers
holds about 280 MB instead of 330 (bench/idle.py --production; README, The local engine).

`gc.freeze()` then moves everything loaded so far out of the collector's reach: a full
collection in a worker would otherwise write to every shared object's header and copy the
pages back, one process at a time.

Each worker is spawned through generation/quiet.py: it leaves after a quiet spell, and a cold
one takes its place, sharing those pages again.

This command takes the place of django-q2's own (studio.web comes before django_q in
INSTALLED_APPS), so `up` and a bare `manage.py qcluster` on a worker host get the same.
"""
import gc
import logging

from django.conf import settings
from django_q.management.commands.qcluster import Command as ClusterCommand

from studio.engines import registry
from studio.generation import quiet

log = logging.getLogger(__name__)


class Command(ClusterCommand):
    def handle(self, *args, **options):
        preload()
        quiet.install()
        super().handle(*args, **options)


def preload() -> None:
    """Load the configured engine's shared part, if it has one, and freeze the heap."""
    try:
        engine = registry.get(settings.STUDIO_ENGINE)
        if hasattr(engine, "preload"):
            engine.preload()
    except Exception:  # noqa: BLE001 - each worker's warm-up loads it again, only unshared
        log.exception("engine preload failed; each worker loads its own")
    gc.collect()
    gc.freeze()
