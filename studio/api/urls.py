import functools

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from . import derived, extras, files, keys, legacy, openapi, personas, v1, visuals
from .envelope import LEGACY, V1, ApiError, endpoint

app_name = "api"


def _not_found(dialect):
    @endpoint("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", dialect=dialect,
              public=True)
    def not_found(request, rest=""):
        raise ApiError(404, f"Invalid request method or path: {request.path}")
    return not_found


def _readable(view):
    """A public GET view of the API's paths, answering as the API does: another method is the
    v1 envelope's 404 (not Django's CSRF page: no cookie is involved), a link that names
    nothing is a JSON 404 (a script reads why; a player only sees the status)."""
    wrong_method = _not_found(V1)

    @functools.wraps(view)
    @csrf_exempt
    @login_not_required
    def readable(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return wrong_method(request)
        try:
            return view(request, *args, **kwargs)
        except Http404 as missing:
            return JsonResponse({"code": 404, "msg": str(missing), "data": None}, status=404)
    return readable


@_readable
def openapi_document(request):
    return JsonResponse(openapi.document())


@_readable
def file(request, token):
    return files.serve(request, token)


@_readable
def download(request, token):
    return files.serve_download(request, token)


urlpatterns = [
    path("api/v1/generate", v1.generate, name="generate"),
    path("api/v1/generate/extend", v1.extend, name="extend"),
    path("api/v1/generate/upload-cover", v1.upload_cover, name="upload-cover"),
    path("api/v1/generate/add-instrumental", v1.add_instrumental, name="add-instrumental"),
    path("api/v1/generate/replace-section", v1.replace_section, name="replace-section"),
    path("api/v1/generate/add-vocals", v1.add_vocals, name="add-vocals"),
    path("api/v1/generate/upload-extend", v1.upload_extend, name="upload-extend"),
    path("api/v1/generate/sounds", v1.sounds, name="sounds"),
    path("api/v1/generate/mashup", v1.mashup, name="mashup"),
    path("api/v1/generate/record-info", v1.record_info, name="record-info"),
    path("api/v1/generate/credit", v1.credit, name="credit"),
    path("api/v1/chat/credit", v1.credit, name="chat-credit"),  # kie's Common API path
    path("api/v1/common/download-url", v1.download_url, name="download-url"),
    path("api/v1/generate/get-timestamped-lyrics", derived.timestamped_lyrics,
         name="timestamped-lyrics"),
    path("api/v1/generate/generate-persona", personas.generate_persona,
         name="generate-persona"),
    path("api/v1/vocal-removal/generate", derived.vocal_removal, name="vocal-removal"),
    path("api/v1/vocal-removal/record-info", derived.vocal_removal_record,
         name="vocal-removal-record-info"),
    path("api/v1/midi/generate", derived.midi_generate, name="midi"),
    path("api/v1/midi/record-info", derived.midi_record, name="midi-record-info"),
    path("api/v1/lyrics", extras.lyrics, name="lyrics"),
    path("api/v1/lyrics/record-info", extras.lyrics_record_info, name="lyrics-record-info"),
    path("api/v1/style/generate", extras.style_generate, name="style-generate"),
    path("api/v1/wav/generate", extras.wav_generate, name="wav-generate"),
    path("api/v1/wav/record-info", extras.wav_record_info, name="wav-record-info"),
    path("api/v1/mp4/generate", visuals.mp4_generate, name="mp4-generate"),
    path("api/v1/mp4/record-info", visuals.mp4_record_info, name="mp4-record-info"),
    path("api/v1/suno/cover/generate", visuals.cover_generate, name="cover-generate"),
    path("api/v1/suno/cover/record-info", visuals.cover_record_info,
         name="cover-record-info"),
    path("api/file-stream-upload", v1.file_stream_upload, name="file-stream-upload"),
    path("api/file-base64-upload", v1.file_base64_upload, name="file-base64-upload"),
    path("api/file-url-upload", v1.file_url_upload, name="file-url-upload"),
    path("api/files/<str:token>", file, name="file"),
    path("api/downloads/<str:token>", download, name="download"),
    path("api/openapi.json", openapi_document, name="openapi"),
    path("api/keys/", keys.index, name="keys"),
    path("api/keys/<int:pk>/revoke", keys.revoke, name="revoke"),
    path("api/keys/webhook-secret", keys.rotate_secret, name="rotate-secret"),
    path("suno/music/generate-music", legacy.generate_music, name="legacy-generate-music"),
    path("suno/music/generate-instrumental", legacy.generate_instrumental,
         name="legacy-generate-instrumental"),
    path("suno/music/extend-Instrumental", legacy.extend_instrumental,
         name="legacy-extend-instrumental"),
    # The documented path has a capital I; clients that lower-case it are served too.
    path("suno/music/extend-instrumental", legacy.extend_instrumental),
    path("suno/music/get-task", legacy.get_task, name="legacy-get-task"),
    path("suno/music/get-music", legacy.get_task, name="legacy-get-music"),
    re_path(r"^api/(?P<rest>.*)$", _not_found(V1)),
    re_path(r"^suno/(?P<rest>.*)$", _not_found(LEGACY)),
]
