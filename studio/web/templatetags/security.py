"""What a page's scripts need to know of Django's security settings."""
from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def csrf_cookie_name() -> str:
    """The cookie studio.js reads the current CSRF token from, or "" when scripts cannot read
    it (kept in the session, or HttpOnly): the page's own token is sent then."""
    if settings.CSRF_USE_SESSIONS or settings.CSRF_COOKIE_HTTPONLY:
        return ""
    return settings.CSRF_COOKIE_NAME
