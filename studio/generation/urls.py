from django.urls import path

from . import views

app_name = "generation"
urlpatterns = [
    path("create/", views.create, name="create"),
    path("uploads/", views.upload, name="upload"),
    path("create/write-lyrics", views.write_lyrics, name="write_lyrics"),
    path("create/boost-style", views.boost_style, name="boost_style"),
    path("uploads/<uuid:pk>/", views.upload_info, name="upload_info"),
    path("uploads/<uuid:pk>/audio", views.upload_audio, name="upload_audio"),
    path("generations/<uuid:pk>/", views.detail, name="detail"),
    path("generations/<uuid:pk>/takes/<int:variation>/stream.mp3", views.stream, name="stream"),
    path("tracks/<uuid:pk>/replace", views.replace, name="replace"),
    path("tracks/<uuid:pk>/whole-song", views.whole_song, name="whole_song"),
    path("tracks/<uuid:pk>/stems", views.make_stems, name="make_stems"),
    path("tracks/<uuid:pk>/midi", views.make_midi, name="make_midi"),
    path("tracks/<uuid:pk>/song.mid", views.midi_file, name="midi_file"),
    path("tracks/<uuid:pk>/piano-roll.svg", views.piano_roll, name="piano_roll"),
]
