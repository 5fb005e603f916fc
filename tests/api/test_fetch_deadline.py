"""STUDIO_FETCH_TIMEOUT bounds a whole uploadUrl download, not each read: a real server on
127.0.0.1 trickles its answer a byte at a time, and the request is answered by the deadline.
(Once a server sending a byte every 0.5 s held a request for 111 s with a 60 s setting.)"""
import socket
import threading
import time

import pytest

from studio.api import outbound
from studio.generation.models import Generation

COVER = {"prompt": "a slow cover", "customMode": False}
TIMEOUT = 2
TRICKLE_FOR = 8  # seconds the server keeps trickling, well past the deadline


class Trickler:
    """Answers every connection by sending `head` then `body` one byte at a time."""

    def __init__(self, head: bytes, body: bytes, every: float = 0.1):
        self.head, self.body, self.every = head, body, every
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        with conn:
            try:
                conn.recv(65536)
                started = time.monotonic()
                for i, byte in enumerate(self.head + self.body):
                    if self.stop.is_set() or time.monotonic() - started > TRICKLE_FOR:
                        return
                    conn.sendall(bytes([byte]))
                    if i >= len(self.head) or self.head_slowly:
                        time.sleep(self.every)
            except OSError:
                return

    head_slowly = False

    def close(self):
        self.stop.set()
        self.server.close()


AUDIO_HEAD = (b"HTTP/1.1 200 OK\r\nContent-Type: audio/mpeg\r\nContent-Length: 100000\r\n\r\n")
MP3_START = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 1000


@pytest.fixture
def short_timeout(settings, loopback_allowed):
    settings.STUDIO_FETCH_TIMEOUT = TIMEOUT


@pytest.fixture
def trickler(short_timeout):
    server = Trickler(AUDIO_HEAD, MP3_START)
    yield server
    server.close()


def timed_cover(api, url):
    started = time.monotonic()
    answer = api.post("/api/v1/generate/upload-cover", {**COVER, "uploadUrl": url}).json()
    return answer, time.monotonic() - started


def test_a_body_trickled_a_byte_at_a_time_is_cut_off_at_the_deadline(api, trickler):
    answer, took = timed_cover(api, trickler.url + "/song.mp3")
    assert answer["code"] == 451 and f"longer than {TIMEOUT} s" in answer["msg"]
    assert took < TIMEOUT + 1.5
    assert not Generation.objects.exists()


def test_headers_trickled_a_byte_at_a_time_are_cut_off_at_the_deadline(api, trickler):
    trickler.head_slowly = True
    answer, took = timed_cover(api, trickler.url + "/song.mp3")
    assert answer["code"] == 451 and f"longer than {TIMEOUT} s" in answer["msg"]
    assert took < TIMEOUT + 1.5


def test_the_deadline_covers_every_redirect_hop(api, short_timeout):
    hop = Trickler(b"", b"", every=0.012)
    hop.head = (f"HTTP/1.1 302 Found\r\nLocation: {hop.url}/next\r\nConnection: close\r\n"
                "Content-Length: 0\r\n\r\n").encode()
    hop.head_slowly = True  # each hop takes about 0.9 s of the 2
    try:
        answer, took = timed_cover(api, hop.url + "/song.mp3")
    finally:
        hop.close()
    assert answer["code"] == 451 and f"longer than {TIMEOUT} s" in answer["msg"]
    assert took < TIMEOUT + 1.5


def test_a_callback_receiver_that_trickles_is_cut_off_at_the_attempts_deadline(
        loopback_allowed):
    receiver = Trickler(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n", b"x" * 500)
    started = time.monotonic()
    try:
        with outbound.client(timeout=TIMEOUT) as http, pytest.raises(Exception) as caught:
            http.post(receiver.url + "/hook", content=b"{}")
    finally:
        receiver.close()
    assert "Timeout" in type(caught.value).__name__
    assert time.monotonic() - started < TIMEOUT + 1.5
