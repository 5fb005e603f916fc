"""A staged internet for tests: the seeds' example.com hosts resolve to a public address
and serve real audio, without leaving the machine."""
import httpx

from studio.api import outbound
from tests.factories import mp3_bytes

PUBLIC_ADDRESS = "93.184.215.14"


def stage(monkeypatch, files: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Serve `files` ({"https://host/path": bytes}); every example.com name is public."""
    served = dict(files or {})
    real_resolve = outbound.resolve

    def resolve(host, port):
        if host == "example.com" or host.endswith(".example.com"):
            return [PUBLIC_ADDRESS]
        return real_resolve(host, port)

    def handler(request: httpx.Request) -> httpx.Response:
        host = request.extensions.get("sni_hostname") or request.headers["Host"]
        key = f"{request.url.scheme}://{host}{request.url.raw_path.decode()}"
        assert request.url.host == PUBLIC_ADDRESS  # the connection went to the checked address
        if key in served:
            return httpx.Response(200, content=served[key])
        return httpx.Response(404, content=b"not here")

    monkeypatch.setattr(outbound, "resolve", resolve)
    monkeypatch.setattr(outbound, "_inner_transport", lambda: httpx.MockTransport(handler))
    return served


def stage_seed_audio(monkeypatch):
    audio = mp3_bytes(3.0)
    return stage(monkeypatch, {"https://example.com/music.mp3": audio,
                               "https://storage.example.com/upload": audio})
