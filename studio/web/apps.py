from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "studio.web"
    label = "web"

    def ready(self):
        from studio import checks  # noqa: F401  (registers the system checks)
