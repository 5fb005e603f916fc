from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "studio.library"
    label = "library"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_migrate

        from . import search
        from .signals import remove_owners_tracks
        from .trash import ensure_schedule

        post_delete.connect(remove_owners_tracks, sender=get_user_model(),
                            dispatch_uid="studio-remove-owners-tracks")
        post_migrate.connect(ensure_schedule, sender=self, dispatch_uid="studio-trash-schedule")
        post_migrate.connect(search.ensure, sender=self, dispatch_uid="studio-search-index")
