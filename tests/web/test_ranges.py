"""Byte ranges as browsers send them when seeking in an <audio> element."""
import os

import pytest
from django.test import RequestFactory

from studio.web.ranges import parse_range, serve_file

# Range requests of a file on disk: no row, no job (.ci/run runs it once, in the SQLite pass)
pytestmark = pytest.mark.db_agnostic

BODY = bytes(range(256)) * 40  # 10,240 bytes, each position recognisable


@pytest.fixture
def path(tmp_path):
    file = tmp_path / "song.mp3"
    file.write_bytes(BODY)
    return str(file)


def get(path, method="get", **headers):
    request = getattr(RequestFactory(), method)("/x", headers=headers)
    return serve_file(request, path, content_type="audio/mpeg")


def body(response):
    return b"".join(response.streaming_content)


def test_whole_file_advertises_ranges(path):
    response = get(path)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(BODY))
    assert body(response) == BODY


@pytest.mark.parametrize("header, start, end", [
    ("bytes=0-99", 0, 99),
    ("bytes=1000-", 1000, len(BODY) - 1),
    ("bytes=-500", len(BODY) - 500, len(BODY) - 1),
    ("bytes=10000-99999", 10000, len(BODY) - 1),  # end past the file is clipped
])
def test_one_range_is_a_206_with_exactly_those_bytes(path, header, start, end):
    response = get(path, Range=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(BODY)}"
    assert response["Content-Length"] == str(end - start + 1)
    assert body(response) == BODY[start:end + 1]


@pytest.mark.parametrize("header", ["bytes=99999-", "bytes=-0"])
def test_unsatisfiable_range_is_a_416_naming_the_size(path, header):
    response = get(path, Range=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(BODY)}"


def test_head_sends_headers_without_a_body(path):
    response = get(path, method="head", Range="bytes=0-9")
    assert response.status_code == 206
    assert response["Content-Length"] == "10"
    assert response.content == b""


def test_if_range_with_the_current_etag_gets_the_range(path):
    etag = get(path)["ETag"]
    assert get(path, Range="bytes=0-9", If_Range=etag).status_code == 206


def test_if_range_with_a_stale_etag_gets_the_whole_new_file(path):
    assert get(path, Range="bytes=0-9", If_Range='"old"').status_code == 200


def test_conditional_get_with_a_matching_etag_is_304(path):
    etag = get(path)["ETag"]
    assert get(path, If_None_Match=etag).status_code == 304


def test_etag_changes_when_the_file_changes(path):
    before = get(path)["ETag"]
    with open(path, "ab") as fh:
        fh.write(b"more")
    os.utime(path, ns=(1, 10**18))
    assert get(path)["ETag"] != before


def test_malformed_or_multiple_ranges_fall_back_to_the_whole_file():
    assert parse_range("bytes=0-1,5-9", 100) is None
    assert parse_range("items=0-1", 100) is None
    assert parse_range("bytes=9-1", 100) is None


@pytest.mark.parametrize("header, expected", [
    ("bytes=" + "9" * 5000 + "-", "unsatisfiable"),
    ("bytes=-" + "9" * 5000, (0, 99)),
    ("bytes=0-" + "9" * 5000, (0, 99)),
    ("bytes=" + "0" * 5000 + "1-", (1, 99)),  # leading zeros change nothing
])
def test_positions_thousands_of_digits_long_mean_past_the_end(header, expected):
    assert parse_range(header, 100) == expected
