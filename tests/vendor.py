"""A small fault-injecting vendor on 127.0.0.1: each path answers from a script (status, body,
delay), and every request it got is kept, so a test can count what was sent."""
from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Answer:
    def __init__(self, body=None, *, status=200, delay=0.0, raw: bytes | None = None,
                 content_type="application/json", pause: float = 0.0, ranges: bool = False,
                 hold: threading.Event | None = None):
        self.body, self.status, self.delay, self.raw = body, status, delay, raw
        self.content_type = content_type
        self.ranges = ranges  # honours one "bytes=a-b" Range: 206 with its Content-Range
        self.pause = pause  # sends the first half of the body, waits this long, then the rest
        self.hold = hold  # sends the first half, waits until the test sets it, then the rest

    def bytes(self) -> bytes:
        if self.raw is not None:
            return self.raw
        return json.dumps(self.body).encode()


class FaultVendor:
    """`script[path]` is a list of Answers given in turn (the last one repeats)."""

    def __init__(self):
        self.script: dict[str, list[Answer]] = {}
        self.requests: list[dict] = []
        vendor = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self):
                length = int(self.headers.get("Content-Length", 0) or 0)
                raw = self.rfile.read(length) if length else b""
                path = self.path.split("?")[0]
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                vendor.requests.append({"at": time.time(), "method": self.command, "path": path,
                                        "query": self.path.partition("?")[2],
                                        "headers": dict(self.headers), "body": body})
                answers = vendor.script.get(path)
                if not answers:
                    answer = Answer({"code": 404, "msg": "no such path"}, status=404)
                else:
                    answer = answers.pop(0) if len(answers) > 1 else answers[0]
                if answer.delay:
                    time.sleep(answer.delay)
                payload = answer.bytes()
                status, extra = answer.status, {}
                wanted = re.match(r"^bytes=(\d+)-(\d*)$", self.headers.get("Range", ""))
                if answer.ranges and wanted:
                    start = int(wanted.group(1))
                    end = min(int(wanted.group(2) or len(payload) - 1), len(payload) - 1)
                    if start >= len(payload):
                        extra["Content-Range"] = f"bytes */{len(payload)}"
                        status, payload = 416, b""
                    else:
                        extra["Content-Range"] = f"bytes {start}-{end}/{len(payload)}"
                        status, payload = 206, payload[start:end + 1]
                if answer.ranges:
                    extra["Accept-Ranges"] = "bytes"
                try:
                    self.send_response(status)
                    for name, value in extra.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", answer.content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    if answer.pause or answer.hold:
                        half = len(payload) // 2
                        self.wfile.write(payload[:half])
                        self.wfile.flush()
                        if answer.hold:
                            answer.hold.wait(60)
                        time.sleep(answer.pause)
                        payload = payload[half:]
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def on(self, path: str, *answers: Answer) -> None:
        self.script[path] = list(answers)

    def sent(self, path: str) -> list[dict]:
        return [r for r in self.requests if r["path"] == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# -- a vendor's music video and cover art (suno_api.md §2 rows 20, 21, 23, 24) ----------------

def vendor_mp4(tmp_path, *, seconds: float = 3.0, size: int = 160) -> bytes:
    """A real small MP4 (H.264 + AAC) as a vendor serves one: smaller than Studio's own (640
    px), so a copy is told from a local render by its size."""
    from studio import video
    from tests.video import RATE, song_samples

    path = tmp_path / "vendor.mp4"
    video.render(video.Song(samples=song_samples(seconds), rate=RATE, title="Vendor cut"),
                 path, size=size, fps=10)
    return path.read_bytes()


def vendor_image(width: int, height: int, colour: tuple[int, int, int],
                 kind: str = "JPEG") -> bytes:
    """A real image (JPEG, or `kind`) of `width`×`height`, a gradient over `colour` (not one
    flat block)."""
    import io

    import numpy as np
    from PIL import Image

    ramp = np.linspace(0, 1, width)[None, :, None]
    pixels = (np.array(colour)[None, None, :] * (0.5 + 0.5 * ramp)).repeat(height, axis=0)
    buffer = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8), "RGB").save(buffer, kind)
    return buffer.getvalue()


def mp4_task(task_id: str) -> Answer:
    return Answer({"code": 200, "msg": "success", "data": {"taskId": task_id}})


def mp4_record(task_id: str, flag: str, video_url: str = "", message: str = "") -> Answer:
    """The vendors' mp4/record-info (§3.5), epoch-ms times."""
    return Answer({"code": 200, "msg": "success", "data": {
        "taskId": task_id, "musicId": "vendor-take", "audioId": "vendor-take",
        "callbackUrl": "", "completeTime": 1733100000000 if video_url else None,
        "response": {"videoUrl": video_url or None}, "successFlag": flag,
        "createTime": 1733099990000, "errorCode": 501 if message else None,
        "errorMessage": message or None}})


def cover_record(task_id: str, flag, images=None, message: str = "") -> Answer:
    """The vendors' suno/cover/record-info (§3.5); `flag` may be a number, as in the cover
    page's example."""
    return Answer({"code": 200, "msg": "success", "data": {
        "taskId": task_id, "parentTaskId": "vendor-music", "callbackUrl": "",
        "completeTime": "2025-01-15T10:35:27.000Z" if images else None,
        "response": {"images": images}, "successFlag": flag,
        "createTime": "2025-01-15T10:33:01.000Z", "errorCode": 501 if message else None,
        "errorMessage": message or None}})


# -- the vendors' answers, in their shapes (suno_api.md §3, §4) --------------------------------

def created(task_id: str) -> Answer:
    """A create call's answer: the vendor's taskId."""
    return Answer({"code": 200, "msg": "success", "data": {"taskId": task_id}})


def music_record(task_id: str, status: str, takes=()) -> Answer:
    """generate/record-info (camelCase): replace-section is followed here like a song."""
    return Answer({"code": 200, "msg": "success", "data": {
        "taskId": task_id, "status": status, "type": "GENERATE",
        "response": {"taskId": task_id, "sunoData": list(takes)}}})


def separation_record(task_id: str, flag: str, urls: dict | None = None) -> Answer:
    """vocal-removal/record-info: `successFlag` a word, the stems' URLs in `response`."""
    return Answer({"code": 200, "msg": "success", "data": {
        "taskId": task_id, "musicId": "m", "completeTime": 1764633600000,
        "response": dict(urls or {}), "successFlag": flag, "createTime": 1764633500000,
        "errorCode": None, "errorMessage": None}})


def midi_record(task_id: str, flag: int, midi_data: dict | None = None,
                message: str = "") -> Answer:
    """midi/record-info: `successFlag` an integer (0 pending, 1 made, 2 refused, 3 failed),
    the notes in `midiData`."""
    return Answer({"code": 200, "msg": "success", "data": {
        "taskId": task_id, "recordTaskId": "sep", "audioId": "", "callbackUrl": "",
        "completeTime": 1764633600000 if flag else None, "midiData": midi_data,
        "createTime": 1764633500000, "successFlag": flag, "errorCode": 500 if flag > 1 else None,
        "errorMessage": message or None}})
