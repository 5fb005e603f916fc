from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "studio.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        # Callbacks follow the generation's status machine; generation never imports the API.
        from studio.generation.models import stage_reached

        from . import callbacks

        stage_reached.connect(callbacks.on_stage_reached, dispatch_uid="studio.api.callbacks")
        from studio.generation.derive import stems_finished
        stems_finished.connect(callbacks.on_stems_finished, dispatch_uid="studio.api.stems")
