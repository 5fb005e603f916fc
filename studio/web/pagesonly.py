"""Middleware for pages, which the API's own requests pass over.

A request to the vendors' API carries a bearer key and JSON, never a signed-in session or a
page: sign-in (AuthenticationMiddleware, LoginRequiredMiddleware), flash messages and htmx do
nothing for it. Each is listed in settings.MIDDLEWARE through `pages_only`, so an API
request goes straight past it. The middleware that `check --deploy` looks for by name
(security, CSP, sessions, CSRF, X-Frame-Options) stays Django's own and sees every request:
wrapped, its deploy checks would silently stop. The keys page (/api/keys/) is a page,
signed in with CSRF on its forms, and is not among the API's paths.
"""
from __future__ import annotations

from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django_htmx import middleware as htmx

from .failures import signed_out

# What the API's own views answer (studio.api.urls: v1, file uploads, legacy); every one
# authenticates by key (studio.api.envelope.endpoint), is CSRF-exempt and needs no sign-in.
API_PATHS = ("/api/v1/", "/api/file-", "/suno/")


def is_api(request) -> bool:
    return request.path_info.startswith(API_PATHS)


def pages_only(middleware):
    """`middleware` (a MiddlewareMixin class) as a subclass that API requests go past."""

    class PagesOnly(middleware):
        def __call__(self, request):
            if is_api(request):
                return self.get_response(request)
            return super().__call__(request)

    if hasattr(middleware, "process_view"):  # Django calls these apart from __call__
        def process_view(self, request, *args, **kwargs):
            if is_api(request):
                return None
            return middleware.process_view(self, request, *args, **kwargs)
        PagesOnly.process_view = process_view

    PagesOnly.__name__ = PagesOnly.__qualname__ = middleware.__name__
    PagesOnly.__doc__ = f"{middleware.__doc__ or middleware.__name__} (pages only)"
    return PagesOnly


class LoginRequired(auth.LoginRequiredMiddleware):
    """Django's, except that a request of a page's own scripts (htmx) is answered 401 in
    words (failures.signed_out) instead of a redirect to log in."""

    def handle_no_permission(self, request, view_func):
        if getattr(request, "htmx", False):
            return signed_out(request)
        return super().handle_no_permission(request, view_func)


AuthenticationMiddleware = pages_only(auth.AuthenticationMiddleware)
LoginRequiredMiddleware = pages_only(LoginRequired)
MessageMiddleware = pages_only(messages.MessageMiddleware)
HtmxMiddleware = pages_only(htmx.HtmxMiddleware)
