"""gunicorn's configuration for `manage.py up --production` (`gunicorn -c python:studio.web.server`).

Why gunicorn with threads (gthread), measured by bench/servers.py (README, Production): a
lower fixed cost per Range request than granian in every run, and more throughput on whole
files (sendfile); both kept pages quick with two dozen growing streams open. A
stream-while-encoding listener holds one thread while it listens, and gthread's timeout
watches the worker process, not the request, so a stream lasting minutes is not cut.
"""
import os

from django.conf import settings

bind = os.environ.get("STUDIO_ADDRPORT", "127.0.0.1:8000")
worker_class = "gthread"
workers = settings.STUDIO_WEB_WORKERS
threads = settings.STUDIO_WEB_THREADS
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
