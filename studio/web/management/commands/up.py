"""`manage.py up`: everything a newcomer needs in one command — migrate, then the web server
and a django-q2 cluster side by side. `manage.py up --production` is the same for a server:
it refuses unsafe settings (Studio's system checks and Django's deployment checks), collects
static files under hashed names, and serves through gunicorn (studio/web/server.py) instead
of runserver.

Once the database is ready, this process replaces itself with studio/web/supervise.py, which
starts both and stops both together (Ctrl-C, SIGTERM, SIGHUP) and imports nothing but the
standard library: Django and Studio's apps stay loaded only in the processes that use them.
"""
import json
import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

SUPERVISOR = settings.BASE_DIR / "studio" / "web" / "supervise.py"


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
        banner = self.style.SUCCESS(
            f"\n  Studio is running: open http://{host}/accounts/signup/ to begin."
            f"\n  Engine: {settings.STUDIO_ENGINE}"
            f"{'; production (gunicorn)' if settings.PRODUCTION else ''}. "
            "Press Ctrl-C to stop.\n")
        plan = {"children": [("worker", [*manage, "qcluster"]), ("web server", web)],
                "banner": banner}
        connections.close_all()
        for stream in (self.stdout, self.stderr, sys.stdout, sys.stderr):
            stream.flush()
        # -I: the standard library only (not even the script's own directory on sys.path)
        os.execve(sys.executable, [sys.executable, "-I", str(SUPERVISOR), json.dumps(plan)], env)
