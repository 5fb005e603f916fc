#!/usr/bin/env python3
"""Studio's one entry point.

    python3 manage.py up      set up (first run), migrate, start web + worker
    python3 manage.py test    set up, run the test suite (pytest; arguments pass through)
    python3 manage.py ...     any Django command

Any Python 3 can start it: the first lines below find Python >= 3.12 (the running one,
python3.13/python3.12 on PATH, or pyenv's), build .venv/ with the dependencies of
pyproject.toml, and re-run this command inside it. Nothing here needs more than the stdlib.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".studio-installed"
MIN_PYTHON = (3, 12)


def _python_ok(python: str) -> bool:
    check = f"import sys; sys.exit(0 if sys.version_info >= {MIN_PYTHON!r} else 1)"
    try:
        return subprocess.run([python, "-c", check], capture_output=True).returncode == 0
    except OSError:
        return False


def _find_python() -> str:
    if sys.version_info >= MIN_PYTHON:
        return sys.executable
    candidates = [shutil.which(name) for name in ("python3.13", "python3.12")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    for version in sorted((pyenv_root / "versions").glob("3.1[2-9]*"), reverse=True):
        candidates.append(str(version / "bin" / "python"))
    for python in filter(None, candidates):
        if _python_ok(python):
            return python
    sys.exit(
        "Studio needs Python 3.12 or newer, and none was found "
        "(looked at python3.13, python3.12 on PATH and pyenv's versions). "
        "Install one, e.g. `pyenv install 3.12`, and run this command again."
    )


def _wanted_stamp() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def _installed(with_tests: bool) -> bool:
    """The stamp is the pyproject's hash, then "+test" once the test tools are in too: the app
    alone serves `up`; `test` needs both (a venv with both serves everything)."""
    if not STAMP.exists():
        return False
    digest, _, extra = STAMP.read_text().partition("+")
    return digest == _wanted_stamp() and (extra == "test" or not with_tests)


def _bootstrap() -> None:
    """Make sure .venv exists with current dependencies, and re-exec inside it. `up` and the
    Django commands install what the app needs; `test` adds the test tools (pytest, the
    linter, Playwright, librosa)."""
    with_tests = sys.argv[1:2] == ["test"]
    inside = Path(sys.prefix).resolve() == VENV.resolve()
    if inside and _installed(with_tests):
        return
    if not VENV_PYTHON.exists():
        python = _find_python()
        print(f"Setting up Studio: creating .venv with {python}", flush=True)
        subprocess.run([python, "-m", "venv", str(VENV)], check=True)
    if not _installed(with_tests):
        what = "the app's and the tests' dependencies" if with_tests else "the app's dependencies"
        print(f"Setting up Studio: installing {what} into .venv (once; each package is listed "
              "as it comes)", flush=True)
        _pip_install("-e", f"{ROOT}[test]" if with_tests else str(ROOT))
        STAMP.write_text(_wanted_stamp() + ("+test" if with_tests else ""))
    if not inside:
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(ROOT / "manage.py"), *sys.argv[1:]])


PROGRESS_EVERY = 5  # seconds of silence from pip before saying how far the install is


def _pip_install(*args: str) -> None:
    """pip install into .venv, its output passed on line by line. pip lists each package as
    it fetches it, then says "Installing collected packages: ..." and nothing more until it
    is done, which takes most of a first run (numpy, scipy, Django, botocore: thousands of
    files): while it is quiet, a line every few seconds counts the packages already in
    place, so a newcomer sees it moving. --no-compile: Python compiles each module the first
    time it is imported instead of pip compiling every file of every package up front (most
    are never imported: botocore's, scipy's tests), which took about half the install."""
    import queue
    import threading

    pip = subprocess.Popen(
        [str(VENV_PYTHON), "-m", "pip", "install", "--disable-pip-version-check",
         "--progress-bar", "off", "--no-compile", *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_forward, args=(pip.stdout, lines), daemon=True).start()
    before, wanted, started = _dist_infos(), 0, time.monotonic()
    while True:
        try:
            line = lines.get(timeout=PROGRESS_EVERY)
        except queue.Empty:
            if wanted:
                done = min(len(_dist_infos() - before), wanted)
                print(f"  ... {done} of {wanted} packages installed "
                      f"({time.monotonic() - started:.0f} s so far)", flush=True)
            continue
        if line is None:
            break
        print(line, end="", flush=True)
        if line.startswith("Installing collected packages:"):
            wanted = len(line.partition(":")[2].split(","))
        elif line.startswith("Successfully installed"):
            wanted = 0
    if pip.wait():
        raise subprocess.CalledProcessError(pip.returncode, pip.args)


def _forward(stream, lines) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _dist_infos() -> set[str]:
    """The packages installed in .venv, by their metadata directories."""
    return {p.name for p in VENV.glob("lib/python3*/site-packages/*.dist-info")}


CHROMIUM = Path("/usr/bin/chromium")


def _ensure_chromium() -> None:
    """The browser tests (tests/browser) drive Debian's Chromium, never a browser Playwright
    downloads: install it from the distribution's packages when it is missing."""
    if os.environ.get("STUDIO_BROWSER_TESTS", "1") == "0" or CHROMIUM.exists():
        return
    apt = shutil.which("apt-get")
    why = None
    if not apt:
        why = "apt-get is not available (not a Debian-like system)"
    elif os.geteuid() != 0:
        why = "installing it needs root (run: sudo apt-get install -y chromium)"
    else:
        print("Setting up Studio's browser tests: apt-get install chromium (once)", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        done = subprocess.run([apt, "install", "-y", "chromium"],
                              env=env)
        if done.returncode != 0:
            subprocess.run([apt, "update"], env=env)
            done = subprocess.run([apt, "install", "-y", "chromium"],
                                  env=env)
        if done.returncode != 0 or not CHROMIUM.exists():
            why = "apt-get install chromium failed (see above)"
    if why:
        print(f"Browser tests need Chromium at {CHROMIUM}, and {why}. They will fail; "
              "STUDIO_BROWSER_TESTS=0 skips them.", file=sys.stderr, flush=True)


def main() -> None:
    if os.environ.get("STUDIO_NO_BOOTSTRAP") != "1":
        _bootstrap()
    os.chdir(ROOT)
    if sys.argv[1:2] == ["test"]:
        # The suite is pytest (pytest-django); `manage.py test` is its front door.
        _ensure_chromium()
        os.execv(sys.executable, [sys.executable, "-m", "pytest", *sys.argv[2:]])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
