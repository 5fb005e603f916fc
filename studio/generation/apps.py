from django.apps import AppConfig


def warm_engine(sender=None, proc_name=None, **kwargs) -> None:
    """A django-q2 worker just spawned: let the configured engine get ready for its first job."""
    import logging

    from django.conf import settings

    from studio.engines import registry

    try:
        engine = registry.get(settings.STUDIO_ENGINE)
        if hasattr(engine, "warm_up"):
            engine.warm_up()
    except Exception:  # noqa: BLE001 - a cold first job is slower, not broken
        logging.getLogger(__name__).exception("engine warm-up failed in %s", proc_name)


class GenerationConfig(AppConfig):
    name = "studio.generation"
    label = "generation"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_migrate
        from django_q.signals import post_spawn

        from .reaper import ensure_schedule
        from .uploads import remove_owners_uploads

        post_spawn.connect(warm_engine, dispatch_uid="studio-warm-engine")
        post_migrate.connect(ensure_schedule, sender=self, dispatch_uid="studio-reaper-schedule")
        post_delete.connect(remove_owners_uploads, sender=get_user_model(),
                            dispatch_uid="studio-remove-owners-uploads")
