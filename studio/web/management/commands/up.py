"""`manage.py up`: everything a newcomer needs, in one process group — migrate, then the web
server and a django-q2 worker side by side. Ctrl-C stops both."""
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, then run the web server and a background worker together."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?",
                            default=os.environ.get("STUDIO_ADDRPORT", "127.0.0.1:8000"))

    def handle(self, *args, addrport, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("Database ready."))
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        env = {**os.environ, "STUDIO_NO_BOOTSTRAP": "1", "PYTHONUNBUFFERED": "1"}
        worker = subprocess.Popen([*manage, "qcluster"], env=env)
        web = subprocess.Popen([*manage, "runserver", "--noreload", addrport], env=env)
        host = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
        self.stdout.write(self.style.SUCCESS(
            f"\n  Studio is running: open http://{host}/accounts/signup/ to begin."
            f"\n  Engine: {settings.STUDIO_ENGINE}. Press Ctrl-C to stop.\n"))
        children = [web, worker]

        def stop(*_):
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)
            deadline = time.monotonic() + 15
            for child in children:
                try:
                    child.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()

        signal.signal(signal.SIGTERM, lambda *a: (stop(), sys.exit(0)))
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            failed = next(c for c in children if c.poll() is not None)
            name = "web server" if failed is web else "worker"
            self.stderr.write(f"The {name} stopped (exit {failed.returncode}); stopping Studio.")
        except KeyboardInterrupt:
            pass
        finally:
            stop()
