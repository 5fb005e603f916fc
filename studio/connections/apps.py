from django.apps import AppConfig


def schedule_poller(sender=None, using="default", **kwargs) -> None:
    """Every minute, a poll batch: the safety net that re-arms the poller if its own delayed
    batches were lost (tracking.arm queues them at each task's own step)."""
    from studio import delayed

    delayed.every("studio-upstream-poll", "studio.connections.tasks.poll", minutes=1, using=using)


class ConnectionsConfig(AppConfig):
    name = "studio.connections"
    label = "connections"
    verbose_name = "Engines and connections"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from studio.generation import reaper, streams

        from . import preview, tracking

        streams.elsewhere(preview.find)
        reaper.waiting_elsewhere(tracking.settle_stalled)
        post_migrate.connect(schedule_poller, sender=self, dispatch_uid="studio-upstream-poll")
        from studio.generation.derive import stems_finished

        from .derived import on_stems_finished

        stems_finished.connect(on_stems_finished, dispatch_uid="studio.connections.midi")
