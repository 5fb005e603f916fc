"""Studio's own failures, as a user and an operator should see them.

A user reads what happened in words ("the server's disk is full"), never an exception's
text; the operator finds the traceback in the log. Signed file links, which work as
passwords for one file, never reach the log.
"""
from __future__ import annotations

import errno
import logging
import re

from django.conf import settings
from django.db import DatabaseError, OperationalError
from django.middleware.csrf import get_token
from django.shortcuts import render, resolve_url

log = logging.getLogger("studio.web")

SERVER_FAULT = ("Studio hit an internal error. It has been logged; try again, and if it "
                "keeps happening, tell whoever runs this server.")


def in_words(problem: BaseException) -> tuple[str, bool]:
    """(what to tell the user, whether trying again later may help) for a failure of ours."""
    if isinstance(problem, OSError) and problem.errno in (errno.ENOSPC, errno.EDQUOT):
        return (("The server's disk is full, so nothing new could be saved. What was "
                 "already saved is safe; tell whoever runs this server."), False)
    if isinstance(problem, OSError) and problem.errno in (errno.EACCES, errno.EROFS):
        return (("The server could not write its files (a permissions problem); tell "
                 "whoever runs this server."), False)
    if isinstance(problem, OperationalError) and "locked" in str(problem).lower():
        return (("Studio's database is busy with other work. Nothing was lost; try again "
                 "in a moment."), True)
    if isinstance(problem, DatabaseError):
        return (("Studio could not reach its database. Nothing was lost; try again in a "
                 "moment."), True)
    return SERVER_FAULT, False


class FailureInWordsMiddleware:
    """A failure of ours in a page view: logged with its traceback, answered with a page
    saying in words what happened (503 for what passes, 500 for the rest)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OSError, DatabaseError)):
            return None  # Django's handler500 (server_error below) answers, and logs it
        log.error("%s %s failed", request.method, request.path, exc_info=exception)
        message, passing = in_words(exception)
        response = render(request, "errors/failure.html",
                          {"message": message, "title": "Try again shortly" if passing
                           else "Something went wrong"}, status=503 if passing else 500)
        if passing:
            response["Retry-After"] = "5"
        return response


def server_error(request):
    """handler500: Django has logged the traceback (django.request); the user gets words."""
    try:
        return render(request, "errors/failure.html",
                      {"message": SERVER_FAULT, "title": "Something went wrong"}, status=500)
    except Exception:  # the page itself failed (a template, the database): plain words then
        log.exception("the error page failed to render")
        from django.http import HttpResponseServerError

        return HttpResponseServerError(SERVER_FAULT, content_type="text/plain; charset=utf-8")


# A form Studio could not trust (CSRF). The usual cause: the page was opened before a log-in
# or log-out in another tab, which replaced the page's security token.
EXPIRED_PAGE = ("Studio did not accept this form: the page it was sent from was opened before "
                "you last logged in or out (or your browser has no cookie from Studio). "
                "Nothing was changed.")


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form refused by the CSRF check, told in words (Django has logged
    the reason). A page of Studio's that sent it through htmx still has the form (studio.js)
    and sends it again with the token read from the cookie, which this answer sets if the
    browser had none."""
    get_token(request)
    again = "" if getattr(request, "htmx", False) else " Go back, reload the page and send it again."
    return render(request, "errors/failure.html", {
        "title": "This page had expired", "message": EXPIRED_PAGE + again}, status=403)


def signed_out(request):
    """A request of a page's own scripts (htmx) from someone no longer logged in: 401 in
    words with a link to log in, rather than the redirect a page gets. The request would
    follow a redirect and show the log-in page in place of the form that was sent, and what
    was typed in it would be gone; this way the page keeps it (studio.js)."""
    return render(request, "errors/failure.html", {
        "title": "Logged out", "login_url": resolve_url(settings.LOGIN_URL),
        "message": "You are no longer logged in: your session expired, or you logged out "
                   "in another tab."}, status=401)


_SIGNED_LINK = re.compile(r"(/api/files/)[^\s?\"'#]+")


class HideSignedLinks(logging.Filter):
    """Replaces the token of every /api/files/<token> in a log line with [signed]."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/api/files/" in message:
            record.msg, record.args = _SIGNED_LINK.sub(r"\1[signed]", message), ()
        return True
