from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "studio.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        # Callbacks follow the generation's status machine; generation never imports the API.
        from django.db.models.signals import post_migrate

        from studio.generation.models import stage_reached

        from . import callbacks, polls  # noqa: F401 - polls counts this process's writes

        stage_reached.connect(callbacks.on_stage_reached, dispatch_uid="studio.api.callbacks")
        post_migrate.connect(callbacks.ensure_schedule, sender=self,
                             dispatch_uid="studio-callback-sweep")
        from studio.generation.derive import stems_finished
        stems_finished.connect(callbacks.on_stems_finished, dispatch_uid="studio.api.stems")
        from studio.library.cover_art import cover_art_finished
        from studio.library.videos import video_finished

        from . import visuals
        video_finished.connect(visuals.on_video_finished, dispatch_uid="studio.api.video")
        cover_art_finished.connect(visuals.on_cover_art_finished,
                                   dispatch_uid="studio.api.cover_art")
        from studio.generation.writing import lyrics_finished
        from studio.library.wavs import wav_finished

        from . import extras
        lyrics_finished.connect(extras.on_lyrics_finished, dispatch_uid="studio.api.lyrics")
        wav_finished.connect(extras.on_wav_finished, dispatch_uid="studio.api.wav")
        from studio.connections.derived import midi_finished

        from . import derived
        midi_finished.connect(derived.on_midi_finished, dispatch_uid="studio.api.midi")
