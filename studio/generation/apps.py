from django.apps import AppConfig


def started_now(sender=None, task=None, **kwargs) -> None:
    """A worker begins a job: its `started` becomes now. django-q2 records when the job was
    queued, which for a job queued to run later (studio/delayed.py) counts the broker's wait
    as the worker's; this way a job's row says how long it held a worker."""
    from django.utils import timezone

    if task is not None:
        task["started"] = timezone.now()


class GenerationConfig(AppConfig):
    name = "studio.generation"
    label = "generation"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_migrate
        from django_q.signals import pre_execute

        from .reaper import ensure_schedule
        from .uploads import remove_owners_uploads

        pre_execute.connect(started_now, dispatch_uid="studio-job-started")
        post_migrate.connect(ensure_schedule, sender=self, dispatch_uid="studio-reaper-schedule")
        post_delete.connect(remove_owners_uploads, sender=get_user_model(),
                            dispatch_uid="studio-remove-owners-uploads")
