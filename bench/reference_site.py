"""Studio's URLs with two reference views beside them, for bench/api.py: the URLconf it
benchmarks in its own process, and the WSGI application it serves through gunicorn
(--server). The trivial view is the baseline of every ratio; the one-query view reads one
row count."""
from __future__ import annotations

import django

django.setup()  # gunicorn imports this module before anything has set Django up

from django.contrib.auth.decorators import login_not_required  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import include, path  # noqa: E402


@login_not_required
def trivial(request):
    return HttpResponse("ok")


@login_not_required
def one_query(request):
    from django.contrib.auth import get_user_model
    return HttpResponse(str(get_user_model().objects.count()))


urlpatterns = [path("bench/trivial/", trivial), path("bench/one-query/", one_query),
               path("", include("studio.urls"))]


def use_here() -> None:
    """Serve this URLconf to any host name (the bench's clients say 127.0.0.1 or testserver)."""
    from django.conf import settings

    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["*"]


_handler = None


def application(environ, start_response):
    """The WSGI application gunicorn serves: Studio's own, with this URLconf."""
    global _handler
    if _handler is None:
        from django.core.wsgi import get_wsgi_application

        use_here()
        _handler = get_wsgi_application()
    return _handler(environ, start_response)
