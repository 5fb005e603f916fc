from django.urls import path

from . import playlists, sharing, trash, views

app_name = "library"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.zip", views.export, name="export"),
    path("running/", views.running, name="running"),
    path("running/<uuid:pk>/dismiss", views.dismiss, name="dismiss"),
    path("tracks/<uuid:pk>/", views.track, name="track"),
    path("tracks/<uuid:pk>/audio.mp3", views.audio, name="audio"),
    path("tracks/<uuid:pk>/player", views.player_info, name="player_info"),
    path("tracks/<uuid:pk>/cover", views.cover, name="cover"),
    path("tracks/<uuid:pk>/cover/<int:size>.webp", views.thumbnail, name="thumbnail"),
    path("tracks/<uuid:pk>/download.mp3", views.download_mp3, name="download_mp3"),
    path("tracks/<uuid:pk>/download.wav", views.download_wav, name="download_wav"),
    path("tracks/<uuid:pk>/rename", views.rename, name="rename"),
    path("tracks/<uuid:pk>/like", views.like, name="like"),
    path("tracks/<uuid:pk>/delete", views.delete, name="delete"),
    path("tracks/<uuid:pk>/playlists", playlists.add_track, name="add_to_playlist"),
    path("tracks/<uuid:pk>/share", sharing.create, {"kind": "track"}, name="share_track"),
    path("tracks/<uuid:pk>/share/revoke", sharing.revoke, {"kind": "track"},
         name="revoke_track_share"),
    path("trash/", trash.index, name="trash"),
    path("trash/<uuid:pk>/restore", trash.restore, name="restore"),
    path("trash/<uuid:pk>/delete", trash.delete_for_good, name="delete_for_good"),
    path("playlists/", playlists.index, name="playlists"),
    path("playlists/<uuid:pk>/", playlists.detail, name="playlist"),
    path("playlists/<uuid:pk>/rename", playlists.rename, name="rename_playlist"),
    path("playlists/<uuid:pk>/delete", playlists.delete, name="delete_playlist"),
    path("playlists/<uuid:pk>/download.zip", playlists.download, name="download_playlist"),
    path("playlists/<uuid:pk>/tracks/<uuid:track_pk>/move", playlists.move, name="move_entry"),
    path("playlists/<uuid:pk>/tracks/<uuid:track_pk>/remove", playlists.remove,
         name="remove_entry"),
    path("playlists/<uuid:pk>/share", sharing.create, {"kind": "playlist"},
         name="share_playlist"),
    path("playlists/<uuid:pk>/share/revoke", sharing.revoke, {"kind": "playlist"},
         name="revoke_playlist_share"),
    # Public: anyone holding the link, no account (see sharing).
    path("s/<str:token>/", sharing.page, name="shared"),
    path("s/<str:token>/<uuid:pk>.mp3", sharing.audio, name="shared_audio"),
    path("s/<str:token>/<uuid:pk>/<int:size>.webp", sharing.cover, name="shared_cover"),
]
