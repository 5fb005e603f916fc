"""The track page's "Replace a section" panel: a generation form shown on a library page, so
the library's own code never builds a generation (it only names this tag in a template)."""
from django import template

from studio.generation.forms import ReplaceForm, replace_limits

register = template.Library()


@register.inclusion_tag("generation/replace_panel.html", takes_context=True)
def replace_panel(context, track):
    return {"track": track, "form": ReplaceForm(owner=context["request"].user, track=track),
            "limits_json": replace_limits(track), "csrf_token": context.get("csrf_token")}
