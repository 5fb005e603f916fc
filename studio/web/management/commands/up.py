"""`manage.py up`: everything a newcomer needs in one command — migrate, then the web server
and a django-q2 cluster side by side. `manage.py up --production` is the same for a server:
it refuses unsafe settings (Studio's system checks and Django's deployment checks), collects
static files under hashed names, and serves through gunicorn (studio/web/server.py) instead
of runserver. Ctrl-C, or SIGTERM/SIGHUP from a service manager or a
closed terminal, stops all of it: web server, cluster, its workers and their engine helpers.

Each child starts a process group of its own, which everything it forks stays in (django-q2's
sentinel and workers, the local engine's helper processes), even once re-parented to PID 1.
Stopping asks each child to stop, waits a little, then kills whatever is left of each group.
A job cut short that way is retried later (generation.reaper), like one of a killed worker.
"""
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Seconds the web server and the cluster get to stop by themselves. A running job could need
# minutes to finish; a service manager will not wait that long, and the job is retried anyway.
STOP_GRACE = 10


class Stop(Exception):
    """A stop signal arrived."""


def _on_stop_signal(signum, frame):
    raise Stop(signal.Signals(signum).name)


def _dies_with_parent():
    """What a child runs before its command so that it gets SIGTERM should `up` itself be
    killed (Linux's PR_SET_PDEATHSIG); None elsewhere. Looked up here, not in the child."""
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return lambda: prctl(1, signal.SIGTERM)


class Command(BaseCommand):
    help = "Migrate, then run the web server and a background worker together."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?",
                            default=os.environ.get("STUDIO_ADDRPORT", "127.0.0.1:8000"))
        parser.add_argument("--production", action="store_true",
                            help="gunicorn, hashed static files, and a refusal to start on "
                                 "unsafe settings (sets STUDIO_PRODUCTION=1)")

    def handle(self, *args, addrport, production, **options):
        if production and not settings.PRODUCTION:
            # Settings are read once, at start-up: read them again in production mode.
            os.environ.update(STUDIO_PRODUCTION="1", STUDIO_NO_BOOTSTRAP="1")
            os.execv(sys.executable, [sys.executable, str(settings.BASE_DIR / "manage.py"),
                                      *sys.argv[1:]])
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _on_stop_signal)
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        host = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
        env = {**os.environ, "STUDIO_NO_BOOTSTRAP": "1", "PYTHONUNBUFFERED": "1"}
        if settings.PRODUCTION:
            # Errors stop here, each naming its variable; warnings (no HTTPS yet) are shown.
            call_command("check", deploy=True, fail_level="ERROR")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("Database ready."))
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write(self.style.SUCCESS("Static files collected."))
            web = [sys.executable, "-m", "gunicorn", "studio.wsgi:application",
                   "-c", "python:studio.web.server", "--bind", host]
        else:
            web = [*manage, "runserver", "--noreload", addrport]
        children = {}
        try:
            for name, command in (("worker", [*manage, "qcluster"]), ("web server", web)):
                children[name] = subprocess.Popen(
                    command, env=env, start_new_session=True, preexec_fn=_dies_with_parent())
            self.stdout.write(self.style.SUCCESS(
                f"\n  Studio is running: open http://{host}/accounts/signup/ to begin."
                f"\n  Engine: {settings.STUDIO_ENGINE}"
                f"{'; production (gunicorn)' if settings.PRODUCTION else ''}. "
                "Press Ctrl-C to stop.\n"))
            while not (ended := [n for n, c in children.items() if c.poll() is not None]):
                time.sleep(0.5)
            self.stderr.write(f"The {ended[0]} stopped (exit {children[ended[0]].returncode}); "
                              "stopping Studio.")
        except (KeyboardInterrupt, Stop):
            pass
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not cut this short
            _stop(list(children.values()))


def _stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)  # qcluster and runserver both stop on it
    deadline = time.monotonic() + STOP_GRACE
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    for child in children:  # the child, if still there, and anything it left in its group
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        child.wait()
