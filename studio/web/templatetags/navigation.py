"""Which tab of the top navigation a page belongs to: by its app, playlists apart, unless the
view names it (`section` in the context: a form of one app shown for another's page)."""
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_section(context) -> str:
    if context.get("section"):
        return context["section"]
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None:
        return ""
    return "playlists" if "playlist" in (match.url_name or "") else match.app_name
