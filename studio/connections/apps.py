from django.apps import AppConfig


def schedule_poller(sender=None, **kwargs) -> None:
    """The poller runs as a django-q2 schedule, every minute (the scheduler's finest step;
    callbacks are the fast path, the poller the safety net)."""
    from django_q.models import Schedule

    Schedule.objects.update_or_create(
        name="studio-upstream-poll",
        defaults={"func": "studio.connections.tasks.poll", "schedule_type": Schedule.MINUTES,
                  "minutes": 1, "repeats": -1})


class ConnectionsConfig(AppConfig):
    name = "studio.connections"
    label = "connections"
    verbose_name = "Engines and connections"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from studio.generation import streams

        from . import preview

        streams.elsewhere(preview.find)
        post_migrate.connect(schedule_poller, sender=self, dispatch_uid="studio-upstream-poll")
