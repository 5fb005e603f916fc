"""The track page's "Replace a section" panel: a generation form shown on a library page, so
the library's own code never builds a generation (it only names this tag in a template)."""
import json

from django import template

from studio.generation import rules
from studio.generation.forms import ReplaceForm

register = template.Library()


@register.inclusion_tag("generation/replace_panel.html", takes_context=True)
def replace_panel(context, track):
    # The counters' limits are the source's model's (the panel has no model to choose), keyed
    # by "" as the page reads them: no internal model code is written into the page.
    model = track.generation.model if track.generation.model in rules.MODELS else \
        rules.DEFAULT_MODEL
    limits = json.dumps({"": rules.form_limits()[model]})
    return {"track": track, "form": ReplaceForm(owner=context["request"].user, track=track),
            "limits_json": limits, "csrf_token": context.get("csrf_token")}
