"""Static files outside production are served as they are on disk now."""
import pytest

pytestmark = pytest.mark.django_db


def test_a_script_changed_while_studio_runs_is_served_whole(tmp_path, settings, client):
    # After a `git pull` beside a running `manage.py up`, player.js was served cut to its old
    # length (whitenoise kept the size it read at start): every page had a syntax error.
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    script = tmp_path / "late.js"
    script.write_text("var a = 1;\n")
    first = client.get("/static/late.js")
    assert first.status_code == 200 and b"".join(first.streaming_content) == b"var a = 1;\n"
    script.write_text("var a = 1;\nvar b = 2;\n")  # longer now
    second = client.get("/static/late.js")
    body = b"".join(second.streaming_content)
    assert body == b"var a = 1;\nvar b = 2;\n"
    assert int(second["Content-Length"]) == len(body)
    (tmp_path / "new.css").write_text("a { color: red }\n")  # a file added meanwhile
    assert client.get("/static/new.css").status_code == 200
