"""The second variation renders in a forked helper process — also inside daemonic processes,
which is what django-q2 workers are. The helper lives as long as the process that forked it and
serves every job; its failures come back as readable EngineErrors, and a lost helper's take is
rendered in-process."""
from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from studio.engines.base import EngineError
from studio.engines.local import engine as eng
from studio.engines.local import parallel
from studio.engines.local.modes import GenerateJob

from .conftest import run_engine


@pytest.fixture(autouse=True)
def fresh_helper():
    """A helper runs the code it was forked with: tests that patch the engine start a new one."""
    parallel.stop()
    yield
    parallel.stop()

PARAMS = {"customMode": True, "instrumental": True, "title": "Helper", "style": "house, 124 bpm",
          "model": "V4_5", "_duration": 12}


def _in_daemon(workdir, q):
    forks = []
    real = eng._start_variation

    def counting(*a):
        child = real(*a)
        forks.append(child is not None and child.pid != os.getpid())
        return child

    eng._start_variation = counting
    try:
        sink = run_engine(workdir, params=PARAMS, seed=3)
        q.put(("ok", multiprocessing.current_process().daemon, forks, sink.calls,
               [t.audio_path.stat().st_size for t in sink.takes], os.getpid()))
    except BaseException as e:  # noqa: BLE001
        q.put(("error", repr(e)))


def test_variation_helper_forks_inside_a_daemonic_process(tmp_path, monkeypatch, settings):
    settings.STUDIO_ENGINE_PARALLEL = True
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_in_daemon, args=(tmp_path / "w", q), daemon=True)
    p.start()
    try:
        res = q.get(timeout=120)
    finally:
        p.join(30)
    assert res[0] == "ok", res
    _, daemon, forks, calls, sizes, _pid = res
    assert daemon is True
    assert forks == [True]  # the helper really was forked, not rendered in turn
    assert calls == ["planned", "take0", "take1"]
    assert all(s > 10_000 for s in sizes)
    assert p.exitcode == 0


def test_helper_failure_is_a_readable_engine_error(tmp_path, monkeypatch, settings):
    settings.STUDIO_ENGINE_PARALLEL = True
    real = GenerateJob.render

    def render(self, index):
        if index == 1:
            raise RuntimeError("boom in variation one")
        return real(self, index)

    monkeypatch.setattr(GenerateJob, "render", render)  # the helper, forked after this, has the patch
    with pytest.raises(EngineError) as ei:
        run_engine(tmp_path / "w", params=PARAMS, seed=3)
    assert "RuntimeError: boom in variation one" in ei.value.message
    h = parallel._helper
    assert h is not None and os.waitpid(h.pid, os.WNOHANG) == (0, 0)  # an error is not a crash: it lives on
    parallel.stop()
    with pytest.raises(ChildProcessError):  # stopped means reaped: the helper is no zombie
        os.waitpid(h.pid, os.WNOHANG)  # (not -1: other tests' servers may be children too)


def test_helper_that_dies_is_replaced_by_an_in_process_render(tmp_path, monkeypatch, settings):
    settings.STUDIO_ENGINE_PARALLEL = True
    parent = os.getpid()
    real = GenerateJob.render

    def render(self, index):
        if index == 1 and os.getpid() != parent:
            os._exit(3)  # the helper vanishes without a word
        return real(self, index)

    monkeypatch.setattr(GenerateJob, "render", render)
    sink = run_engine(tmp_path / "w", params=PARAMS, seed=3)
    assert sink.calls == ["planned", "take0", "take1"]
    assert sink.takes[1].audio_path.stat().st_size > 10_000


def test_one_helper_serves_every_job_and_leaves_with_its_lead(tmp_path, monkeypatch, settings):
    settings.STUDIO_ENGINE_PARALLEL = True
    run_engine(tmp_path / "a", params=PARAMS, seed=1)
    first = parallel._helper.pid
    sink = run_engine(tmp_path / "b", params=PARAMS, seed=2)
    assert parallel._helper.pid == first != os.getpid()
    assert sink.calls == ["planned", "take0", "take1"]
    # the lead goes away (its pipe closes): the helper reads end of file and exits by itself
    h, parallel._helper = parallel._helper, None
    os.close(h.to_fd)
    _, status = os.waitpid(first, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    os.close(h.from_fd)


def test_parallel_can_be_turned_off(tmp_path, monkeypatch, settings):
    settings.STUDIO_ENGINE_PARALLEL = False

    def no_fork():
        raise AssertionError("forked although STUDIO_ENGINE_PARALLEL=0")

    monkeypatch.setattr(os, "fork", no_fork)
    sink = run_engine(tmp_path / "w", params=PARAMS, seed=3)
    assert sink.calls == ["planned", "take0", "take1"]


def test_helper_and_in_process_renders_are_identical(tmp_path, monkeypatch, settings):
    settings.STUDIO_ENGINE_PARALLEL = True
    a = run_engine(tmp_path / "a", params=PARAMS, seed=5)
    settings.STUDIO_ENGINE_PARALLEL = False
    b = run_engine(tmp_path / "b", params=PARAMS, seed=5)
    for ta, tb in zip(a.takes, b.takes, strict=False):
        assert ta.audio_path.read_bytes() == tb.audio_path.read_bytes()


def test_a_spawned_worker_warms_the_engine_before_its_first_job(tmp_path):
    """Each new django-q2 worker process (spawned through generation/quiet.py, as `manage.py
    qcluster` has it) warms the engine: it imports its audio stack and builds its tables
    there, instead of inside the first user's job; then it runs django-q2's loop."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent("""
        import os, sys, tempfile
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")
        import django
        django.setup()
        from multiprocessing import Queue, Value
        from studio.generation import quiet
        quiet.install()
        assert "lameenc" not in sys.modules
        before = set(os.listdir(tempfile.gettempdir()))
        tasks = Queue()
        tasks.put("STOP")  # what the sentinel sends each worker when the cluster stops
        quiet.worker(tasks, Queue(), Value("f", -1))
        from studio.engines.local import instruments
        assert "lameenc" in sys.modules and "soundfile" in sys.modules, "audio stack not imported"
        assert instruments._tables, "no wavetables built"
        left = {n for n in set(os.listdir(tempfile.gettempdir())) - before if n.startswith("studio-warm-")}
        assert not left, left
        print("warm")
    """)
    env = {**os.environ, "STUDIO_NO_BOOTSTRAP": "1", "STUDIO_DATA_DIR": str(tmp_path), "STUDIO_ENGINE": "local"}
    out = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2], env=env,
                         capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith("warm")
