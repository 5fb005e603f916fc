from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.zip", views.export, name="export"),
    path("running/", views.running, name="running"),
    path("running/<uuid:pk>/dismiss", views.dismiss, name="dismiss"),
    path("tracks/<uuid:pk>/", views.track, name="track"),
    path("tracks/<uuid:pk>/audio.mp3", views.audio, name="audio"),
    path("tracks/<uuid:pk>/cover", views.cover, name="cover"),
    path("tracks/<uuid:pk>/cover/<int:size>.webp", views.thumbnail, name="thumbnail"),
    path("tracks/<uuid:pk>/download.mp3", views.download_mp3, name="download_mp3"),
    path("tracks/<uuid:pk>/download.wav", views.download_wav, name="download_wav"),
    path("tracks/<uuid:pk>/lyrics.lrc", views.lyrics_lrc, name="lyrics_lrc"),
    path("tracks/<uuid:pk>/stems/", views.stems_block, name="stems_block"),
    path("tracks/<uuid:pk>/stems.zip", views.stems_zip, name="stems_zip"),
    path("tracks/<uuid:pk>/stems/<slug:name>.flac", views.stem_audio, name="stem_audio"),
    path("tracks/<uuid:pk>/rename", views.rename, name="rename"),
    path("tracks/<uuid:pk>/delete", views.delete, name="delete"),
]
