from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("", views.index, name="index"),
    path("tracks/<uuid:pk>/", views.track, name="track"),
    path("tracks/<uuid:pk>/audio.mp3", views.audio, name="audio"),
    path("tracks/<uuid:pk>/cover", views.cover, name="cover"),
]
