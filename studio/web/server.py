"""gunicorn's configuration for `manage.py up --production` (`gunicorn -c python:studio.web.server`).

Why gunicorn with threads (gthread), measured by bench/servers.py (README, Production): a
lower fixed cost per Range request than granian in every run, and more throughput on whole
files (sendfile); both kept pages quick with two dozen growing streams open. A
stream-while-encoding listener holds one thread while it listens, and gthread's timeout
watches the worker process, not the request, so a stream lasting minutes is not cut.

The app is loaded once, in the arbiter, before it forks its workers (preload_app): the
workers share Django's and Studio's modules with it instead of each importing its own copy,
about 105 MB for the arbiter and two workers instead of 150 (bench/idle.py --production).
Each fork is preceded by gc.freeze(), so that no worker's garbage collector writes to the
shared objects (which would copy their pages back one worker at a time). The app is imported
before any request, so a new worker answers its first one as quickly as the others; the
price is that `kill -HUP` restarts workers on the code the arbiter loaded (restart `up` for
new code).
"""
import gc
import os

from django.conf import settings

bind = os.environ.get("STUDIO_ADDRPORT", "127.0.0.1:8000")
worker_class = "gthread"
workers = settings.STUDIO_WEB_WORKERS
threads = settings.STUDIO_WEB_THREADS
preload_app = True
# A worker that stops answering its arbiter for this long is restarted (not a request limit).
timeout = 60
graceful_timeout = 10  # as `up` gives every child: a listener reconnects, a job is retried
keepalive = 5
accesslog = "-"
errorlog = "-"
# The access log gets the same filter as runserver's: signed links are passwords for a file.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"hide_signed_links": {"()": "studio.web.failures.HideSignedLinks"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain",
                             "filters": ["hide_signed_links"], "stream": "ext://sys.stdout"}},
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
                "gunicorn.access": {"handlers": ["console"], "level": "INFO",
                                    "propagate": False}},
}


def pre_fork(server, worker):
    """Before each worker is forked: collect, then put what is left beyond the collector's
    reach (preload_app, above)."""
    gc.collect()
    gc.freeze()
